#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

// The names and limits of the control protocol between the service, the tray and the command line
// (app/control/PROTOCOL.md). Qt Core only: the tray links it without any of the service's code.
namespace oco::control {

// Later versions add message types and members without changing this number.
constexpr int kProtocolVersion = 1;
// A line from a client to the service.
constexpr qint64 kMaxRequestLine = 64 * 1024;
// A line from the service; its per-client buffer (4 MiB) bounds them, anything bigger is a broken peer.
constexpr qint64 kMaxPushLine = 8 * 1024 * 1024;

enum class MessageType
{
    Unknown,
    Hello,
    Welcome,
    Refused,
    Reply,
    Status,
    Inventory,
    Jobs,
    Power,
    Log,
    AdminVoice // "ui"
};

enum class RequestType
{
    Unknown,
    Ping,
    CheckNow,
    Postpone,
    PowerNow,
    CancelPower,
    GetSettings,
    SetSettings,
    SessionBusy,
    TestConnection
};

// What the service is doing (status.state).
enum class AgentState
{
    Unknown,
    Starting,
    Idle,
    Contacting,
    Inventory,
    Job,
    Error
};

// Why the last contact failed (status.error_kind); Ok when it did not.
enum class ErrorKind
{
    Unknown,
    Ok,
    Unreachable,
    Timeout,
    Tls,
    Auth,
    Http,
    Malformed,
    Security,
    ClockSkew,
    Local
};

// How much of the service's state a peer may see and do; decided at its hello.
enum class Access
{
    User,  // any local user
    Admin, // a member of [power] admin-group
    Root
};

enum class JobPhase
{
    Unknown,
    Download,
    Extract,
    Execute
};

// A finished job in the history.
enum class JobResult
{
    Unknown,
    Succeeded,
    Failed
};

enum class PowerAction
{
    Restart,
    Shutdown
};

enum class LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
    Fatal
};

// The word on the wire; "" for Unknown.
QString wireName(MessageType v);
QString wireName(RequestType v);
QString wireName(AgentState v);
QString wireName(ErrorKind v);
QString wireName(Access v);
QString wireName(JobPhase v);
QString wireName(JobResult v);
QString wireName(PowerAction v);
QString wireName(LogLevel v);

// The value for a word on the wire; Unknown (or nullopt) for words a newer peer may send.
MessageType messageTypeFrom(const QString &name);
RequestType requestTypeFrom(const QString &name);
AgentState agentStateFrom(const QString &name);
ErrorKind errorKindFrom(const QString &name);
JobPhase jobPhaseFrom(const QString &name);
JobResult jobResultFrom(const QString &name);
std::optional<PowerAction> powerActionFrom(const QString &name);
// Also takes the older words "warn" and "critical".
std::optional<LogLevel> logLevelFrom(const QString &name);

// The `type` member of a message.
MessageType messageTypeOf(const QJsonObject &message);
RequestType requestTypeOf(const QJsonObject &message);

} // namespace oco::control
