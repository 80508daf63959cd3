#include "JobEngine.h"

#include "Archive.h"
#include "Procedure.h"
#include "config/Config.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "protocol/Dialect.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>

#include <cstdlib>
#include <sys/stat.h>

namespace oco {

namespace {
const QString kJournal = QStringLiteral("journal.json");

QJsonObject reportToJson(const JobReport &r)
{
    QJsonObject o{{QStringLiteral("job-id"), r.jobId},
                  {QStringLiteral("state"), r.state},
                  {QStringLiteral("return-code"), r.returnCode ? QJsonValue(*r.returnCode) : QJsonValue()},
                  {QStringLiteral("message"), r.message}};
    return o;
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
} // namespace

JobEngine::JobEngine(Config &config, StateStore &state, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
{}

QString JobEngine::stagingRoot() const
{
    return m_state.filePath(QStringLiteral("staging"));
}

bool JobEngine::report(Dialect &dialect, const Job &job, int state, std::optional<int> rc, const QString &message,
                       std::optional<double> progress, bool *succeeded, bool final)
{
    JobReport r{job.id, state, rc, message, progress};
    const Result<bool> res = dialect.reportJob(r);
    if (!res.ok()) {
        qCWarning(lcJobs).noquote() << QStringLiteral("job %1: the state %2 report failed: %3")
                                           .arg(job.idText())
                                           .arg(state)
                                           .arg(res.failure.message);
        if (final && res.failure.kind != FailureKind::Http && res.failure.kind != FailureKind::Security)
            queueUndelivered(r);
        return false;
    }
    if (succeeded)
        *succeeded = *res.value;
    return true;
}

bool JobEngine::journalStart(const Job &job, const QString &staging)
{
    QJsonObject journal;
    QString err;
    m_state.readJsonFile(kJournal, &journal, &err);
    journal.insert(QStringLiteral("running"),
                   QJsonObject{{QStringLiteral("job"), job.toJson()},
                               {QStringLiteral("staging"), staging},
                               {QStringLiteral("started"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}});
    if (!m_state.writeJsonFile(kJournal, journal, &err)) {
        qCCritical(lcJobs).noquote() << "cannot write the job journal:" << err;
        return false;
    }
    return true;
}

void JobEngine::journalClear()
{
    QJsonObject journal;
    QString err;
    m_state.readJsonFile(kJournal, &journal, &err);
    journal.remove(QStringLiteral("running"));
    if (!m_state.writeJsonFile(kJournal, journal, &err))
        qCCritical(lcJobs).noquote() << "cannot write the job journal:" << err;
}

void JobEngine::queueUndelivered(const JobReport &r)
{
    QJsonObject journal;
    QString err;
    m_state.readJsonFile(kJournal, &journal, &err);
    QJsonArray list = journal.value(QStringLiteral("undelivered")).toArray();
    list.append(reportToJson(r));
    journal.insert(QStringLiteral("undelivered"), list);
    if (!m_state.writeJsonFile(kJournal, journal, &err))
        qCCritical(lcJobs).noquote() << "cannot write the job journal:" << err;
}

bool JobEngine::recover(Dialect &dialect)
{
    QJsonObject journal;
    QString err;
    if (!m_state.readJsonFile(kJournal, &journal, &err)) {
        qCCritical(lcJobs).noquote() << err;
        return true;
    }
    if (journal.contains(QStringLiteral("running"))) {
        const QJsonObject running = journal.value(QStringLiteral("running")).toObject();
        Job job;
        QString reason;
        Job::fromJson(running.value(QStringLiteral("job")), &job, &reason);
        qCWarning(lcJobs).noquote() << "job" << job.idText()
                                    << "was interrupted when the agent stopped; reporting it as failed";
        const QString staging = running.value(QStringLiteral("staging")).toString();
        if (!staging.isEmpty() && staging.startsWith(stagingRoot()))
            QDir(staging).removeRecursively();
        JobReport r{job.id, JobState::Failed, ReturnCodeAgentError,
                    QStringLiteral("interrupted (agent stopped during execution)"), std::nullopt};
        QJsonArray list = journal.value(QStringLiteral("undelivered")).toArray();
        list.append(reportToJson(r));
        journal.insert(QStringLiteral("undelivered"), list);
        journal.remove(QStringLiteral("running"));
        m_state.writeJsonFile(kJournal, journal, &err);
    }
    const QJsonArray pending = journal.value(QStringLiteral("undelivered")).toArray();
    if (pending.isEmpty())
        return true;
    QJsonArray left;
    bool reachable = true;
    for (const QJsonValue &v : pending) {
        if (!reachable) {
            left.append(v);
            continue;
        }
        const JobReport r = reportFromJson(v.toObject());
        const Result<bool> res = dialect.reportJob(r);
        if (res.ok()) {
            qCInfo(lcJobs).noquote() << "delivered the queued report of job" << r.jobId.toVariant().toString();
        } else if (res.failure.kind == FailureKind::Http) {
            qCWarning(lcJobs).noquote() << "dropping the queued report of job" << r.jobId.toVariant().toString() << ":"
                                        << res.failure.message;
        } else {
            reachable = false;
            left.append(v);
        }
    }
    journal.insert(QStringLiteral("undelivered"), left);
    if (left.isEmpty())
        journal.remove(QStringLiteral("undelivered"));
    m_state.writeJsonFile(kJournal, journal, &err);
    return reachable;
}

JobOutcome JobEngine::run(Dialect &dialect, const Job &job)
{
    JobOutcome outcome;
    Q_EMIT jobStarted(job);
    qCInfo(lcJobs).noquote() << QStringLiteral("job %1 (package %2, container %3) starts")
                                    .arg(job.idText(), job.packageId.toVariant().toString(), job.containerText());

    if (job.procedure.trimmed().isEmpty()) {
        outcome.state = JobState::Succeeded;
        outcome.returnCode = 0;
        outcome.reported =
            report(dialect, job, JobState::Succeeded, 0, QString(), std::nullopt, &outcome.succeeded, true);
        qCInfo(lcJobs).noquote() << "job" << job.idText() << "has an empty procedure: reported as done";
        Q_EMIT jobFinished(job, outcome);
        return outcome;
    }

    QDir().mkpath(stagingRoot());
    ::chmod(QFile::encodeName(stagingRoot()).constData(), 0700);
    QByteArray tmpl = QFile::encodeName(stagingRoot() + QStringLiteral("/job-XXXXXX"));
    if (!::mkdtemp(tmpl.data())) {
        const QString why = QStringLiteral("cannot create a staging directory under %1").arg(stagingRoot());
        qCCritical(lcJobs).noquote() << why;
        outcome.message = why;
        outcome.reported =
            report(dialect, job, JobState::Failed, ReturnCodeAgentError, why, std::nullopt, &outcome.succeeded, true);
        Q_EMIT jobFinished(job, outcome);
        return outcome;
    }
    const QString staging = QFile::decodeName(tmpl);
    const QString workDir = staging + QStringLiteral("/package");
    QDir().mkpath(workDir);
    journalStart(job, staging);

    auto fail = [&](const QString &why) {
        qCWarning(lcJobs).noquote() << "job" << job.idText() << "failed:" << why;
        outcome.state = JobState::Failed;
        outcome.returnCode = ReturnCodeAgentError;
        outcome.message = why;
        outcome.reported =
            report(dialect, job, JobState::Failed, ReturnCodeAgentError, why, std::nullopt, &outcome.succeeded, true);
    };

    bool ok = true;
    if (job.download) {
        report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), 0.0, nullptr, false);
        Q_EMIT jobProgress(job, JobState::DownloadStarted, 0, QString());
        const QString zip = staging + QStringLiteral("/package.zip");
        QElapsedTimer lastReport;
        lastReport.start();
        double lastPercent = 0;
        const Failure f = dialect.download(job, zip, [&](qint64 got, qint64 total) {
            if (total <= 0)
                return;
            const double percent = 100.0 * static_cast<double>(got) / static_cast<double>(total);
            if (percent - lastPercent >= 1.0 || got == total) {
                Q_EMIT jobProgress(job, JobState::DownloadStarted, percent, QString());
                lastPercent = percent;
            }
            // Reports to the server: every 5 s and at the end, not per chunk.
            if (dialect.reportsProgress() && (percent >= 100.0 || lastReport.elapsed() >= 5000)) {
                lastReport.restart();
                report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), percent, nullptr, false);
            }
        });
        if (!f.ok()) {
            ok = false;
            fail(QStringLiteral("download failed: %1").arg(f.message));
        } else {
            if (dialect.reportsProgress())
                report(dialect, job, JobState::DownloadStarted, std::nullopt, QString(), 101.0, nullptr, false);
            const ExtractResult ex = extractArchive(zip, workDir);
            QFile::remove(zip);
            if (!ex.ok) {
                ok = false;
                fail(ex.error);
            } else {
                qCInfo(lcJobs).noquote() << QStringLiteral("job %1: extracted %2 entries (%3 bytes)")
                                                .arg(job.idText())
                                                .arg(ex.entries)
                                                .arg(ex.bytes);
            }
        }
    }

