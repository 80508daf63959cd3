#include "agent/Agent.h"
#include "agent/Check.h"
#include "agent/CommandLine.h"
#include "agent/Daemon.h"
#include "agent/ExitCode.h"
#include "config/Config.h"
#include "control/ControlCli.h"
#include "core/Helpers.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "core/TestHooks.h"
#include "core/Version.h"
#include "platform/InstanceLock.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>

using namespace oco;

namespace {

// `oco-agent --inventory`: what would be uploaded, without contacting anyone.
int printInventory(Config &config, const CommandLine &commandLine)
{
    StateStore dummy;
    Agent agent(config, dummy);
    const QJsonObject inv = agent.collectInventory(
        commandLine.dialect == QLatin1String("2021") ? InventoryDialect::Legacy2021 : InventoryDialect::Current);
    const QByteArray out =
        QJsonDocument(inv).toJson(commandLine.pretty ? QJsonDocument::Indented : QJsonDocument::Compact);
    std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    if (!out.endsWith('\n'))
        std::fputc('\n', stdout);
    return ExitOk;
}

// One cycle, or the service: the state directory, its lock, then the daemon.
int runAgent(Config &config, const CommandLine &commandLine)
{
    QString error;
    StateStore state;
    if (!state.open(commandLine.stateDir, &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitConfig;
    }
    platform::InstanceLock lock;
    if (!lock.acquire(state.filePath(QStringLiteral("oco-agent.lock")), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitLocked;
    }
    Daemon daemon(config, state);
    if (!daemon.start(commandLine.force, &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitConfig;
    }
    return commandLine.daemon ? daemon.runService() : daemon.runOnce();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("oco-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OCO_VERSION));
    TestHooks::install(TestHooks::fromEnvironment());
    const CommandLine commandLine = parseCommandLine(app);

    if (commandLine.once && commandLine.daemon) {
        printLine(stderr, QStringLiteral("oco-agent: --once and --daemon exclude each other"));
        return ExitUsage;
    }
    if (commandLine.check) {
        installLogHandler(false);
        Check check(commandLine.configPath, commandLine.stateDir);
        return check.run();
    }

    Config config;
    QString error;
    // --inventory and the requests to the service work without the (root-only) config.
    const bool needConfig = !commandLine.inventory && !commandLine.clientMode();
    if (!config.load(commandLine.configPath, &error) && needConfig) {
        printLine(stderr, QStringLiteral("oco-agent: configuration error: %1").arg(error));
        return ExitConfig;
    }
    installLogHandler(config.debug);

    if (commandLine.inventory)
        return printInventory(config, commandLine);
    if (commandLine.clientMode())
        return runControlCli(commandLine, config.controlSocket);
    return runAgent(config, commandLine);
}
