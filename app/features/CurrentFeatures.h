#pragma once

#include "Events.h"
#include "PasswordRotation.h"
#include "Policies.h"
#include "Rpc.h"

#include <QJsonArray>
#include <QJsonObject>

namespace oco {

class Config;
namespace platform {
class Inventory;
}
class StateStore;

// How the agent cycle uses the features of current servers (docs/agent-behaviour.md §6): hello data, the
// policies after the inventory upload, and events then passwords after the jobs. Current dialect only.
namespace CurrentFeatures {

// The hello's `data`: agent_version, networks, uptime, battery_level, battery_status, force_update and
// services (the checks of config.serviceChecksDir, run now; none when the 2021 dialect is configured, whose
// hello has no services). A field whose collector fails goes out with a neutral value. Each dialect sends
// the members it knows.
QJsonObject helloData(const Config &config, platform::Inventory &inventory, bool forceUpdate = false);

// After a successful oco.agent.update: `params` is the reply's result.params.
PolicyOutcome applyPolicies(const QJsonObject &updateParams, StateStore &state);

struct AfterJobsOutcome
{
    int eventsSent = 0;
    QString eventsError;
    RotationOutcome passwords;
};

// Events (hello `events`) and then password rotation (hello `update-passwords`); each only when its list
// is non-empty. Failures are logged and never stop the other.
AfterJobsOutcome afterJobs(const QJsonArray &eventRules, const QJsonArray &updatePasswords, const QByteArray &agentKey,
                           const RpcCall &call, JournalSource &journal, LocalPasswordChanger &changer);
// The same with the system journal (journalctl; the environment variable OCO_JOURNAL names another journal
// file or directory, for tests) and chpasswd.
AfterJobsOutcome afterJobs(const QJsonArray &eventRules, const QJsonArray &updatePasswords, const QByteArray &agentKey,
                           const RpcCall &call);

} // namespace CurrentFeatures
} // namespace oco
