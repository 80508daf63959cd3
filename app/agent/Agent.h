#pragma once

#include "config/Config.h"
#include "jobs/JobEngine.h"
#include "platform/Inventory.h"
#include "protocol/Dialect.h"
#include "protocol/DialectNegotiator.h"
#include "protocol/HttpClient.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <memory>

namespace oco {

class StateStore;

// What the agent is doing and how the last contact went; published to the tray through the control socket.
struct AgentStatus
{
    QString state = QStringLiteral("starting"); // idle, contacting, inventory, job, error
    QString dialect;
    QString lastError;
    FailureKind lastErrorKind = FailureKind::None;
    QDateTime lastContact;
    QDateTime lastSuccess;
    QDateTime lastInventory;
    QDateTime nextContact;
};

// Delay before the next contact after `authFailures` HTTP 401s in a row: max(query-interval, base) doubled per
// failure, at most max(interval, 1 h). With base 60 s (the default [agent] auth-backoff-base) the shipped
// fail2ban example (4 failures within 600 s) never bans the agent's address.
double authBackoffSecs(int authFailures, double queryInterval, double base = 60);

// One agent cycle (docs/agent-behaviour.md §6, without the official agent's bugs):
// hello -> inventory when asked (a failure there does not stop the jobs) -> jobs in server order.
class Agent : public QObject
{
    Q_OBJECT
public:
    Agent(Config &config, StateStore &state, QObject *parent = nullptr);
    ~Agent() override;

    struct CycleResult
    {
        bool ok = false;
        QString error;
        bool exitRequested = false;
    };
    CycleResult runCycle();

    void setForceUpdate(bool force) { m_forceUpdate = force; }
    // Seconds until the next cycle in daemon mode: query-interval, or longer after repeated HTTP 401s so a
    // fail2ban jail on the server (docs/server-protocol.md §4.11) is not triggered.
    double nextDelaySecs() const;
    int consecutiveAuthFailures() const { return m_authFailures; }
    // The hello's `data` for this cycle (service checks run now, docs/agent-behaviour.md §12).
    QJsonObject helloData();
    // Fills an empty [server] api-url from DNS SRV (_oco._tcp) and pins it into the config.
    bool ensureApiUrl(QString *error);
    void requestStop() { m_stopRequested = true; }
    // While `reason` returns a non-empty text (e.g. a restart is pending), jobs wait: they are neither run nor
    // reported, the server delivers them again and they run once the reason is gone. The power helper sets it.
    void setHoldJobs(std::function<QString()> reason) { m_holdJobs = std::move(reason); }
    bool stopRequested() const { return m_stopRequested; }

    AgentIdentity identity();
    QJsonObject collectInventory(InventoryDialect dialect, const QDateTime &loginsSince = {});
    // Builds the dialect the config asks for; nullptr with an error when it cannot.
    std::unique_ptr<Dialect> makeDialect(QString *error);

    const AgentStatus &status() const { return m_status; }
    // Takes changed settings over (HTTP options) without a restart.
    void applyConfig() { m_http.setOptions(httpOptions()); }
    // Timeouts, trust and proxy of `config` for any HTTP client that talks to the server.
    static HttpOptions httpOptionsFor(const Config &config);
    JobEngine &jobs() { return m_jobs; }
    HttpClient &http() { return m_http; }

Q_SIGNALS:
    void statusChanged();
    void jobsPlanned(const QList<oco::Job> &jobs);
    void inventoryCollected(const QJsonObject &inventory);

private:
    void setState(const QString &state);
    void setError(const Failure &f);
    HttpOptions httpOptions() const;
    void noteFailure(const Failure &f);
    // Current-dialect features (docs/agent-behaviour.md §6, §9-§12); each logs its failures and never throws.
    void applyPolicies(const QJsonObject &updateParams);
    void eventsAndPasswords(Dialect &dialect, const HelloResult &h);
    // Steps of runCycle: the hello (through the negotiator), the inventory when asked, the jobs in order.
    DialectNegotiator::Contact contactServer(QString *error);
    Failure uploadInventory(Dialect &dialect, const QString &loginsSince);
    bool jobsWait(const Job &job) const;
    bool runJobs(Dialect &dialect, const QList<Job> &jobs, CycleResult *result);

    Config &m_config;
    StateStore &m_state;
    HttpClient m_http;
    JobEngine m_jobs;
    AgentStatus m_status;
    bool m_forceUpdate = false;
    bool m_stopRequested = false;
    int m_authFailures = 0;
    std::function<QString()> m_holdJobs;
};

} // namespace oco
