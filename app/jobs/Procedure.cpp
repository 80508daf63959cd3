#include "Procedure.h"

#include "core/Log.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QStringDecoder>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace oco {

void OutputBuffer::append(const QByteArray &data)
{
    m_total += data.size();
    qsizetype used = 0;
    if (m_head.size() < m_headMax) {
        used = std::min(m_headMax - m_head.size(), data.size());
        m_head += data.left(used);
    }
    if (used < data.size()) {
        m_tail += data.mid(used);
        if (m_tail.size() > m_tailMax)
            m_tail.remove(0, m_tail.size() - m_tailMax);
    }
}

QString OutputBuffer::text() const
{
    const qint64 cut = m_total - m_head.size() - m_tail.size();
    if (cut <= 0)
        return decodeOutput(m_head + m_tail);
    return decodeOutput(m_head) + QStringLiteral("\n[... %1 bytes of output cut ...]\n").arg(cut) +
           decodeOutput(m_tail);
}

QString decodeOutput(const QByteArray &bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = utf8.decode(bytes);
    if (!utf8.hasError())
        return s;
    QStringDecoder cp1252("windows-1252", QStringDecoder::Flag::Stateless);
    if (cp1252.isValid()) {
        s = cp1252.decode(bytes);
        if (!cp1252.hasError() && !s.contains(QChar::ReplacementCharacter))
            return s;
    }
    return QString::fromLatin1(bytes);
}

ProcedureResult runProcedure(const ProcedureOptions &o)
{
    ProcedureResult result;
    QProcess proc;
    proc.setProgram(QStringLiteral("/bin/sh"));
    proc.setArguments({QStringLiteral("-c"), o.procedure});
    proc.setWorkingDirectory(o.workDir);
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.setStandardInputFile(QProcess::nullDevice());
    proc.setChildProcessModifier([] {
        ::setpgid(0, 0);
        // Restore default signal dispositions the service may have changed.
        ::signal(SIGPIPE, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::signal(SIGINT, SIG_DFL);
    });

    OutputBuffer buffer;
    qint64 reportedBytes = 0;
    QEventLoop loop;
    QObject::connect(&proc, &QProcess::readyReadStandardOutput, &proc,
                     [&] { buffer.append(proc.readAllStandardOutput()); });
    QObject::connect(&proc, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&proc, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            result.error = QStringLiteral("cannot start /bin/sh: %1").arg(proc.errorString());
            loop.quit();
        }
    });

    qint64 pgid = 0;
    auto killGroup = [&](int sig) {
        if (pgid > 0)
            ::kill(static_cast<pid_t>(-pgid), sig);
    };

    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &proc, [&] {
        result.timedOut = true;
        killGroup(SIGTERM);
        QTimer::singleShot(3000, &proc, [&] { killGroup(SIGKILL); });
    });
    QTimer reporter;
    QObject::connect(&reporter, &QTimer::timeout, &proc, [&] {
        if (o.onOutput && buffer.totalBytes() != reportedBytes) {
            reportedBytes = buffer.totalBytes();
            o.onOutput(buffer.text());
        }
    });
    QTimer stopPoll;
    bool stopping = false;
    QObject::connect(&stopPoll, &QTimer::timeout, &proc, [&] {
        if (!stopping && o.shouldStop && o.shouldStop()) {
            stopping = true;
            qCInfo(lcJobs) << "stop requested: the running procedure gets" << o.stopGraceSecs << "s to finish";
            QTimer::singleShot(static_cast<int>(o.stopGraceSecs * 1000), &proc, [&] {
                result.interrupted = true;
                killGroup(SIGTERM);
                QTimer::singleShot(3000, &proc, [&] { killGroup(SIGKILL); });
            });
        }
    });

    proc.start();
    if (!proc.waitForStarted(10000)) {
        if (result.error.isEmpty())
            result.error = QStringLiteral("cannot start /bin/sh: %1").arg(proc.errorString());
        return result;
    }
    result.started = true;
    pgid = proc.processId();
    deadline.start(static_cast<int>(std::min(o.timeoutSecs * 1000.0, 2147483647.0)));
    if (o.reportEverySecs > 0 && o.onOutput)
        reporter.start(static_cast<int>(o.reportEverySecs * 1000));
    if (o.shouldStop)
        stopPoll.start(200);
    if (proc.state() != QProcess::NotRunning)
        loop.exec();
    deadline.stop();
    reporter.stop();
    stopPoll.stop();
    buffer.append(proc.readAllStandardOutput());
    if (result.timedOut || result.interrupted)
        killGroup(SIGKILL); // children left behind by the procedure go with it
    result.output = buffer.text();
    if (proc.exitStatus() == QProcess::CrashExit)
        result.exitCode = -128; // killed by a signal; QProcess hides the number
    else
        result.exitCode = proc.exitCode();
    return result;
}

} // namespace oco
