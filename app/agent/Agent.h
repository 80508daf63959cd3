#pragma once

#include "config/Config.h"
#include "inventory/Inventory.h"
#include "jobs/JobEngine.h"
#include "protocol/Dialect.h"
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

// One agent cycle (AGENT-BEHAVIOUR.md §6, without the official agent's bugs):
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
    void requestStop() { m_stopRequested = true; }
    // While `reason` returns a non-empty text (e.g. a restart is pending), jobs wait: they are neither run nor
    // reported, the server delivers them again and they run once the reason is gone. The power helper sets it.
    void setHoldJobs(std::function<QString()> reason) { m_holdJobs = std::move(reason); }
    bool stopRequested() const { return m_stopRequested; }

    AgentIdentity identity();
    QJsonObject collectInventory(InventoryDialect dialect);
    // Builds the dialect the config asks for; nullptr with an error when it cannot.
    std::unique_ptr<Dialect> makeDialect(QString *error);

    const AgentStatus &status() const { return m_status; }
    JobEngine &jobs() { return m_jobs; }
    HttpClient &http() { return m_http; }

Q_SIGNALS:
    void statusChanged();

private:
    void setState(const QString &state);
    void setError(const Failure &f);
    HttpOptions httpOptions() const;

    Config &m_config;
    StateStore &m_state;
    HttpClient m_http;
    JobEngine m_jobs;
    AgentStatus m_status;
    bool m_forceUpdate = false;
    bool m_stopRequested = false;
    std::function<QString()> m_holdJobs;
};

} // namespace oco
