#include "CurrentFeatures.h"

#include "ServiceChecks.h"
#include "config/Config.h"
#include "core/Log.h"
#include "jobs/Procedure.h"
#include "platform/Accounts.h"
#include "platform/Inventory.h"

#include <QFileInfo>

#include <functional>
#include <stdexcept>

namespace oco {
namespace CurrentFeatures {

QJsonObject helloData(const Config &config, platform::Inventory &inventory)
{
    ServiceCheckOptions checks;
    checks.dir = config.serviceChecksDir;
    checks.timeoutSecs = config.serviceCheckTimeout;
    QJsonObject data{{QStringLiteral("services"), ServiceChecks::run(checks)}};
    // Inventory collectors may throw on unreadable files; a hello must still go out without that field.
    auto field = [&](const QString &key, const std::function<QJsonValue()> &collect, const QJsonValue &fallback) {
        try {
            data.insert(key, collect());
        } catch (const std::exception &e) {
            qCWarning(lcInventory).noquote() << "hello field" << key << "left out:" << e.what();
            data.insert(key, fallback);
        }
    };
    field(
        QStringLiteral("uptime"), [&] { return QJsonValue(inventory.uptimeSeconds()); }, QJsonValue(0));
    field(
        QStringLiteral("battery_level"), [&] { return inventory.batteryLevel(); }, QJsonValue(false));
    field(
        QStringLiteral("battery_status"), [&] { return inventory.batteryStatus(); }, QJsonValue(false));
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
    // OCO_JOURNAL (a journal file or directory) makes journalctl read that journal instead of the system's:
    // the seam the end-to-end tests use with a generated journal, like OCO_SYSROOT for the inventory.
    QStringList journalArgs;
    const QString other = qEnvironmentVariable("OCO_JOURNAL");
    if (!other.isEmpty())
        journalArgs << (QFileInfo(other).isDir() ? QStringLiteral("--directory=") : QStringLiteral("--file=")) + other;
    JournalctlSource journal(journalArgs);
    const auto changer = platform::systemPasswordChanger(serverProgramEnvironment());
    return afterJobs(eventRules, updatePasswords, agentKey, call, journal, *changer);
}

} // namespace CurrentFeatures
} // namespace oco
