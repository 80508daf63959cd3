#pragma once

#include "HttpClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace oco {

// One entry of `software-jobs`. Ids keep the JSON type the server used (number or string), because the
// server compares what we echo with its own value.
struct Job
{
    QJsonValue id;
    QJsonValue containerId;
    QJsonValue packageId;
    bool download = false;
    QString procedure;
    int sequenceMode = 0;
    std::optional<int> restartMinutes;
    std::optional<int> shutdownMinutes;
    std::optional<int> exitMinutes;

    QString idText() const;
    QString containerText() const;
    // Parses one job object; returns false (with a reason) when `id` or `procedure` is missing.
    static bool fromJson(const QJsonValue &v, Job *job, QString *reason);
    QJsonObject toJson() const;
};

struct HelloResult
{
    bool update = false;
    QList<Job> jobs;
    QStringList invalidJobs; // reasons for entries that could not be used
    QString loginsSince;     // current dialect
    QJsonArray events;
    QJsonArray updatePasswords;
    QJsonObject params;
};

struct JobReport
{
    QJsonValue jobId;
    int state = 0;
    std::optional<int> returnCode;
    QString message;
    std::optional<double> downloadProgress;
};

// Job states of docs/server-protocol.md §5.
namespace JobState {
constexpr int Waiting = 0;
constexpr int DownloadStarted = 1;
constexpr int ExecutionStarted = 2;
constexpr int Succeeded = 3;
constexpr int Failed = -1;
} // namespace JobState

constexpr int ReturnCodeAgentError = -9999;

template<class T> struct Result
{
    std::optional<T> value;
    Failure failure;
    bool ok() const { return failure.ok() && value.has_value(); }
    static Result success(T v) { return Result{std::move(v), {}}; }
    static Result fail(Failure f) { return Result{std::nullopt, std::move(f)}; }
};

} // namespace oco
