#pragma once

#include "ControlProtocol.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

// The messages of the control protocol as types (app/control/PROTOCOL.md). fromJson takes what a peer sent
// and fills what it knows; members a newer peer adds are ignored, missing ones keep their defaults.
namespace oco::control {

// ISO 8601 UTC, or null for an invalid time.
QJsonValue timeJson(const QDateTime &t);
QDateTime timeFrom(const QJsonValue &v);

// The first message of a client.
struct Hello
{
    int version = kProtocolVersion;
    QString client; // e.g. "oco-tray/1.3.0"
    QJsonObject toJson() const;
    // False with the refusal in words when it is not a hello of our version.
    static bool fromJson(const QJsonObject &o, Hello *hello, QString *error);
};

// Who the service sees at the other end (the welcome's `peer`).
struct PeerInfo
{
    qint64 uid = -1;
    qint64 gid = -1;
    qint64 pid = 0;
    QString user;
    bool admin = false;
    bool hasSession = false;
    QJsonObject toJson() const;
    static PeerInfo fromJson(const QJsonObject &o);
};

struct Welcome
{
    int version = kProtocolVersion;
    QString agentVersion;
    PeerInfo peer;
    QJsonObject toJson() const;
    static Welcome fromJson(const QJsonObject &o);
};

struct Refused
{
    QString reason;
    QJsonObject toJson() const;
    static Refused fromJson(const QJsonObject &o);
};

// A request: its type, the id the reply echoes and its members (minutes, until, settings, busy, why).
struct Request
{
    RequestType type = RequestType::Unknown;
    QJsonValue id;
    QJsonObject params;
    QJsonObject toJson() const;
    static Request fromJson(const QJsonObject &o);
};

// The answer to a request; `members` holds what a request type adds (settings, can_change, file_only).
struct Reply
{
    QJsonValue id;
    bool ok = true;
    QString reason;  // words when refused
    QString message; // words when accepted
    QString result;  // test_connection
    QJsonObject members;
    QJsonObject toJson() const;
    static Reply fromJson(const QJsonObject &o);
    static Reply refusal(const QString &reason);
    // A reply message from the members a handler gave (kept as they are): type and id added, ok true when
    // not said, a refusal's reason "refused" when not said.
    static QJsonObject complete(QJsonObject members, const QJsonValue &id);
    static Reply accepted(const QString &message = {});
};

struct Status
{
    AgentState state = AgentState::Starting;
    QString server;
    QString dialect;
    QDateTime lastContact;
    QDateTime lastSuccess;
    QDateTime nextContact;
    QDateTime lastInventory;
    QString lastError; // "" when none
    ErrorKind errorKind = ErrorKind::Ok;
    QString held; // "" or why jobs wait
    QJsonObject toJson() const;
    static Status fromJson(const QJsonObject &o);
};

struct InventoryPush
{
    QJsonObject inventory; // as uploaded; empty when none yet
    QDateTime collected;
    QJsonObject toJson() const;
    static InventoryPush fromJson(const QJsonObject &o);
};

// A job as the service shows it (the procedure is not sent).
struct JobInfo
{
    QJsonValue id;
    QJsonValue containerId;
    QJsonValue packageId; // a number or, from newer servers, a name
    bool download = false;
    std::optional<int> restartMinutes;
    std::optional<int> shutdownMinutes;
    std::optional<int> exitMinutes;
    QJsonObject toJson() const;
    static JobInfo fromJson(const QJsonObject &o);
};

struct RunningJob : JobInfo
{
    JobPhase phase = JobPhase::Unknown;
    std::optional<double> progress;    // 0..100
    std::optional<QString> outputTail; // absent in the view of plain users
    QDateTime started;
    QJsonObject toJson() const;
    static RunningJob fromJson(const QJsonObject &o);
};

// A finished job of the history.
struct JobRecord
{
    QJsonValue id;
    QJsonValue packageId;
    JobResult result = JobResult::Unknown;
    std::optional<int> returnCode;
    QDateTime started;
    QDateTime finished;
    bool reported = false;
    std::optional<QString> message; // the procedure's output; absent in the view of plain users
    QJsonObject toJson() const;
    static JobRecord fromJson(const QJsonObject &o);
};

struct Jobs
{
    QList<JobInfo> pending;
    std::optional<RunningJob> running;
    QList<JobRecord> history; // newest first
    QJsonObject toJson() const;
    static Jobs fromJson(const QJsonObject &o);
    static QJsonArray historyJson(const QList<JobRecord> &history);
    static QList<JobRecord> historyFrom(const QJsonArray &a);
};

// A pending restart or shutdown (power.pending).
struct PowerPending
{
    bool present = false; // false: nothing is pending
    PowerAction action = PowerAction::Restart;
    QString reason;
    QJsonValue jobId;
    QJsonValue packageId;
    QDateTime jobFinished;
    QString message; // the admin's words and link, when set in [ui]
    QString infoUrl;
    QDateTime deadline;
    QString deadlineLocal;
    qint64 secondsLeft = 0;
    int postponementsUsed = 0;
    int postponementsLeft = 0;
    QList<int> choicesMinutes;
    bool canPostpone = false;
    bool finalCountdown = false;
    int finalCountdownMinutes = 5;
    QDateTime hardDeadline;
    QJsonArray postponements;
    bool running = false;
    QString lastError;
    QList<QDateTime> choicesUntil;
    QList<QDateTime> timeChoices;
    QString window;
    bool waitingForWindow = false;
    QDateTime nextReminder;
    bool reminder = false; // this push is a reminder (travels with one push only)

    bool isEmpty() const { return !present; }
    bool isShutdown() const { return action == PowerAction::Shutdown; }
    QJsonObject toJson() const;
    static PowerPending fromJson(const QJsonObject &o);
};

// The `power` push: the planner's pending action (null when none) and the reminder flag.
struct PowerPush
{
    QJsonObject pending;
    bool reminder = false;
    QJsonObject toJson() const;
    // The pending action of a push, with its reminder flag.
    static PowerPending pendingFrom(const QJsonObject &push);
};

struct LogRecord
{
    QDateTime time;
    LogLevel level = LogLevel::Info;
    QString category;
    QString message;
    QJsonObject toJson() const;
    static LogRecord fromJson(const QJsonObject &o);
};

struct LogPush
{
    QList<LogRecord> lines;
    QJsonObject toJson() const;
    static LogPush fromJson(const QJsonObject &o);
    static QJsonArray linesJson(const QList<LogRecord> &lines);
};

// The `ui` push: the admin's words per key (organisation, message, info_url, helpdesk_url) and language
// ("" the plain key, "de", "de_at"), and the logo's bytes.
struct AdminVoicePush
{
    QMap<QString, QMap<QString, QString>> texts;
    QByteArray logo;
    QJsonObject toJson() const;
    static AdminVoicePush fromJson(const QJsonObject &o);
};

} // namespace oco::control
