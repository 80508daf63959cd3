#include "CommandLine.h"

#include "platform/Paths.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace oco {

CommandLine parseCommandLine(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OCO agent: contacts the OCO server, uploads the inventory, runs software jobs."));
    const QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("Configuration file."),
                                       QStringLiteral("FILE"), platform::defaultConfigFile());
    const QCommandLineOption stateOpt(QStringLiteral("state-dir"), QStringLiteral("State directory."),
                                      QStringLiteral("DIR"), platform::defaultStateDirectory());
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

    CommandLine c;
    c.configPath = parser.value(configOpt);
    c.stateDir = parser.value(stateOpt);
    c.once = parser.isSet(onceOpt);
    c.daemon = parser.isSet(daemonOpt);
    c.force = parser.isSet(forceOpt);
    c.inventory = parser.isSet(inventoryOpt);
    c.pretty = parser.isSet(prettyOpt);
    c.dialect = parser.value(dialectOpt);
    c.check = parser.isSet(checkOpt);
    c.status = parser.isSet(statusOpt);
    c.json = parser.isSet(jsonOpt);
    c.cancelPowerAction = parser.isSet(cancelPowerOpt);
    c.hasSocket = parser.isSet(socketOpt);
    c.socket = parser.value(socketOpt);
    c.hasControlRequest = parser.isSet(controlRequestOpt);
    c.controlRequest = parser.value(controlRequestOpt);
    return c;
}

} // namespace oco
