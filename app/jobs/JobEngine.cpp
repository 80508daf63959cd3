#include "JobEngine.h"

#include "Procedure.h"
#include "Unpack.h"
#include "config/Config.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "platform/ProcessRunner.h"
#include "protocol/Dialect.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace oco {

namespace {
const QString kJournal = QStringLiteral("journal.json");
const QString kRunning = QStringLiteral("running");
const QString kUndelivered = QStringLiteral("undelivered");
const QString kInterrupted = QStringLiteral("interrupted (agent stopped during execution)");

QString idText(const QJsonValue &id)
{
    Job j;
    j.id = id;
    return j.idText();
}

QJsonObject reportToJson(const JobReport &r)
{
    return QJsonObject{{QStringLiteral("job-id"), r.jobId},
                       {QStringLiteral("state"), r.state},
                       {QStringLiteral("return-code"), r.returnCode ? QJsonValue(*r.returnCode) : QJsonValue()},
                       {QStringLiteral("message"), r.message},
                       {QStringLiteral("queued"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
}

JobReport reportFromJson(const QJsonObject &o)
{
    JobReport r;
    r.jobId = o.value(QStringLiteral("job-id"));
    r.state = o.value(QStringLiteral("state")).toInt();
    if (o.value(QStringLiteral("return-code")).isDouble())
        r.returnCode = o.value(QStringLiteral("return-code")).toInt();
    r.message = o.value(QStringLiteral("message")).toString();
    return r;
}

// A refusal that will not change by retrying: the server does not know the job (any more) or it belongs
// to another computer. Everything else (transport, 5xx, keys) is retried in later cycles.
bool permanentlyRefused(const Failure &f)
{
    return f.kind == FailureKind::Http && f.httpStatus >= 400 && f.httpStatus < 500;
}

QString seconds(double s)
{
    return QString::number(s, 'g', 6);
}
} // namespace

bool ProgressGate::due(double percent, qint64 nowMs)
{
    if (percent <= m_last)
        return false;
    if (percent - m_last >= m_step || nowMs - m_lastMs >= m_everyMs) {
        m_last = percent;
        m_lastMs = nowMs;
        return true;
    }
    return false;
}

JobEngine::JobEngine(Config &config, StateStore &state, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
{}

QString JobEngine::stagingRoot() const
{
    return m_state.filePath(QStringLiteral("staging"));
}

bool JobEngine::readJournal(QJsonObject *journal) const
{
    QString err;
    if (!m_state.readJsonFile(kJournal, journal, &err)) {
        qCCritical(lcJobs).noquote() << "cannot read the job journal:" << err;
        return false;
    }
    return true;
}

void JobEngine::writeJournal(const QJsonObject &journal)
{
    QString err;
    if (!m_state.writeJsonFile(kJournal, journal, &err))
        qCCritical(lcJobs).noquote() << "cannot write the job journal:" << err;
}

void JobEngine::journalStart(const Job &job, const QString &staging)
{
    QJsonObject journal;
    readJournal(&journal);
    journal.insert(kRunning,
                   QJsonObject{{QStringLiteral("job"), job.toJson()},
                               {QStringLiteral("staging"), staging},
                               {QStringLiteral("started"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}});
    writeJournal(journal);
}

void JobEngine::journalProcess(qint64 pgid)
{
    // With the group in the journal, the next start can end a procedure that outlived a killed agent.
    QJsonObject journal;
    readJournal(&journal);
    QJsonObject running = journal.value(kRunning).toObject();
    running.insert(QStringLiteral("pgid"), pgid);
    running.insert(QStringLiteral("process"), platform::processIdentity(pgid));
    journal.insert(kRunning, running);
    writeJournal(journal);
}

void JobEngine::removeUndelivered(const QJsonValue &jobId)
{
    QJsonObject journal;
    readJournal(&journal);
    const QJsonArray list = journal.value(kUndelivered).toArray();
    QJsonArray left;
    for (const QJsonValue &v : list)
        if (idText(v.toObject().value(QStringLiteral("job-id"))) != idText(jobId))
            left.append(v);
    if (left.isEmpty())
        journal.remove(kUndelivered);
    else
        journal.insert(kUndelivered, left);
    writeJournal(journal);
}

bool JobEngine::isSettled(const Job &job) const
{
    if (m_settled.contains(job.idText()))
        return true;
    QJsonObject journal;
    QString err;
    m_state.readJsonFile(kJournal, &journal, &err);
    const QJsonArray list = journal.value(kUndelivered).toArray();
    for (const QJsonValue &v : list)
        if (idText(v.toObject().value(QStringLiteral("job-id"))) == job.idText())
            return true;
    return false;
}

bool JobEngine::report(Dialect &dialect, const Job &job, int state, std::optional<int> rc, const QString &message,
                       std::optional<double> progress)
{
    const Result<bool> res = dialect.reportJob(JobReport{job.id, state, rc, message, progress});
    if (!res.ok()) {
        qCWarning(lcJobs).noquote() << QStringLiteral("job %1: the state %2 report failed: %3")
                                           .arg(job.idText())
                                           .arg(state)
                                           .arg(res.failure.message);
        return false;
    }
    return true;
}

void JobEngine::finalReport(Dialect &dialect, const Job &job, int state, int rc, const QString &message,
                            JobOutcome *outcome)
{
    outcome->state = state;
    outcome->returnCode = rc;
    outcome->message = message;
    // The result goes to the journal first: a crash from here on still delivers it, and never re-runs the job.
    const JobReport r{job.id, state, rc, message, std::nullopt};
    QJsonObject journal;
    readJournal(&journal);
    QJsonArray list = journal.value(kUndelivered).toArray();
    list.append(reportToJson(r));
    journal.insert(kUndelivered, list);
    journal.remove(kRunning);
    writeJournal(journal);

    const Result<bool> res = dialect.reportJob(r);
    if (res.ok()) {
        outcome->reported = true;
        outcome->succeeded = *res.value;
        removeUndelivered(job.id);
        return;
    }
    if (permanentlyRefused(res.failure)) {
        qCWarning(lcJobs).noquote() << QStringLiteral("job %1: the server refused the final report, dropping it: %2")
                                           .arg(job.idText(), res.failure.message);
        removeUndelivered(job.id);
        return;
    }
    qCWarning(lcJobs).noquote() << QStringLiteral("job %1: the final report failed (%2); it stays queued and is "
                                                  "sent again in the next cycles")
                                       .arg(job.idText(), res.failure.message);
}

void JobEngine::removeStaleStaging()
{
    // Called when no job runs: whatever is left under the staging root is from a crash.
    QDir root(stagingRoot());
    if (!root.exists())
        return;
    const QStringList stale = root.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    for (const QString &name : stale) {
        const QString path = root.filePath(name);
        qCInfo(lcJobs).noquote() << "removing the stale staging directory" << path;
        if (QFileInfo(path).isDir() && !QFileInfo(path).isSymLink())
            QDir(path).removeRecursively();
        else
            QFile::remove(path);
    }
}

bool JobEngine::recover(Dialect &dialect)
{
    m_settled.clear();
    QJsonObject journal;
    if (!readJournal(&journal))
        return true;
    if (journal.contains(kRunning)) {
        const QJsonObject running = journal.value(kRunning).toObject();
        Job job;
        QString reason;
        Job::fromJson(running.value(QStringLiteral("job")), &job, &reason);
        qCWarning(lcJobs).noquote() << "job" << job.idText() << "was running when the agent stopped (since"
                                    << running.value(QStringLiteral("started")).toString()
                                    << "); reporting it as failed instead of running it again";
        // The procedure may have outlived the agent (kill -9 outside systemd): end its group, but only if
        // it is still the same process (same boot, same start time), never a reused pid.
        const qint64 pgid = static_cast<qint64>(running.value(QStringLiteral("pgid")).toDouble());
        const QString identity = running.value(QStringLiteral("process")).toString();
        if (pgid > 0 && !identity.isEmpty() && platform::processIdentity(pgid) == identity) {
            qCWarning(lcJobs).noquote() << QStringLiteral("job %1: its procedure (process group %2) is still running; "
                                                          "killing it")
                                               .arg(job.idText())
                                               .arg(pgid);
            platform::endProcessGroup(pgid, platform::GroupEnd::Kill);
        }
        const JobReport r{job.id, JobState::Failed, ReturnCodeAgentError, kInterrupted, std::nullopt};
        QJsonArray list = journal.value(kUndelivered).toArray();
        list.append(reportToJson(r));
        journal.insert(kUndelivered, list);
        journal.remove(kRunning);
        writeJournal(journal);
    }
    removeStaleStaging();
    const QJsonArray pending = journal.value(kUndelivered).toArray();
    for (const QJsonValue &v : pending)
        m_settled.insert(idText(v.toObject().value(QStringLiteral("job-id"))));
    if (pending.isEmpty())
        return true;
    bool reachable = true;
    for (const QJsonValue &v : pending) {
        const JobReport r = reportFromJson(v.toObject());
        const Result<bool> res = dialect.reportJob(r);
        if (res.ok()) {
            qCInfo(lcJobs).noquote() << QStringLiteral("delivered the queued final report of job %1 (state %2)")
                                            .arg(idText(r.jobId))
                                            .arg(r.state);
            removeUndelivered(r.jobId);
        } else if (permanentlyRefused(res.failure)) {
            qCWarning(lcJobs).noquote() << QStringLiteral("the server refused the queued report of job %1, dropping "
                                                          "it: %2")
                                               .arg(idText(r.jobId), res.failure.message);
            removeUndelivered(r.jobId);
        } else {
            qCWarning(lcJobs).noquote() << QStringLiteral("the queued report of job %1 still cannot be delivered: %2")
                                               .arg(idText(r.jobId), res.failure.message);
            reachable = false;
            break;
        }
    }
    return reachable;
}

QString JobEngine::downloadPackage(Dialect &dialect, const Job &job, const QString &zip)
{
    ProgressGate gate;
    QElapsedTimer clock;
    clock.start();
    bool reporting = false;
    auto onProgress = [&](qint64 got, qint64 total) {
        if (total <= 0 || reporting)
            return;
        const double percent = std::min(100.0, 100.0 * static_cast<double>(got) / static_cast<double>(total));
        if (!gate.due(percent, clock.elapsed()))
            return;
        Q_EMIT jobProgress(job, JobState::DownloadStarted, percent, QString());
        if (dialect.reportsProgress() && percent < 100.0) {
            reporting = true; // the report runs a nested event loop: no second report from inside it
            report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), percent);
            reporting = false;
        }
    };
    // A stop request gives the download the same grace as a running procedure, then aborts it.
    bool stopped = false;
    QElapsedTimer stopSince;
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &stopPoll, [&] {
        if (!m_stopRequested || !m_stopRequested() || !m_http)
            return;
        if (!stopSince.isValid()) {
            stopSince.start();
            qCInfo(lcJobs) << "stop requested: the download gets" << m_config.stopGraceSeconds << "s to finish";
        } else if (stopSince.elapsed() >= static_cast<qint64>(m_config.stopGraceSeconds * 1000)) {
            stopped = true;
            m_http->abortCurrent(QStringLiteral("stopped"));
        }
    });
    stopPoll.start(100);
    qint64 have = 0;
    int resumes = 0, fruitless = 0;
    for (;;) {
        const Failure f = dialect.download(job, zip, onProgress, have);
        if (stopped && !f.ok())
            return QStringLiteral("%1: the download did not finish within %2 s after the stop request "
                                  "(stop-grace-seconds)")
                .arg(kInterrupted, seconds(m_config.stopGraceSeconds));
        const qint64 size = QFileInfo(zip).size();
        if (f.ok()) {
            const double secs = std::max<qint64>(1, clock.elapsed()) / 1000.0;
            qCInfo(lcJobs).noquote() << QStringLiteral("job %1: downloaded %2 bytes in %3 s (%4 MiB/s%5)")
                                            .arg(job.idText())
                                            .arg(size)
                                            .arg(secs, 0, 'f', 2)
                                            .arg(static_cast<double>(size) / secs / (1024 * 1024), 0, 'f', 1)
                                            .arg(resumes ? QStringLiteral(", resumed %1 times").arg(resumes)
                                                         : QString());
            return {};
        }
        // A broken connection (not a stall, not a refusal) is resumed where the file ends, as long as each
        // attempt gets further; a server without ranges sends the whole file again.
        const bool broken = f.kind == FailureKind::Unreachable && size > 0;
        fruitless = size > have ? 0 : fruitless + 1;
        if (!broken || fruitless >= 3 || resumes >= 50)
            return QStringLiteral("download failed: %1").arg(f.message);
        ++resumes;
        qCWarning(lcJobs).noquote() << QStringLiteral("job %1: the download broke off after %2 bytes (%3); resuming")
                                           .arg(job.idText())
                                           .arg(size)
                                           .arg(f.message);
        have = size;
    }
}

void JobEngine::fail(Dialect &dialect, const Job &job, const QString &staging, const QString &why, JobOutcome *outcome)
{
    qCWarning(lcJobs).noquote() << "job" << job.idText() << "failed:" << why.left(2000);
    // The package goes before the final report: on a full disk the journal write there needs its space
    // (found by tst_fsfaults: the journal kept the job as running, so the next start reported it again).
    if (!staging.isEmpty())
        QDir(staging).removeRecursively();
    finalReport(dialect, job, JobState::Failed, ReturnCodeAgentError, why, outcome);
}

QString JobEngine::fetchPackage(Dialect &dialect, const Job &job, const QString &staging, const QString &workDir)
{
    report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), 0.0);
    Q_EMIT jobProgress(job, JobState::DownloadStarted, 0, QString());
    const QString zip = staging + QStringLiteral("/package.zip");
    const QString problem = downloadPackage(dialect, job, zip);
    if (!problem.isEmpty())
        return problem;
    if (dialect.reportsProgress())
        report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), 101.0);
    ExtractLimits limits;
    limits.maxTotalBytes = static_cast<qint64>(m_config.extractMaxMiB * 1024 * 1024);
    limits.maxEntries = static_cast<qint64>(m_config.extractMaxEntries);
    const ExtractResult ex = extractPackage(zip, workDir, limits);
    QFile::remove(zip);
    if (!ex.ok)
        return ex.error;
    qCInfo(lcJobs).noquote()
        << QStringLiteral("job %1: extracted %2 entries (%3 bytes)").arg(job.idText()).arg(ex.entries).arg(ex.bytes);
    return {};
}

