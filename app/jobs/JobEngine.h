#pragma once

#include "protocol/Types.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>

namespace oco {

class Config;
class Dialect;
class StateStore;

struct JobOutcome
{
    bool reported = false;  // the final report was accepted by the server
    bool succeeded = false; // the server's job-succeeded
    int state = JobState::Failed;
    int returnCode = ReturnCodeAgentError;
    QString message;
};

// Decides when download progress is worth a report: every `stepPercent` points, or every `everyMs` when
// it moved at all; never per chunk.
class ProgressGate
{
public:
    explicit ProgressGate(double stepPercent = 10, qint64 everyMs = 10000)
        : m_step(stepPercent)
        , m_everyMs(everyMs)
    {}
    bool due(double percent, qint64 nowMs);

private:
    double m_step;
    qint64 m_everyMs;
    double m_last = 0;
    qint64 m_lastMs = 0;
};

// Runs one job: private staging directory, download (streamed, resumed), extraction, procedure, reports,
// cleanup. Every agent-side problem becomes a -1 / -9999 report with the reason in words.
// The job journal (<state>/journal.json) records the running job before it starts and every final report
// until the server accepted it, so a crash neither loses a result nor runs a job twice.
class JobEngine : public QObject
{
    Q_OBJECT
public:
    JobEngine(Config &config, StateStore &state, QObject *parent = nullptr);

    JobOutcome run(Dialect &dialect, const Job &job);
    // Once per cycle, before any job: a job that was running when the agent stopped last time is reported
    // as interrupted, final reports that could not be delivered are sent again, stale staging directories
    // are removed. Returns false when the server could not be reached (the reports stay queued).
    bool recover(Dialect &dialect);
    // True for a job this agent already finished (or found interrupted) whose redelivery by the server in
    // the same hello must not run it again: it was recovered in this cycle or its report is still queued.
    bool isSettled(const Job &job) const;

    void setStopRequested(std::function<bool()> f) { m_stopRequested = std::move(f); }
    // The client the dialects download with: a stop request aborts a download after the stop grace.
    void setHttp(HttpClient *http) { m_http = http; }
    QString stagingRoot() const;

Q_SIGNALS:
    void jobStarted(const oco::Job &job);
    void jobProgress(const oco::Job &job, int state, double downloadPercent, const QString &outputTail);
    void jobFinished(const oco::Job &job, const oco::JobOutcome &outcome);

private:
    bool report(Dialect &dialect, const Job &job, int state, std::optional<int> rc, const QString &message,
                std::optional<double> progress);
    // Queues the final report in the journal (replacing the running entry), then delivers it.
    void finalReport(Dialect &dialect, const Job &job, int state, int rc, const QString &message, JobOutcome *outcome);
    bool readJournal(QJsonObject *journal) const;
    void writeJournal(const QJsonObject &journal);
    void journalStart(const Job &job, const QString &staging);
    void journalProcess(qint64 pgid);
    void removeUndelivered(const QJsonValue &jobId);
    void removeStaleStaging();
    QString downloadPackage(Dialect &dialect, const Job &job, const QString &zip);
    // Download and extraction into `workDir`; the reason when either fails, else empty.
    QString fetchPackage(Dialect &dialect, const Job &job, const QString &staging, const QString &workDir);
    void runJobProcedure(Dialect &dialect, const Job &job, const QString &staging, const QString &workDir,
                         JobOutcome *outcome);
    // Logs the reason, frees the staging directory and reports the job as failed by the agent.
    void fail(Dialect &dialect, const Job &job, const QString &staging, const QString &why, JobOutcome *outcome);

    Config &m_config;
    StateStore &m_state;
    std::function<bool()> m_stopRequested;
    HttpClient *m_http = nullptr;
    QSet<QString> m_settled; // job ids reported by recover() in this cycle
};

} // namespace oco
