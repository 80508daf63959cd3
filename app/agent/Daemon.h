#pragma once

#include "agent/Agent.h"
#include "core/LongTimer.h"
#include "platform/Service.h"
#include "power/PowerPlanner.h"
#include "power/SessionNotifier.h"

#include <QObject>
#include <QString>

#include <memory>

namespace oco {

class Config;
class ControlServer;
class ControlService;
class StateStore;

// The agent as a process: its cycles (one with runOnce(), or one every query-interval with runService()),
// the power planner that holds jobs while a restart is pending, stop requests of the system, and, as a
// service, the control socket for the tray and the CLI.
class Daemon : public QObject
{
    Q_OBJECT
public:
    Daemon(Config &config, StateStore &state, QObject *parent = nullptr);
    ~Daemon() override;

    // Loads the power plan and listens for stop requests; false with a reason when that cannot be done.
    bool start(bool forceUpdate, QString *error);
    // One cycle (and a power action it started while nobody was logged in); returns the exit status.
    int runOnce();
    // Cycles until stopped or a job asks for a restart; returns the exit status.
    int runService();

private:
    void onStopRequested();
    void onPowerReleased();
    void runScheduledCycle();
    Agent::CycleResult runCycle();

    Config &m_config;
    StateStore &m_state;
    Agent m_agent;
    std::unique_ptr<SessionLister> m_sessions;
    SystemSessionNotifier m_notifier;
    PowerPlanner m_planner;
    platform::StopRequests m_stopRequests;
    bool m_cycleRunning = false;
    LongTimer m_next;
    QString m_lastDrift;
    std::unique_ptr<ControlServer> m_control;
    std::unique_ptr<ControlService> m_link;
};

} // namespace oco
