#pragma once

#include "ControlServer.h"
#include "JobHistory.h"
#include "LogRelay.h"
#include "SettingsAccess.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace oco {

class Agent;
class Config;
class PowerPlanner;
class StateStore;
struct Job;
struct JobOutcome;

// The controller of the control socket on the service side: turns what the agent, the job engine and the power planner
// do into control-protocol pushes, and carries out the requests after checking who asks.
class ControlService : public QObject
{
    Q_OBJECT
public:
    ControlService(ControlServer &server, Agent &agent, Config &config, StateStore &state, PowerPlanner &planner,
                   QObject *parent = nullptr);
    ~ControlService() override;

    // Starts a contact now; returns false when one is already running.
    void setCheckNow(std::function<bool()> f) { m_checkNow = std::move(f); }
    void setNextContact(const QDateTime &t)
    {
        m_nextContact = t;
        pushStatus();
    }

    bool isAdmin(const Peer &peer, QString *reason = nullptr) const;
    bool hasSession(const Peer &peer) const;
    Access accessOf(const Peer &peer) const;

    // What a peer of `access` gets of a push: no job output for plain users, debug lines only for root.
    static QJsonObject view(Access access, const QJsonObject &message);
    // The `ui` push: the admin's words, links and logo from [ui], for every tray.
    static QJsonObject adminVoiceJson(const Config &config);
    // Log lines about a session's busy state kept per uid: at most this many per kBusyLogWindowSecs.
    static constexpr int kBusyLogBurst = 6;
    static constexpr int kBusyLogWindowSecs = 600;
    // Local requests (check_now, test_connection) of anyone but root contact the server at most this often.
    static constexpr int kLocalContactGapSecs = 60;

private:
    using Handler = void (ControlService::*)(const Peer &, const QJsonObject &, const ControlServer::Reply &);
    // Who may send a request type.
    enum class Allowed
    {
        Anyone,
        SessionOrAdmin, // a user logged in on this machine, root or an admin
        Admin           // root or the admin group
    };
    struct Route
    {
        control::RequestType type;
        Allowed allowed;
        Handler handler;
    };
    static const Route kRoutes[];

    void handle(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    bool allows(Allowed allowed, const Peer &peer, QString *why) const;
    void ping(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void postpone(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void powerNow(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void cancelPower(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void getSettings(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void checkNowRequest(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void testConnectionRequest(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void setSettings(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    void checkNow(const Peer &peer, const ControlServer::Reply &reply);
    void testConnection(const Peer &peer, const ControlServer::Reply &reply);
    void probeOnly(const ControlServer::Reply &reply);
    void sessionBusy(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply);
    // When the service last talked to the server, for a cycle or a test.
    QDateTime lastServerContact() const;
    // Why the server must not be contacted for a local request now ("" when it may), and from when it may.
    QString contactWait(const Peer &peer, QDateTime *from) const;
    void onStatusChanged();
    void pushStatus();
    void pushJobs();
    void pushPower();
    void pushInventory(const QJsonObject &inventory);
    void collectInventoryOnce();
    void onJobStarted(const oco::Job &job);
    void onJobProgress(const oco::Job &job, int state, double percent, const QString &tail);
    void onJobFinished(const oco::Job &job, const oco::JobOutcome &outcome);

    ControlServer &m_server;
    Agent &m_agent;
    Config &m_config;
    StateStore &m_state;
    PowerPlanner &m_planner;
    SettingsChanges m_settings;
    std::function<bool()> m_checkNow;
    QDateTime m_nextContact;
    QList<control::JobInfo> m_pending;
    std::optional<control::RunningJob> m_running;
    JobHistory m_history;
    bool m_haveInventory = false;
    bool m_collecting = false;
    bool m_testing = false;
    // A contact has succeeded once (or the server handed this computer its key): a dry hello spends nothing.
    bool m_contacted = false;
    QDateTime m_lastTest;
    QTimer m_deferredCheck;
    QDateTime m_deferredSince;
    LogRelay m_logRelay;
    struct BusyLog
    {
        QList<QDateTime> logged; // within the last window
        int dropped = 0;
    };
    QHash<uint, BusyLog> m_busyLog;
};

} // namespace oco