void JobEngine::runJobProcedure(Dialect &dialect, const Job &job, const QString &staging, const QString &workDir,
                                JobOutcome *outcome)
{
    report(dialect, job, JobState::ExecutionStarted, std::nullopt, QString(), 100.0);
    Q_EMIT jobProgress(job, JobState::ExecutionStarted, 100, QString());
    ProcedureOptions po;
    po.procedure = job.procedure;
    po.workDir = workDir;
    po.timeoutSecs = m_config.jobTimeout;
    po.stopGraceSecs = m_config.stopGraceSeconds;
    po.reportEverySecs = m_config.reportJobOutput;
    bool reporting = false;
    po.onOutput = [&](const QString &soFar) {
        Q_EMIT jobProgress(job, JobState::ExecutionStarted, 100, soFar.right(4000));
        if (dialect.reportsProgress() && !reporting) {
            reporting = true;
            report(dialect, job, JobState::ExecutionStarted, std::nullopt, soFar, 100.0);
            reporting = false;
        }
    };
    po.shouldStop = m_stopRequested;
    po.onStarted = [&](qint64 pgid) { journalProcess(pgid); };
    const ProcedureResult pr = runProcedure(po);
    if (!pr.started) {
        fail(dialect, job, staging, pr.error, outcome);
    } else if (pr.timedOut) {
        fail(dialect, job, staging,
             QStringLiteral("timed out after %1 s (job-timeout); output so far:\n%2")
                 .arg(seconds(m_config.jobTimeout), pr.output),
             outcome);
    } else if (pr.interrupted) {
        fail(dialect, job, staging,
             QStringLiteral("%1: not finished %2 s after the stop request (stop-grace-seconds); output so far:\n%3")
                 .arg(kInterrupted, seconds(m_config.stopGraceSeconds), pr.output),
             outcome);
    } else {
        qCInfo(lcJobs).noquote()
            << QStringLiteral("job %1: the procedure exited with %2").arg(job.idText()).arg(pr.exitCode);
        finalReport(dialect, job, JobState::Succeeded, pr.exitCode, pr.output, outcome);
        if (outcome->reported)
            qCInfo(lcJobs).noquote() << "job" << job.idText()
                                     << (outcome->succeeded
                                             ? "succeeded (server confirmed)"
                                             : "failed (the server does not count the return code as success)");
    }
}

