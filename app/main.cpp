#include "agent/Agent.h"
#include "agent/Check.h"
#include "agent/InstanceLock.h"
#include "config/Config.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "core/Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
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
    ExitUsage = 64
};

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
    const bool needConfig = !parser.isSet(inventoryOpt);
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

    StateStore state;
    if (!state.open(parser.value(stateOpt), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitConfig;
    }
    InstanceLock lock;
    if (!lock.acquire(state.filePath(QStringLiteral("oco-agent.lock")), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitLocked;
    }

    Agent agent(config, state);
    agent.setForceUpdate(parser.isSet(forceOpt));

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
        if (!r.ok) {
            printLine(stderr, QStringLiteral("oco-agent: %1").arg(r.error));
            return ExitCycleFailed;
        }
        return ExitOk;
    }

    qCInfo(lcAgent).noquote() << QStringLiteral("oco-agent %1 started as a service, contact every %2 s")
                                     .arg(QStringLiteral(OCO_VERSION))
                                     .arg(config.queryInterval);
    QTimer next;
    next.setSingleShot(true);
    int exitCode = ExitOk;
    QObject::connect(&next, &QTimer::timeout, &app, [&] {
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
        // A little jitter so a fleet started together does not hit the server in lockstep.
        // The agent's delay is query-interval, or longer while the server refuses our key (back-off).
        const double delay = agent.nextDelaySecs();
        const double jitter = delay * 0.1 * QRandomGenerator::global()->generateDouble();
        const int ms = static_cast<int>((delay + jitter) * 1000);
        qCDebug(lcAgent) << "next contact in" << ms / 1000.0 << "s";
        next.start(ms);
    });
    next.start(0);
    return app.exec();
}