    if (ok) {
        report(dialect, job, JobState::ExecutionStarted, std::nullopt, QString(), 100.0, nullptr, false);
        Q_EMIT jobProgress(job, JobState::ExecutionStarted, 100, QString());
        ProcedureOptions po;
        po.procedure = job.procedure;
        po.workDir = workDir;
        po.timeoutSecs = m_config.jobTimeout;
        po.reportEverySecs = dialect.reportsProgress() ? m_config.reportJobOutput : 0;
        po.onOutput = [&](const QString &soFar) {
            Q_EMIT jobProgress(job, JobState::ExecutionStarted, 100, soFar.right(4000));
            report(dialect, job, JobState::ExecutionStarted, std::nullopt, soFar, 100.0, nullptr, false);
        };
        po.shouldStop = m_stopRequested;
        const ProcedureResult pr = runProcedure(po);
        if (!pr.started) {
            fail(pr.error);
        } else if (pr.timedOut) {
            fail(QStringLiteral("timed out after %1 s (job-timeout); output so far:\n%2")
                     .arg(m_config.jobTimeout)
                     .arg(pr.output));
        } else if (pr.interrupted) {
            fail(QStringLiteral("interrupted (the agent was stopped); output so far:\n%1").arg(pr.output));
        } else {
            outcome.state = JobState::Succeeded;
            outcome.returnCode = pr.exitCode;
            outcome.message = pr.output;
            qCInfo(lcJobs).noquote()
                << QStringLiteral("job %1: the procedure exited with %2").arg(job.idText()).arg(pr.exitCode);
            outcome.reported = report(dialect, job, JobState::Succeeded, pr.exitCode, pr.output, std::nullopt,
                                      &outcome.succeeded, true);
            if (outcome.reported)
                qCInfo(lcJobs).noquote() << "job" << job.idText()
                                         << (outcome.succeeded
                                                 ? "succeeded (server confirmed)"
                                                 : "failed (the server does not count the return code as success)");
        }
    }
    QDir(staging).removeRecursively();
    journalClear();
    Q_EMIT jobFinished(job, outcome);
    return outcome;
}

} // namespace oco
