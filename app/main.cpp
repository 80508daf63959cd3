#include "agent/Agent.h"
#include "agent/Check.h"
#include "config/Config.h"
#include "control/ControlClient.h"
#include "control/ControlServer.h"
#include "control/ServiceLink.h"
#include "core/Clock.h"
#include "core/Log.h"
#include "core/LongTimer.h"
#include "core/StateStore.h"
#include "core/Version.h"
#include "platform/InstanceLock.h"
#include "power/Notifier.h"
#include "power/PowerPlanner.h"
#include "power/Sessions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace oco;

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int sig)
{
    const char c = static_cast<char>(sig);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &c, 1);
}

void printLine(FILE *to, const QString &text)
{
    const QByteArray b = text.toUtf8() + '\n';
    std::fwrite(b.constData(), 1, static_cast<size_t>(b.size()), to);
}

enum ExitCode
{
    ExitOk = 0,
    ExitCycleFailed = 1,
    ExitConfig = 2,
    ExitLocked = 3,
    ExitRefused = 4,
    ExitUnavailable = 69,
    ExitUsage = 64
};

QString localTimeText(const QJsonValue &iso)
{
    const QDateTime t = QDateTime::fromString(iso.toString(), Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("never");
}

// `oco-agent --status`: what the running service reports, through the control socket.
int printStatus(ControlClient &client, bool json)
{
    const QJsonObject status = client.pushes.value(QStringLiteral("status"));
    const QJsonObject power = client.pushes.value(QStringLiteral("power"));
    const QJsonObject jobs = client.pushes.value(QStringLiteral("jobs"));
    if (json) {
        const QJsonObject all{{QStringLiteral("agent_version"), client.welcome.value(QStringLiteral("agent_version"))},
                              {QStringLiteral("peer"), client.welcome.value(QStringLiteral("peer"))},
                              {QStringLiteral("status"), status},
                              {QStringLiteral("power"), power},
                              {QStringLiteral("jobs"), jobs},
                              {QStringLiteral("log"), client.pushes.value(QStringLiteral("log"))}};
        printLine(stdout, QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Compact)));
        return ExitOk;
    }
    const QString error = status.value(QStringLiteral("last_error")).toString();
    printLine(stdout, QStringLiteral("Service:       running (oco-agent %1), %2")
                          .arg(client.welcome.value(QStringLiteral("agent_version")).toString(),
                               status.value(QStringLiteral("state")).toString()));
    printLine(stdout, QStringLiteral("Server:        %1 (protocol %2)")
                          .arg(status.value(QStringLiteral("server")).toString(),
                               status.value(QStringLiteral("dialect")).toString(QStringLiteral("-"))));
    printLine(stdout, QStringLiteral("Last contact:  %1 (last success %2)")
                          .arg(localTimeText(status.value(QStringLiteral("last_contact"))),
                               localTimeText(status.value(QStringLiteral("last_success")))));
    printLine(stdout,
              QStringLiteral("Next contact:  %1").arg(localTimeText(status.value(QStringLiteral("next_contact")))));
    printLine(stdout, QStringLiteral("Last error:    %1").arg(error.isEmpty() ? QStringLiteral("none") : error));
    const QJsonObject p = power.value(QStringLiteral("pending")).toObject();
    if (p.isEmpty()) {
        printLine(stdout, QStringLiteral("Power action:  none pending"));
    } else {
        printLine(stdout, QStringLiteral("Power action:  %1 at %2 (in %3 min; %4)")
                              .arg(p.value(QStringLiteral("action")).toString(),
                                   p.value(QStringLiteral("deadline_local")).toString())
                              .arg(p.value(QStringLiteral("seconds_left")).toInt() / 60)
                              .arg(p.value(QStringLiteral("reason")).toString()));
        printLine(stdout, QStringLiteral("               %1 of %2 postponements used%3%4")
                              .arg(p.value(QStringLiteral("postponements_used")).toInt())
                              .arg(p.value(QStringLiteral("postponements_used")).toInt() +
                                   p.value(QStringLiteral("postponements_left")).toInt())
                              .arg(p.value(QStringLiteral("final_countdown")).toBool()
                                       ? QStringLiteral(", final countdown running")
                                       : QString())
                              .arg(p.value(QStringLiteral("last_error")).toString().isEmpty()
                                       ? QString()
                                       : QStringLiteral(", last attempt failed: ") +
                                             p.value(QStringLiteral("last_error")).toString()));
    }
    const QJsonObject running = jobs.value(QStringLiteral("running")).toObject();
    if (!running.isEmpty())
        printLine(stdout, QStringLiteral("Running job:   %1 (package %2), %3 %4%")
                              .arg(running.value(QStringLiteral("id")).toVariant().toString(),
                                   running.value(QStringLiteral("package_id")).toVariant().toString(),
                                   running.value(QStringLiteral("phase")).toString())
                              .arg(running.value(QStringLiteral("progress")).toDouble(), 0, 'f', 0));
    const QJsonArray history = jobs.value(QStringLiteral("history")).toArray();
    for (int i = 0; i < std::min<qsizetype>(5, history.size()); ++i) {
        const QJsonObject h = history.at(i).toObject();
        printLine(stdout, QStringLiteral("Recent job:    %1 (package %2) %3, return code %4, %5")
                              .arg(h.value(QStringLiteral("id")).toVariant().toString(),
                                   h.value(QStringLiteral("package_id")).toVariant().toString(),
                                   h.value(QStringLiteral("state")).toString())
                              .arg(h.value(QStringLiteral("return_code")).toInt())
                              .arg(localTimeText(h.value(QStringLiteral("finished")))));
    }
    return ExitOk;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("oco-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OCO_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OCO agent: contacts the OCO server, uploads the inventory, runs software jobs."));
    const QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("Configuration file."),
                                       QStringLiteral("FILE"), QStringLiteral("/etc/oco-agent.ini"));
    const QCommandLineOption stateOpt(QStringLiteral("state-dir"), QStringLiteral("State directory."),
                                      QStringLiteral("DIR"), QStringLiteral("/var/lib/oco-agent"));
    const QCommandLineOption onceOpt(QStringLiteral("once"), QStringLiteral("Run one cycle and exit (default)."));
    const QCommandLineOption daemonOpt(QStringLiteral("daemon"),
                                       QStringLiteral("Run a cycle every query-interval seconds until stopped."));
    const QCommandLineOption forceOpt(QStringLiteral("force"),
                                      QStringLiteral("Ask the server for an inventory upload on the first contact."));
    const QCommandLineOption inventoryOpt(QStringLiteral("inventory"),
                                          QStringLiteral("Print the inventory JSON that would be uploaded and exit."));
    const QCommandLineOption prettyOpt(QStringLiteral("pretty"), QStringLiteral("Indent the --inventory output."));
    const QCommandLineOption dialectOpt(
        QStringLiteral("dialect"), QStringLiteral("Inventory fields of this dialect for --inventory: 2021 or current."),
        QStringLiteral("NAME"), QStringLiteral("current"));
    const QCommandLineOption checkOpt(
        QStringLiteral("check"),
        QStringLiteral("Diagnose the setup (config, DNS, TCP, TLS, dialect, keys, a signed hello, clock); one "
                       "OK/FAIL line per step, exit 0 only when all pass. Runs no jobs and stores no keys."));
    parser.addOptions({configOpt, stateOpt, onceOpt, daemonOpt, forceOpt, inventoryOpt, prettyOpt, dialectOpt});
    parser.addOption(checkOpt);
    // Talking to the running service through the control socket.
    const QCommandLineOption statusOpt(QStringLiteral("status"),
                                       QStringLiteral("Print what the running service reports and exit."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("With --status: print JSON."));
    const QCommandLineOption cancelPowerOpt(
        QStringLiteral("cancel-power-action"),
        QStringLiteral("Cancel a pending restart or shutdown (root or admin group)."));
    const QCommandLineOption socketOpt(QStringLiteral("socket"),
                                       QStringLiteral("Control socket of the service (default: from the config)."),
                                       QStringLiteral("PATH"));
    QCommandLineOption controlRequestOpt(QStringLiteral("control-request"),
                                         QStringLiteral("Send one control request (JSON) and print the reply."),
                                         QStringLiteral("JSON"));
    controlRequestOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({statusOpt, jsonOpt, cancelPowerOpt, socketOpt, controlRequestOpt});
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    if (parser.isSet(onceOpt) && parser.isSet(daemonOpt)) {
        printLine(stderr, QStringLiteral("oco-agent: --once and --daemon exclude each other"));
        return ExitUsage;
    }

    if (parser.isSet(checkOpt)) {
        installLogHandler(false);
        Check check(parser.value(configOpt), parser.value(stateOpt));
        return check.run();
    }

    Config config;
    QString error;
    const QString configPath = parser.value(configOpt);
    const bool clientMode = parser.isSet(statusOpt) || parser.isSet(cancelPowerOpt) || parser.isSet(controlRequestOpt);
    const bool needConfig = !parser.isSet(inventoryOpt) && !clientMode;
    if (!config.load(configPath, &error)) {
        if (needConfig) {
            printLine(stderr, QStringLiteral("oco-agent: configuration error: %1").arg(error));
            return ExitConfig;
        }
    }
    installLogHandler(config.debug);

    if (parser.isSet(inventoryOpt)) {
        StateStore dummy;
        Agent agent(config, dummy);
        const QString d = parser.value(dialectOpt);
        const QJsonObject inv = agent.collectInventory(d == QLatin1String("2021") ? InventoryDialect::Legacy2021
                                                                                  : InventoryDialect::Current);
        const QByteArray out =
            QJsonDocument(inv).toJson(parser.isSet(prettyOpt) ? QJsonDocument::Indented : QJsonDocument::Compact);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
        if (!out.endsWith('\n'))
            std::fputc('\n', stdout);
        return ExitOk;
    }

    if (clientMode) {
        // Users can run these without reading the (root-only) config: the default socket is used then.
        const QString socketPath = parser.isSet(socketOpt) ? parser.value(socketOpt) : config.controlSocket;
        ControlClient client;
        if (!client.open(socketPath, QStringLiteral("oco-agent-cli/%1").arg(QStringLiteral(OCO_VERSION)), &error)) {
            printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
            return ExitUnavailable;
        }
        if (parser.isSet(statusOpt))
            return printStatus(client, parser.isSet(jsonOpt));
        QJsonObject request{{QStringLiteral("type"), QStringLiteral("cancel_power")}};
        if (parser.isSet(controlRequestOpt)) {
            const QJsonDocument doc = QJsonDocument::fromJson(parser.value(controlRequestOpt).toUtf8());
            if (!doc.isObject()) {
                printLine(stderr, QStringLiteral("oco-agent: --control-request needs a JSON object"));
                return ExitUsage;
            }
            request = doc.object();
        }
        QJsonObject reply;
        if (!client.request(request, &reply, &error)) {
            printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
            return ExitUnavailable;
        }
        const bool ok = reply.value(QStringLiteral("ok")).toBool();
        if (parser.isSet(controlRequestOpt))
            printLine(stdout, QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact)));
        else
            printLine(
                ok ? stdout : stderr,
                ok ? reply.value(QStringLiteral("message")).toString()
                   : QStringLiteral("oco-agent: refused: %1").arg(reply.value(QStringLiteral("reason")).toString()));
        return ok ? ExitOk : ExitRefused;
    }

    StateStore state;
    if (!state.open(parser.value(stateOpt), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitConfig;
    }
    platform::InstanceLock lock;
    if (!lock.acquire(state.filePath(QStringLiteral("oco-agent.lock")), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitLocked;
    }

    Agent agent(config, state);
    agent.setForceUpdate(parser.isSet(forceOpt));

    // Post actions: restart/shutdown requests of jobs are planned here; while one is pending, jobs wait.
    std::unique_ptr<SessionLister> sessions = makeSystemSessionLister();
    SystemNotifier powerNotifier;
    PowerPlanner planner(config, state, Clock::system(), *sessions, powerNotifier);
    if (!planner.load(&error))
        qCCritical(lcAgent).noquote() << error;
    QObject::connect(&agent.jobs(), &JobEngine::jobFinished, &planner, &PowerPlanner::onJobFinished);
    agent.setHoldJobs([&planner] { return planner.holdReason(); });

    // Signals: a self-pipe turns SIGTERM/SIGINT into an event-loop event (also served inside a cycle).
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0) {
        printLine(stderr, QStringLiteral("oco-agent: cannot create the signal pipe"));
        return ExitConfig;
    }
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    bool cycleRunning = false;
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        char c = 0;
        [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &c, 1);
        agent.requestStop();
        if (cycleRunning) {
            qCInfo(lcAgent) << "stop requested: finishing the current job first";
        } else {
            qCInfo(lcAgent) << "stop requested: exiting";
            app.exit(ExitOk);
        }
    });

    if (!parser.isSet(daemonOpt)) {
        cycleRunning = true;
        const Agent::CycleResult r = agent.runCycle();
        cycleRunning = false;
        if (planner.isPending() && planner.toJson().toObject().value(QStringLiteral("running")).toBool()) {
            // Nobody was logged in and the command started: let it finish before this process ends.
            QEventLoop wait;
            QObject::connect(&planner, &PowerPlanner::actionFinished, &wait, &QEventLoop::quit);
            wait.exec();
        }
        if (!r.ok) {
            printLine(stderr, QStringLiteral("oco-agent: %1").arg(r.error));
            return ExitCycleFailed;
        }
        return ExitOk;
    }

    qCInfo(lcAgent).noquote() << QStringLiteral("oco-agent %1 started as a service, contact every %2 s")
                                     .arg(QStringLiteral(OCO_VERSION))
                                     .arg(config.queryInterval);
    LongTimer next;
    int exitCode = ExitOk;
    QString lastDrift;

    ControlServer control;
    if (!control.listen(config.controlSocket, &error)) {
        // The agent's main work goes on without the tray link.
        qCCritical(lcAgent).noquote() << "no control socket:" << error;
    }
    ServiceLink link(control, agent, config, state, planner);
    link.setCheckNow([&] {
        if (cycleRunning)
            return false;
        next.startIn(0);
        return true;
    });
    // After a cancel or a done action the held jobs get their turn at once, unless the server refuses our
    // key: then the back-off's contact stays (a fail2ban jail counts every refused request).
    QObject::connect(&planner, &PowerPlanner::released, &app, [&] {
        if (cycleRunning)
            return;
        if (agent.consecutiveAuthFailures() > 0) {
            qCInfo(lcAgent).noquote() << QStringLiteral("held jobs run at the next contact, %1 (the server "
                                                        "refused our key; backing off)")
                                             .arg(next.deadline().toLocalTime().toString(Qt::ISODate));
            return;
        }
        next.startIn(0);
    });
    QObject::connect(&next, &LongTimer::due, &app, [&] {
        // The config is read once; a change on disk is reported (once per change), not applied.
        const QString drift = config.fileDrift();
        if (drift != lastDrift && !drift.isEmpty())
            qCWarning(lcAgent).noquote() << drift;
        lastDrift = drift;
        cycleRunning = true;
        const Agent::CycleResult r = agent.runCycle();
        cycleRunning = false;
        if (r.exitRequested) {
            // A non-zero status makes the service manager start the (maybe updated) binary again.
            exitCode = 75;
            app.exit(exitCode);
            return;
        }
        if (agent.stopRequested()) {
            app.exit(ExitOk);
            return;
        }
#ifdef __GLIBC__
        // Give the heap the cycle used (inventory, replies) back to the system while the service idles:
        // this halves its private memory between cycles (bench/soak/RESULTS.md).
        ::malloc_trim(0);
#endif
        // A little jitter so a fleet started together does not hit the server in lockstep.
        // The agent's delay is query-interval, or longer while the server refuses our key (back-off).
        const double delay = agent.nextDelaySecs();
        const double jitter = delay * 0.1 * QRandomGenerator::global()->generateDouble();
        next.startIn(delay + jitter);
        qCDebug(lcAgent) << "next contact in" << (delay + jitter) << "s";
        link.setNextContact(next.deadline());
    });
    next.startIn(0);
    return app.exec();
}
