// oco-control-stub: serves a demo state on a control socket, for screenshots and the tray benchmark.
#include "ServiceStub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Serves a demo state on an oco-agent control socket."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("socket"), QStringLiteral("path of the socket to create"));
    QCommandLineOption finalOption(QStringLiteral("final"), QStringLiteral("the restart is in its final countdown"));
    QCommandLineOption idleOption(QStringLiteral("idle"), QStringLiteral("nothing pending"));
    QCommandLineOption adminOption(QStringLiteral("admin"), QStringLiteral("the peer may change settings"));
    parser.addOptions({finalOption, idleOption, adminOption});
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    ServiceStub stub;
    stub.peer.insert(QStringLiteral("admin"), parser.isSet(adminOption));
    if (!stub.listen(parser.positionalArguments().constFirst())) {
        fprintf(stderr, "cannot listen on %s\n", qPrintable(parser.positionalArguments().constFirst()));
        return 1;
    }
    stub.loadDemoState(parser.isSet(finalOption));
    if (parser.isSet(idleOption))
        stub.setPower({});
    return app.exec();
}
