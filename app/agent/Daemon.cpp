#include "Daemon.h"

#include "agent/ExitCode.h"
#include "config/Config.h"
#include "control/ControlServer.h"
#include "control/ControlService.h"
#include "core/Clock.h"
#include "core/Helpers.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "core/Version.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QRandomGenerator>

namespace oco {

Daemon::Daemon(Config &config, StateStore &state, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
    , m_agent(config, state)
    , m_sessions(makeSystemSessionLister())
    , m_planner(config, state, Clock::system(), *m_sessions, m_notifier)
{}

Daemon::~Daemon() = default;

bool Daemon::start(bool forceUpdate, QString *error)
{
    m_agent.setForceUpdate(forceUpdate);
    // Post actions: restart/shutdown requests of jobs are planned here; while one is pending, jobs wait.
    QString planError;
    if (!m_planner.load(&planError))
        qCCritical(lcAgent).noquote() << planError;
    connect(&m_agent.jobs(), &JobEngine::jobFinished, &m_planner, &PowerPlanner::onJobFinished);
    m_agent.setHoldJobs([this] { return m_planner.holdReason(); });
    // Stop requests come through the event loop, also while a cycle runs.
    connect(&m_stopRequests, &platform::StopRequests::stopRequested, this, &Daemon::onStopRequested);
    return m_stopRequests.install(error);
}

void Daemon::onStopRequested()
{
    m_agent.requestStop();
    if (m_cycleRunning) {
        qCInfo(lcAgent) << "stop requested: finishing the current job first";
    } else {
        qCInfo(lcAgent) << "stop requested: exiting";
        QCoreApplication::exit(ExitOk);
    }
}

Agent::CycleResult Daemon::runCycle()
{
    m_cycleRunning = true;
    const Agent::CycleResult r = m_agent.runCycle();
    m_cycleRunning = false;
    return r;
}

int Daemon::runOnce()
{
    const Agent::CycleResult r = runCycle();
    if (m_planner.isPending() && m_planner.toJson().toObject().value(QStringLiteral("running")).toBool()) {
        // Nobody was logged in and the command started: let it finish before this process ends.
        QEventLoop wait;
        connect(&m_planner, &PowerPlanner::actionFinished, &wait, &QEventLoop::quit);
        wait.exec();
    }
    if (!r.ok) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(r.error));
        return ExitCycleFailed;
    }
    return ExitOk;
}

void Daemon::onPowerReleased()
{
    // After a cancel or a done action the held jobs get their turn at once, unless the server refuses our
    // key: then the back-off's contact stays (a fail2ban jail counts every refused request).
    if (m_cycleRunning)
        return;
    if (m_agent.consecutiveAuthFailures() > 0) {
        qCInfo(lcAgent).noquote() << QStringLiteral("held jobs run at the next contact, %1 (the server "
                                                    "refused our key; backing off)")
                                         .arg(m_next.deadline().toLocalTime().toString(Qt::ISODate));
        return;
    }
    m_next.startIn(0);
}

void Daemon::runScheduledCycle()
{
    // The config is read once; a change on disk is reported (once per change), not applied.
    const QString drift = m_config.fileDrift();
    if (drift != m_lastDrift && !drift.isEmpty())
        qCWarning(lcAgent).noquote() << drift;
    m_lastDrift = drift;
    const Agent::CycleResult r = runCycle();
    if (r.exitRequested) {
        // A non-zero status makes the service manager start the (maybe updated) binary again.
        QCoreApplication::exit(ExitRestart);
        return;
    }
    if (m_agent.stopRequested()) {
        QCoreApplication::exit(ExitOk);
        return;
    }
    // Give the heap the cycle used (inventory, replies) back to the system while the service idles:
    // this halves its private memory between cycles (bench/soak/RESULTS.md).
    platform::releaseFreeMemory();
    // A little jitter so a fleet started together does not hit the server in lockstep.
    // The agent's delay is query-interval, or longer while the server refuses our key (back-off).
    const double delay = m_agent.nextDelaySecs();
    const double jitter = delay * 0.1 * QRandomGenerator::global()->generateDouble();
    m_next.startIn(delay + jitter);
    qCDebug(lcAgent) << "next contact in" << (delay + jitter) << "s";
    m_link->setNextContact(m_next.deadline());
}

int Daemon::runService()
{
    qCInfo(lcAgent).noquote() << QStringLiteral("oco-agent %1 started as a service, contact every %2 s")
                                     .arg(QStringLiteral(OCO_VERSION))
                                     .arg(m_config.queryInterval);
    m_control = std::make_unique<ControlServer>();
    QString error;
    if (!m_control->listen(m_config.controlSocket, &error)) {
        // The agent's main work goes on without the tray link.
        qCCritical(lcAgent).noquote() << "no control socket:" << error;
    }
    m_link = std::make_unique<ControlService>(*m_control, m_agent, m_config, m_state, m_planner);
    m_link->setCheckNow([this] {
        if (m_cycleRunning)
            return false;
        m_next.startIn(0);
        return true;
    });
    connect(&m_planner, &PowerPlanner::released, this, &Daemon::onPowerReleased);
    connect(&m_next, &LongTimer::due, this, &Daemon::runScheduledCycle);
    m_next.startIn(0);
    return QCoreApplication::exec();
}

} // namespace oco
