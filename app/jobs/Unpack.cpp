#include "Unpack.h"

#include "core/Helpers.h"
#include "core/Log.h"
#include "core/TestHooks.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <algorithm>

namespace oco {

ExtractResult extractPackage(const QString &archivePath, const QString &destDir, const ExtractLimits &limits,
                             double timeoutSecs)
{
    ExtractResult result;
    const QString program = helperProgram(QStringLiteral("oco-agent-unpack"), TestHooks::active().unpackHelper);
    QProcess proc;
    proc.setProgram(program);
    proc.setArguments(
        {archivePath, destDir, QString::number(limits.maxTotalBytes), QString::number(limits.maxEntries)});
    proc.setStandardInputFile(QProcess::nullDevice());
    proc.setWorkingDirectory(destDir);

    QEventLoop loop;
    bool timedOut = false;
    QString startError;
    QObject::connect(&proc, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&proc, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            startError = proc.errorString();
            loop.quit();
        }
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &proc, [&] {
        timedOut = true;
        proc.kill();
    });
    proc.start();
    if (!proc.waitForStarted(30000) && startError.isEmpty())
        startError = proc.errorString();
    if (startError.isEmpty() && proc.state() != QProcess::NotRunning) {
        deadline.start(static_cast<int>(std::min(timeoutSecs * 1000.0, 2147483647.0)));
        loop.exec();
        deadline.stop();
    }

    if (!startError.isEmpty()) {
        result.error = QStringLiteral("cannot run the package extractor %1: %2 (is the oco-agent package "
                                      "installed completely?)")
                           .arg(program, startError);
        return result;
    }
    if (timedOut) {
        result.error = QStringLiteral("the package extractor did not finish within %1 s and was stopped; the "
                                      "package was not used")
                           .arg(timeoutSecs);
        return result;
    }
    const QByteArray out = proc.readAllStandardOutput().trimmed();
    const QByteArray err = proc.readAllStandardError().trimmed().right(2000);
    if (proc.exitStatus() == QProcess::CrashExit) {
        result.error = QStringLiteral("the package extractor crashed (signal %1) on this package; the package "
                                      "was not used")
                           .arg(proc.exitCode());
        qCWarning(lcJobs).noquote() << result.error << QString::fromUtf8(err);
        return result;
    }
    const QJsonObject answer = QJsonDocument::fromJson(out.mid(out.lastIndexOf('\n') + 1)).object();
    if (answer.isEmpty()) {
        result.error = QStringLiteral("the package extractor failed (exit status %1)%2")
                           .arg(proc.exitCode())
                           .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + QString::fromUtf8(err));
        return result;
    }
    result.ok = answer.value(QStringLiteral("ok")).toBool() && proc.exitCode() == 0;
    result.error = answer.value(QStringLiteral("error")).toString();
    result.entries = static_cast<qint64>(answer.value(QStringLiteral("entries")).toDouble());
    result.bytes = static_cast<qint64>(answer.value(QStringLiteral("bytes")).toDouble());
    if (!result.ok && result.error.isEmpty())
        result.error = QStringLiteral("the package extractor failed (exit status %1)").arg(proc.exitCode());
    return result;
}

} // namespace oco
