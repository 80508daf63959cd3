// oco-test-server: the test server as a program, for the Quick start demo and for trying the agent by hand.
#include "Demo.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

using namespace oco::test;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

void say(const QString &text)
{
    out() << text << Qt::endl;
}

// Serves an agent in daemon mode for a long time: jobs keep coming, inventory is due regularly, and the
// server itself stays small (no request history, finished jobs dropped).
int soak(TestServer &server, int jobEvery, int inventoryEverySecs)
{
    server.selfRegistration = true;
    server.updateIntervalSecs = inventoryEverySecs;
    server.addPackage(QStringLiteral("1"),
                      ZipBuilder()
                          .file(QStringLiteral("install.sh"), "#!/bin/sh\necho soak job done\n", 0755)
                          .file(QStringLiteral("data.bin"), QByteArray(64 * 1024, 'x'))
                          .build());
    qint64 hellos = 0, inventories = 0, jobsDone = 0, jobsFailed = 0, errors = 0, nextJob = 1;
    QObject::connect(&server, &TestServer::requestHandled, [&](const QString &method, int status) {
        if (status != 200)
            ++errors;
        if (method == QLatin1String("oco.agent_update"))
            ++inventories;
        if (method == QLatin1String("oco.agent_hello") && ++hellos % jobEvery == 0 && !server.computers.isEmpty())
            server.addJob(server.computers.begin()->hostname, nextJob++, 1, 1, QStringLiteral("./install.sh"));
        for (int i = server.jobs.size() - 1; i >= 0; --i) {
            const int state = server.jobs.at(i).state;
            if (state == 3 || state == -1) {
                ++(state == 3 ? jobsDone : jobsFailed);
                server.jobs.removeAt(i);
            }
        }
        server.requests.clear();
    });
    QTimer summary;
    QObject::connect(&summary, &QTimer::timeout, [&] {
        say(QStringLiteral("soak: hellos %1 inventories %2 jobs-done %3 jobs-failed %4 http-errors %5")
                .arg(hellos)
                .arg(inventories)
                .arg(jobsDone)
                .arg(jobsFailed)
                .arg(errors));
    });
    summary.start(10000);
    say(QStringLiteral("listening: api-url = %1, payload-url = %2")
            .arg(server.apiUrl().toString(), server.payloadUrl().toString()));
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("OCO test server (2021 dialect) on 127.0.0.1"));
    const QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("Port (0 = any)."), QStringLiteral("N"),
                                     QStringLiteral("0"));
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
                                     QStringLiteral("Run the Quick start demo with this agent binary."),
                                     QStringLiteral("AGENT"));
    const QCommandLineOption trayOpt(QStringLiteral("tray"), QStringLiteral("With --demo: the oco-tray binary."),
                                     QStringLiteral("TRAY"));
    const QCommandLineOption selfRegOpt(QStringLiteral("self-registration"),
                                        QStringLiteral("Allow self-registration."));
    const QCommandLineOption soakOpt(
        QStringLiteral("soak"),
        QStringLiteral("Soak mode (bench/soak): self-registration, a new job every N-th contact, inventory due every "
                       "--inventory-every seconds, a summary line every 10 s; keeps no request history."),
        QStringLiteral("N"));
    const QCommandLineOption inventoryOpt(QStringLiteral("inventory-every"),
                                          QStringLiteral("Soak mode: seconds between inventory uploads."),
                                          QStringLiteral("SECS"), QStringLiteral("10"));
    const QCommandLineOption dialectOpt(
        QStringLiteral("dialect"),
        QStringLiteral("Server generation: 2021 (v0.12.1), v0.16 (v0.16.3), v1.1 (v1.1.6) or "
                       "current (v1.2.2)."),
        QStringLiteral("NAME"), QStringLiteral("2021"));
    // Serving real jobs by hand and for bench/download.
    const QCommandLineOption computerOpt(QStringLiteral("computer"),
                                         QStringLiteral("A registered computer (repeatable)."),
                                         QStringLiteral("HOSTNAME:AGENTKEY"));
    const QCommandLineOption packageOpt(QStringLiteral("package"),
                                        QStringLiteral("Serve FILE as package ID, streamed from disk (repeatable)."),
                                        QStringLiteral("ID=FILE"));
    const QCommandLineOption jobOpt(QStringLiteral("job"),
                                    QStringLiteral("A pending job with a download (repeatable)."),
                                    QStringLiteral("HOSTNAME:JOBID:PACKAGEID:PROCEDURE"));
    const QCommandLineOption quietOpt(QStringLiteral("quiet"), QStringLiteral("Do not print every request."));
    p.addOptions({portOpt, demoOpt, trayOpt, selfRegOpt, computerOpt, packageOpt, jobOpt, quietOpt, dialectOpt, soakOpt,
                  inventoryOpt});
    p.addHelpOption();
    p.process(app);

    TestServer server;
    if (!server.listen(static_cast<quint16>(p.value(portOpt).toUInt()))) {
        say(QStringLiteral("cannot listen on 127.0.0.1"));
        return 1;
    }
    if (p.value(dialectOpt) == QLatin1String("current"))
        server.dialect = TestServer::Generation::Current;
    else if (p.value(dialectOpt) == QLatin1String("v0.16"))
        server.dialect = TestServer::Generation::Era016;
    else if (p.value(dialectOpt) == QLatin1String("v1.1"))
        server.dialect = TestServer::Generation::Era11;
    if (p.isSet(demoOpt))
        return runDemo(server, DemoOptions{p.value(demoOpt), p.value(trayOpt)});
    if (p.isSet(soakOpt))
        return soak(server, qMax(1, p.value(soakOpt).toInt()), p.value(inventoryOpt).toInt());
    server.selfRegistration = p.isSet(selfRegOpt);
    const QStringList computers = p.values(computerOpt);
    for (const QString &c : computers) {
        TestServer::Computer &added =
            server.addComputer(c.section(QLatin1Char(':'), 0, 0), c.section(QLatin1Char(':'), 1));
        added.lastUpdate = QDateTime::currentDateTimeUtc(); // no inventory request
    }
    const QStringList packages = p.values(packageOpt);
    for (const QString &pkg : packages) {
        const QString file = pkg.section(QLatin1Char('='), 1);
        if (!QFileInfo(file).isReadable()) {
            say(QStringLiteral("cannot read the package file %1").arg(file));
            return 2;
        }
        server.addPackageFile(pkg.section(QLatin1Char('='), 0, 0), file);
    }
    const QStringList jobs = p.values(jobOpt);
    for (const QString &j : jobs) {
        const QStringList parts = j.split(QLatin1Char(':'));
        if (parts.size() < 4) {
            say(QStringLiteral("--job needs HOSTNAME:JOBID:PACKAGEID:PROCEDURE, got %1").arg(j));
            return 2;
        }
        server.addJob(parts.at(0), parts.at(1).toInt(), 1, parts.at(2).toInt(), j.section(QLatin1Char(':'), 3));
    }
    say(QStringLiteral("listening: api-url = %1, payload-url = %2")
            .arg(server.apiUrl().toString(), server.payloadUrl().toString()));
    if (!p.isSet(quietOpt))
        QObject::connect(&server, &TestServer::requestHandled,
                         [](const QString &m, int s) { say(QStringLiteral("%1 -> %2").arg(m).arg(s)); });
    return app.exec();
}
