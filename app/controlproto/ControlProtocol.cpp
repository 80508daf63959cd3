#include "ControlProtocol.h"

#include <utility>

namespace oco::control {

namespace {
template<typename E, size_t N> QString nameIn(const std::pair<E, const char *> (&table)[N], E v)
{
    for (const auto &[value, name] : table)
        if (value == v)
            return QLatin1String(name);
    return {};
}

template<typename E, size_t N>
std::optional<E> valueIn(const std::pair<E, const char *> (&table)[N], const QString &name)
{
    for (const auto &[value, word] : table)
        if (name == QLatin1String(word))
            return value;
    return std::nullopt;
}

const std::pair<MessageType, const char *> kMessageTypes[] = {
    {MessageType::Hello, "hello"},   {MessageType::Welcome, "welcome"}, {MessageType::Refused, "refused"},
    {MessageType::Reply, "reply"},   {MessageType::Status, "status"},   {MessageType::Inventory, "inventory"},
    {MessageType::Jobs, "jobs"},     {MessageType::Power, "power"},     {MessageType::Log, "log"},
    {MessageType::AdminVoice, "ui"},
};

const std::pair<RequestType, const char *> kRequestTypes[] = {
    {RequestType::Ping, "ping"},
    {RequestType::CheckNow, "check_now"},
    {RequestType::Postpone, "postpone"},
    {RequestType::PowerNow, "power_now"},
    {RequestType::CancelPower, "cancel_power"},
    {RequestType::GetSettings, "get_settings"},
    {RequestType::SetSettings, "set_settings"},
    {RequestType::SessionBusy, "session_busy"},
    {RequestType::TestConnection, "test_connection"},
};

const std::pair<AgentState, const char *> kAgentStates[] = {
    {AgentState::Starting, "starting"},   {AgentState::Idle, "idle"}, {AgentState::Contacting, "contacting"},
    {AgentState::Inventory, "inventory"}, {AgentState::Job, "job"},   {AgentState::Error, "error"},
};

const std::pair<ErrorKind, const char *> kErrorKinds[] = {
    {ErrorKind::Ok, "ok"},
    {ErrorKind::Unreachable, "unreachable"},
    {ErrorKind::Timeout, "timeout"},
    {ErrorKind::Tls, "tls"},
    {ErrorKind::Auth, "auth"},
    {ErrorKind::Http, "http"},
    {ErrorKind::Malformed, "malformed"},
    {ErrorKind::Security, "security"},
    {ErrorKind::ClockSkew, "clock-skew"},
    {ErrorKind::Local, "local"},
};

const std::pair<Access, const char *> kAccess[] = {
    {Access::User, "user"},
    {Access::Admin, "admin"},
    {Access::Root, "root"},
};

const std::pair<JobPhase, const char *> kJobPhases[] = {
    {JobPhase::Download, "download"},
    {JobPhase::Extract, "extract"},
    {JobPhase::Execute, "execute"},
};

const std::pair<JobResult, const char *> kJobResults[] = {
    {JobResult::Succeeded, "succeeded"},
    {JobResult::Failed, "failed"},
};

const std::pair<PowerAction, const char *> kPowerActions[] = {
    {PowerAction::Restart, "restart"},
    {PowerAction::Shutdown, "shutdown"},
};

// The first word of each level is the one sent.
const std::pair<LogLevel, const char *> kLogLevels[] = {
    {LogLevel::Debug, "debug"},  {LogLevel::Info, "info"},   {LogLevel::Warning, "warning"},
    {LogLevel::Warning, "warn"}, {LogLevel::Error, "error"}, {LogLevel::Error, "critical"},
    {LogLevel::Fatal, "fatal"},
};
} // namespace

QString wireName(MessageType v)
{
    return nameIn(kMessageTypes, v);
}
QString wireName(RequestType v)
{
    return nameIn(kRequestTypes, v);
}
QString wireName(AgentState v)
{
    return nameIn(kAgentStates, v);
}
QString wireName(ErrorKind v)
{
    return nameIn(kErrorKinds, v);
}
QString wireName(Access v)
{
    return nameIn(kAccess, v);
}
QString wireName(JobPhase v)
{
    return nameIn(kJobPhases, v);
}
QString wireName(JobResult v)
{
    return nameIn(kJobResults, v);
}
QString wireName(PowerAction v)
{
    return nameIn(kPowerActions, v);
}
QString wireName(LogLevel v)
{
    return nameIn(kLogLevels, v);
}

MessageType messageTypeFrom(const QString &name)
{
    return valueIn(kMessageTypes, name).value_or(MessageType::Unknown);
}
RequestType requestTypeFrom(const QString &name)
{
    return valueIn(kRequestTypes, name).value_or(RequestType::Unknown);
}
AgentState agentStateFrom(const QString &name)
{
    return valueIn(kAgentStates, name).value_or(AgentState::Unknown);
}
ErrorKind errorKindFrom(const QString &name)
{
    return valueIn(kErrorKinds, name).value_or(ErrorKind::Unknown);
}
JobPhase jobPhaseFrom(const QString &name)
{
    return valueIn(kJobPhases, name).value_or(JobPhase::Unknown);
}
JobResult jobResultFrom(const QString &name)
{
    return valueIn(kJobResults, name).value_or(JobResult::Unknown);
}
std::optional<PowerAction> powerActionFrom(const QString &name)
{
    return valueIn(kPowerActions, name);
}
std::optional<LogLevel> logLevelFrom(const QString &name)
{
    return valueIn(kLogLevels, name);
}

MessageType messageTypeOf(const QJsonObject &message)
{
    return messageTypeFrom(message.value(QLatin1String("type")).toString());
}

RequestType requestTypeOf(const QJsonObject &message)
{
    return requestTypeFrom(message.value(QLatin1String("type")).toString());
}

} // namespace oco::control
