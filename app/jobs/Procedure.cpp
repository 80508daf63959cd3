#include "Procedure.h"

#include "core/Log.h"
#include "core/LongTimer.h"
#include "platform/ProcessRunner.h"

#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QStringDecoder>
#include <QTimer>

namespace oco {

namespace {

// Windows-1252 for 0x80..0x9F; the undefined bytes keep their C1 code point so nothing is lost.
const char16_t kCp1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool isCont(uchar c)
{
    return (c & 0xC0) == 0x80;
}

// Length of the valid UTF-8 sequence starting at `i`, 0 when there is none.
int utf8SequenceAt(const QByteArray &b, qsizetype i)
{
    const auto at = [&](qsizetype k) { return static_cast<uchar>(b.at(k)); };
    const uchar c = at(i);
    const qsizetype left = b.size() - i;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return left >= 2 && isCont(at(i + 1)) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !isCont(at(i + 1)) || !isCont(at(i + 2)))
            return 0;
        if ((c == 0xE0 && at(i + 1) < 0xA0) || (c == 0xED && at(i + 1) > 0x9F))
            return 0; // overlong, surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !isCont(at(i + 1)) || !isCont(at(i + 2)) || !isCont(at(i + 3)))
            return 0;
        if ((c == 0xF0 && at(i + 1) < 0x90) || (c == 0xF4 && at(i + 1) > 0x8F))
            return 0; // overlong, beyond U+10FFFF
        return 4;
    }
    return 0;
}

qsizetype utf8Size(const QString &s)
{
    qsizetype n = 0;
    for (const QChar c : s) {
        const ushort u = c.unicode();
        n += u < 0x80 ? 1 : u < 0x800 ? 2 : (c.isSurrogate() ? 2 : 3);
    }
    return n;
}

// The first `n` bytes (or last, `fromEnd`) decoded within `budget` UTF-8 bytes; `*used` gets the raw count.
QString fitting(const QByteArray &raw, qsizetype budget, bool fromEnd, qsizetype *used)
{
    qsizetype n = std::min(raw.size(), budget);
    for (int round = 0; round < 8; ++round) {
        qsizetype start = fromEnd ? raw.size() - n : 0;
        qsizetype len = n;
        // Do not split a UTF-8 sequence at the cut.
        for (int k = 0; k < 3 && len > 0; ++k) {
            const qsizetype edge = fromEnd ? start : start + len;
            if (edge < raw.size() && edge > 0 && isCont(static_cast<uchar>(raw.at(edge)))) {
                if (fromEnd)
                    ++start;
                --len;
            } else {
                break;
            }
        }
        const QString text = decodeOutput(raw.mid(start, len));
        const qsizetype size = utf8Size(text);
        if (size <= budget) {
            *used = len;
            return text;
        }
        n = std::max<qsizetype>(0, n * budget / size - 4);
    }
    *used = 0;
    return {};
}

} // namespace

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

QString OutputBuffer::text(qsizetype maxUtf8Bytes) const
{
    const qint64 notKept = m_total - m_head.size() - m_tail.size();
    if (notKept <= 0) {
        const QString all = decodeOutput(m_head + m_tail);
        if (utf8Size(all) <= maxUtf8Bytes)
            return all;
    }
    const qsizetype budget = std::max<qsizetype>(0, maxUtf8Bytes - 64);
    qsizetype headUsed = 0, tailUsed = 0;
    const QString head = fitting(m_head, budget / 2, false, &headUsed);
    const QString tail = fitting(m_tail, budget - utf8Size(head), true, &tailUsed);
    const qint64 cut = m_total - headUsed - tailUsed;
    return head + QStringLiteral("\n[... %1 bytes of output cut ...]\n").arg(cut) + tail;
}

QString decodeOutput(const QByteArray &bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString s = utf8.decode(bytes);
    if (!utf8.hasError())
        return s;
    QString out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size();) {
        const int n = utf8SequenceAt(bytes, i);
        if (n > 0) {
            out += QString::fromUtf8(bytes.constData() + i, n);
            i += n;
            continue;
        }
        const uchar c = static_cast<uchar>(bytes.at(i++));
        out += c >= 0x80 && c < 0xA0 ? QChar(kCp1252High[c - 0x80]) : QChar(c);
    }
    return out;
}

QProcessEnvironment serverProgramEnvironment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QString::fromLatin1(kServerProgramPath));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    const platform::ServiceAccount account = platform::serviceAccount();
    env.insert(QStringLiteral("HOME"), account.home);
    if (!account.user.isEmpty()) {
        env.insert(QStringLiteral("USER"), account.user);
        env.insert(QStringLiteral("LOGNAME"), account.user);
    }
    env.insert(QStringLiteral("SHELL"), QStringLiteral("/bin/sh"));
    return env;
}

namespace {

// One run of a procedure: the shell, its output, and the timers that end it (job-timeout, stop grace,
// the kill after SIGTERM).
class ProcedureRun
{
public:
    explicit ProcedureRun(const ProcedureOptions &options)
        : o(options)
    {}
    ProcedureResult run();

private:
    void setUpProcess();
    void setUpTimers();
    void terminateGroup();
    void stopTimers();

