#pragma once

#include "protocol/Types.h"

#include <QObject>
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

// Runs one job: private staging directory, download, extraction, procedure, reports, cleanup.
// Every agent-side problem becomes a -1 / -9999 report with the reason in words.
class JobEngine : public QObject
{
    Q_OBJECT
public:
    JobEngine(Config &config, StateStore &state, QObject *parent = nullptr);

    JobOutcome run(Dialect &dialect, const Job &job);
    // Reports jobs that were running when the agent stopped last time, and final reports that could not be
    // delivered; returns false when the server could not be reached (they stay queued).
    bool recover(Dialect &dialect);

    void setStopRequested(std::function<bool()> f) { m_stopRequested = std::move(f); }
    QString stagingRoot() const;

Q_SIGNALS:
    void jobStarted(const oco::Job &job);
    void jobProgress(const oco::Job &job, int state, double downloadPercent, const QString &outputTail);
    void jobFinished(const oco::Job &job, const oco::JobOutcome &outcome);

private:
    bool report(Dialect &dialect, const Job &job, int state, std::optional<int> rc, const QString &message,
                std::optional<double> progress, bool *succeeded, bool final);
    bool journalStart(const Job &job, const QString &staging);
    void journalClear();
    void queueUndelivered(const JobReport &report);

    Config &m_config;
    StateStore &m_state;
    std::function<bool()> m_stopRequested;
};

} // namespace oco