JobOutcome JobEngine::run(Dialect &dialect, const Job &job)
{
    JobOutcome outcome;
    Q_EMIT jobStarted(job);
    qCInfo(lcJobs).noquote() << QStringLiteral("job %1 (package %2, container %3) starts")
                                    .arg(job.idText(), job.packageId.toVariant().toString(), job.containerText());

    if (job.procedure.trimmed().isEmpty()) {
        finalReport(dialect, job, JobState::Succeeded, 0, QString(), &outcome);
        qCInfo(lcJobs).noquote() << "job" << job.idText() << "has an empty procedure: reported as done";
        Q_EMIT jobFinished(job, outcome);
        return outcome;
    }

    // A fresh private directory per job: the state dir is root's, staging/ and job-XXXXXX are 0700.
    QString staging, error;
    if (!platform::makePrivateDirectory(stagingRoot(), QStringLiteral("job-"), &staging, &error)) {
        fail(dialect, job, QString(),
             QStringLiteral("cannot create a staging directory under %1: %2").arg(stagingRoot(), error), &outcome);
        Q_EMIT jobFinished(job, outcome);
        return outcome;
    }
    const QString workDir = staging + QStringLiteral("/package");
    QDir().mkpath(workDir);
    journalStart(job, staging);

    const QString problem = job.download ? fetchPackage(dialect, job, staging, workDir) : QString();
    if (!problem.isEmpty())
        fail(dialect, job, staging, problem, &outcome);
    else if (m_stopRequested && m_stopRequested())
        fail(dialect, job, staging, QStringLiteral("interrupted (the agent was stopped before the procedure started)"),
             &outcome);
    else
        runJobProcedure(dialect, job, staging, workDir, &outcome);
    QDir(staging).removeRecursively();
    if (QFileInfo::exists(staging))
        qCWarning(lcJobs).noquote() << "cannot remove the staging directory" << staging;
    Q_EMIT jobFinished(job, outcome);
    return outcome;
}

} // namespace oco