    const ProcedureOptions &o;
    ProcedureResult result;
    QProcess proc;
    OutputBuffer buffer;
    qint64 reportedBytes = 0;
    qint64 pgid = 0;
    QEventLoop loop;
    QTimer hardKill;
    LongTimer deadline; // job-timeout may exceed what a QTimer holds
    QTimer reporter;
    QTimer grace;
    QTimer stopPoll;
};

void ProcedureRun::setUpProcess()
{
    proc.setProgram(QStringLiteral("/bin/sh"));
    proc.setArguments({QStringLiteral("-c"), o.procedure});
    proc.setWorkingDirectory(o.workDir);
    proc.setProcessEnvironment(serverProgramEnvironment());
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.setStandardInputFile(QProcess::nullDevice());
    // Own process group: a timeout or a stop can kill everything the procedure started. Files the procedure
    // leaves in staging or /tmp are the service's alone (package managers set their own modes; a script
    // installing files for everyone sets them, or its umask, itself).
    platform::ChildSetup setup;
    setup.ownProcessGroup = true;
    setup.privateFiles = true;
    setup.defaultSignals = true;
    platform::prepareChild(proc, setup);

    QObject::connect(&proc, &QProcess::readyReadStandardOutput, &proc,
                     [this] { buffer.append(proc.readAllStandardOutput()); });
    // QProcess reports the exit when the shell is reaped, not when the pipe closes: a daemon that keeps
    // the procedure's stdout open does not hold us here.
    QObject::connect(&proc, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&proc, &QProcess::errorOccurred, &loop, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            result.error = QStringLiteral("cannot start /bin/sh: %1").arg(proc.errorString());
            loop.quit();
        }
    });
}

void ProcedureRun::terminateGroup()
{
    platform::endProcessGroup(pgid, platform::GroupEnd::Terminate);
    hardKill.start(static_cast<int>(o.killAfterTermSecs * 1000));
}

void ProcedureRun::setUpTimers()
{
    hardKill.setSingleShot(true);
    QObject::connect(&hardKill, &QTimer::timeout, &proc,
                     [this] { platform::endProcessGroup(pgid, platform::GroupEnd::Kill); });
    QObject::connect(&deadline, &LongTimer::due, &proc, [this] {
        if (result.interrupted)
            return;
        result.timedOut = true;
        qCWarning(lcJobs) << "the procedure runs longer than" << o.timeoutSecs << "s (job-timeout): killing it";
        terminateGroup();
    });
    QObject::connect(&reporter, &QTimer::timeout, &proc, [this] {
        if (o.onOutput && buffer.totalBytes() != reportedBytes) {
            reportedBytes = buffer.totalBytes();
            o.onOutput(buffer.text());
        }
    });
    grace.setSingleShot(true);
    QObject::connect(&grace, &QTimer::timeout, &proc, [this] {
        if (result.timedOut)
            return;
        result.interrupted = true;
        qCWarning(lcJobs) << "the procedure did not finish within" << o.stopGraceSecs
                          << "s after the stop request (stop-grace-seconds): killing it";
        terminateGroup();
    });
    QObject::connect(&stopPoll, &QTimer::timeout, &proc, [this] {
        if (o.shouldStop && o.shouldStop()) {
            stopPoll.stop();
            qCInfo(lcJobs) << "stop requested: the running procedure gets" << o.stopGraceSecs << "s to finish";
            grace.start(static_cast<int>(o.stopGraceSecs * 1000));
        }
    });
}

void ProcedureRun::stopTimers()
{
    deadline.stop();
    reporter.stop();
    stopPoll.stop();
    grace.stop();
    hardKill.stop();
}

ProcedureResult ProcedureRun::run()
{
    setUpProcess();
    setUpTimers();
    proc.start();
    if (!proc.waitForStarted(30000)) {
        if (result.error.isEmpty())
            result.error = QStringLiteral("cannot start /bin/sh: %1").arg(proc.errorString());
        return result;
    }
    result.started = true;
    pgid = proc.processId();
    if (o.onStarted)
        o.onStarted(pgid);
    deadline.startIn(o.timeoutSecs);
    if (o.reportEverySecs > 0 && o.onOutput)
        reporter.start(static_cast<int>(o.reportEverySecs * 1000));
    if (o.shouldStop)
        stopPoll.start(100);
    if (proc.state() != QProcess::NotRunning)
        loop.exec();
    stopTimers();
    // Whatever is already in the pipe; a leftover child may keep it open, so do not wait for its end.
    buffer.append(proc.readAllStandardOutput());
    if (result.timedOut || result.interrupted)
        platform::endProcessGroup(pgid, platform::GroupEnd::Kill); // children left behind go with it
    result.output = buffer.text();
    // On a crash QProcess gives the signal number as exit code; report it negative like the official agent.
    result.exitCode = proc.exitStatus() == QProcess::CrashExit ? -proc.exitCode() : proc.exitCode();
    return result;
}

} // namespace

ProcedureResult runProcedure(const ProcedureOptions &options)
{
    ProcedureRun run(options);
    return run.run();
}

} // namespace oco
