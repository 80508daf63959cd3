#include "CurrentFeatures.h"

#include "ServiceChecks.h"
#include "config/Config.h"
#include "core/Log.h"
#include "inventory/Inventory.h"

namespace oco {
namespace CurrentFeatures {

QJsonObject helloData(const Config &config, Inventory &inventory)
{
    ServiceCheckOptions checks;
    checks.dir = config.serviceChecksDir;
    checks.timeoutSecs = config.serviceCheckTimeout;
    return {{QStringLiteral("services"), ServiceChecks::run(checks)},
            {QStringLiteral("uptime"), inventory.uptimeSeconds()},
            {QStringLiteral("battery_level"), inventory.batteryLevel()},
            {QStringLiteral("battery_status"), inventory.batteryStatus()}};
}

PolicyOutcome applyPolicies(const QJsonObject &updateParams, StateStore &state)
{
    return PolicyApplier::apply(updateParams.value(QStringLiteral("policies")), state);
}

AfterJobsOutcome afterJobs(const QJsonArray &eventRules, const QJsonArray &updatePasswords, const QByteArray &agentKey,
                           const RpcCall &call, JournalSource &journal, LocalPasswordChanger &changer)
{
    AfterJobsOutcome out;
    if (!eventRules.isEmpty()) {
        EventCollector collector(journal);
        const QList<QJsonArray> batches = collector.collect(eventRules);
        if (!batches.isEmpty()) {
            out.eventsSent = EventCollector::send(batches, call, &out.eventsError);
            if (!out.eventsError.isEmpty())
                qCWarning(lcAgent).noquote() << "events:" << out.eventsError;
            else
                qCInfo(lcAgent) << "events:" << out.eventsSent << "journal entries sent";
        }
    }
    if (!updatePasswords.isEmpty())
        out.passwords = PasswordRotation::rotate(updatePasswords, agentKey, call, changer);
    return out;
}

AfterJobsOutcome afterJobs(const QJsonArray &eventRules, const QJsonArray &updatePasswords, const QByteArray &agentKey,
                           const RpcCall &call)
{
    JournalctlSource journal;
    UsermodPasswordChanger changer;
    return afterJobs(eventRules, updatePasswords, agentKey, call, journal, changer);
}

} // namespace CurrentFeatures
} // namespace oco
