#include "CurrentFeatures.h"

#include "ServiceChecks.h"
#include "config/Config.h"
#include "core/Log.h"
#include "core/TestHooks.h"
#include "core/Version.h"
#include "jobs/Procedure.h"
#include "platform/Accounts.h"
#include "platform/Inventory.h"

#include <QFileInfo>

#include <functional>
#include <stdexcept>

namespace oco {
namespace CurrentFeatures {

namespace {

QJsonArray serviceChecks(const Config &config)
{
    // The 2021 hello has no services (servers from v0.15.4 on store them from the dotted hello).
    if (config.protocol == ProtocolChoice::Legacy2021)
        return {};
    ServiceCheckOptions checks;
    checks.dir = config.serviceChecksDir;
    checks.timeoutSecs = config.serviceCheckTimeout;
    return ServiceChecks::run(checks);
}

} // namespace

QJsonObject helloData(const Config &config, platform::Inventory &inventory, bool forceUpdate)
{
    QJsonObject data{{QStringLiteral("agent_version"), QStringLiteral(OCO_VERSION)},
                     {QStringLiteral("force_update"), forceUpdate}};
    // Collectors may throw on unreadable files; the hello must still go out, without that field's value.
    auto field = [&](const QString &key, const std::function<QJsonValue()> &collect, const QJsonValue &fallback) {
        try {
            data.insert(key, collect());
        } catch (const std::exception &e) {
            qCWarning(lcAgent).noquote() << "hello field" << key << "sent empty:" << e.what();
            data.insert(key, fallback);
        }
    };
    field(
        QStringLiteral("networks"), [&] { return QJsonValue(inventory.networks()); }, QJsonArray());
    field(
        QStringLiteral("uptime"), [&] { return QJsonValue(inventory.uptimeSeconds()); }, QJsonValue(0));
    field(
        QStringLiteral("battery_level"), [&] { return inventory.batteryLevel(); }, QJsonValue(false));
    field(
        QStringLiteral("battery_status"), [&] { return inventory.batteryStatus(); }, QJsonValue(false));
    field(
        QStringLiteral("services"), [&] { return QJsonValue(serviceChecks(config)); }, QJsonArray());
    return data;
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
    // The test hooks' journal (a file or directory) makes journalctl read that journal instead of the
    // system's: the seam the end-to-end tests use with a generated journal, like the sysroot for the inventory.
    QStringList journalArgs;
    const QString other = TestHooks::active().journal;
    if (!other.isEmpty())
        journalArgs << (QFileInfo(other).isDir() ? QStringLiteral("--directory=") : QStringLiteral("--file=")) + other;
    JournalctlSource journal(journalArgs);
    const auto changer = platform::systemPasswordChanger(serverProgramEnvironment());
    return afterJobs(eventRules, updatePasswords, agentKey, call, journal, *changer);
}

} // namespace CurrentFeatures
} // namespace oco
