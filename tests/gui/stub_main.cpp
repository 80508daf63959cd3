// oco-control-stub: serves a demo state on a control socket, for screenshots, the typing check and the tray
// benchmark.
#include "ServiceStub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Serves a demo state on an oco-agent control socket."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("socket"), QStringLiteral("path of the socket to create"));
    QCommandLineOption finalOption(QStringLiteral("final"), QStringLiteral("the restart is in its final countdown"));
    QCommandLineOption windowOption(QStringLiteral("window"),
                                    QStringLiteral("the restart waits for the restart window (tonight at 18:00)"));
    QCommandLineOption idleOption(QStringLiteral("idle"), QStringLiteral("nothing pending"));
    QCommandLineOption adminOption(QStringLiteral("admin"), QStringLiteral("the peer may change settings"));
    QCommandLineOption printOption(QStringLiteral("print-requests"),
                                   QStringLiteral("print every client welcomed and every request received as one "
                                                  "JSON line on stdout"));
    QCommandLineOption commandsOption(
        QStringLiteral("commands"), QStringLiteral("read state changes from stdin, one a line: idle, pending, final"));
    QCommandLineOption voiceOption(QStringLiteral("admin-voice"),
                                   QStringLiteral("send the demo [ui] settings (organisation, message, links), with "
                                                  "the PNG or JPEG at <logo> when it is not empty"),
                                   QStringLiteral("logo"));
    parser.addOptions({finalOption, windowOption, idleOption, adminOption, printOption, commandsOption, voiceOption});
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    ServiceStub stub;
    stub.peer.insert(QStringLiteral("admin"), parser.isSet(adminOption));
    if (parser.isSet(printOption)) {
        QObject::connect(&stub, &ServiceStub::requestReceived, &app, [](const QJsonObject &request) {
            printf("%s\n", QJsonDocument(request).toJson(QJsonDocument::Compact).constData());
            fflush(stdout);
        });
        QObject::connect(&stub, &ServiceStub::clientWelcomed, &app, [] {
            printf("{\"welcomed\":true}\n");
            fflush(stdout);
        });
    }
    if (!stub.listen(parser.positionalArguments().constFirst())) {
        fprintf(stderr, "cannot listen on %s\n", qPrintable(parser.positionalArguments().constFirst()));
        return 1;
    }
    stub.loadDemoState(parser.isSet(finalOption), parser.isSet(windowOption));
    // A configured machine rather than the bare defaults (the settings dialog shows them).
    stub.settings.insert(QStringLiteral("api-url"), QStringLiteral("https://oco.example.org/api-agent.php"));
    stub.settings.insert(QStringLiteral("agent_key_set"), true);
    stub.settings.insert(QStringLiteral("admin-group"), QStringLiteral("ocoadmins"));
    if (parser.isSet(idleOption))
        stub.setPower({});
    if (parser.isSet(voiceOption)) {
        QByteArray logo;
        QFile logoFile(parser.value(voiceOption));
        if (!parser.value(voiceOption).isEmpty() && logoFile.open(QIODevice::ReadOnly))
            logo = logoFile.readAll();
        stub.setAdminVoice(ServiceStub::demoAdminVoice(logo));
    }
    QFile input;
    QSocketNotifier *commands = nullptr;
    if (parser.isSet(commandsOption) && input.open(stdin, QIODevice::ReadOnly)) {
        commands = new QSocketNotifier(input.handle(), QSocketNotifier::Read, &app);
        QObject::connect(commands, &QSocketNotifier::activated, &app, [&] {
            const QByteArray raw = input.readLine();
            const QByteArray line = raw.trimmed();
            if (raw.isEmpty())
                commands->setEnabled(false); // end of input: keep serving
            else if (line == "idle")
                stub.setPower({});
            else if (line == "pending")
                stub.setPower(ServiceStub::demoPower(false));
            else if (line == "final")
                stub.setPower(ServiceStub::demoPower(true));
            else
                fprintf(stderr, "oco-control-stub: unknown command '%s'\n", line.constData());
        });
    }
    return app.exec();
}
