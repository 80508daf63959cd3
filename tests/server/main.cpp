// oco-test-server: the test server as a program, for the Quick start demo and for trying the agent by hand.
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

QString localHostname()
{
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    QString h = QString::fromLocal8Bit(buf);
    return h.left(h.indexOf(QLatin1Char('.')) > 0 ? h.indexOf(QLatin1Char('.')) : h.size());
}

QString mask(const QString &key)
{
    return key.isEmpty() ? QStringLiteral("(none)") : key.left(4) + QStringLiteral("…");
}

int runAgent(const QString &agent, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&p, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    p.start(agent, args);
    loop.exec();
    if (p.error() == QProcess::FailedToStart) {
        say(QStringLiteral("cannot start %1: %2").arg(agent, p.errorString()));
        return 127;
    }
    return p.exitCode();
}

void printServerView(TestServer &server)
{
    say(QString());
    say(QStringLiteral("== What the server knows now"));
    for (const TestServer::Computer &c : qAsConst(server.computers)) {
        const QJsonObject inv = c.inventory;
        say(QStringLiteral("computer %1: agent key %2, server key %3, inventory uploads: %4")
                .arg(c.hostname, mask(c.agentKey), mask(c.serverKey))
                .arg(c.inventoryUploads));
        if (!inv.isEmpty()) {
            say(QStringLiteral("  os:        %1 %2 (kernel %3, %4)")
                    .arg(inv.value(QStringLiteral("os")).toString(), inv.value(QStringLiteral("os_version")).toString(),
                         inv.value(QStringLiteral("kernel_version")).toString(),
                         inv.value(QStringLiteral("architecture")).toString()));
            say(QStringLiteral("  cpu:       %1")
                    .arg(inv.value(QStringLiteral("cpu")).toString().section(QLatin1Char('\n'), 0, 0)));
            say(QStringLiteral("  ram:       %1 MiB")
                    .arg(static_cast<qint64>(inv.value(QStringLiteral("ram")).toDouble()) / (1024 * 1024)));
            say(QStringLiteral("  networks:  %1, partitions: %2, software packages: %3")
                    .arg(inv.value(QStringLiteral("networks")).toArray().size())
                    .arg(inv.value(QStringLiteral("partitions")).toArray().size())
                    .arg(inv.value(QStringLiteral("software")).toArray().size()));
        }
    }
    for (const TestServer::Job &j : qAsConst(server.jobs)) {
        say(QStringLiteral("job %1 (package %2): state %3, return code %4")
                .arg(j.id.toVariant().toString(), j.packageId.toVariant().toString())
                .arg(j.state)
                .arg(j.returnCode.toVariant().toString()));
        QStringList states;
        for (const QJsonObject &r : j.reports)
            states << QString::number(r.value(QStringLiteral("state")).toInt());
        say(QStringLiteral("  reports received: %1").arg(states.join(QStringLiteral(" → "))));
        const QStringList lines = j.message.split(QLatin1Char('\n'));
        for (const QString &l : lines)
            if (!l.isEmpty())
                say(QStringLiteral("  output | %1").arg(l));
    }
}

int demo(TestServer &server, const QString &agent)
{
    QTemporaryDir work;
    const QString hostname = localHostname();
    server.selfRegistration = true;
    server.idsAsStrings = true; // like a PHP < 8.1 server
    const QByteArray script = "#!/bin/sh\n"
                              "echo \"Installing the demo package on $(hostname) as $(id -un)\"\n"
                              "echo \"files in the package: $(ls | tr '\\n' ' ')\"\n"
                              "echo done\n";
    server.addPackage(QStringLiteral("45"), ZipBuilder()
                                                .file(QStringLiteral("install.sh"), script, 0755)
                                                .file(QStringLiteral("README.txt"), "A demo package.\n")
                                                .build());
    server.addJob(hostname, 123, 12, 45, QStringLiteral("./install.sh"));

    const QString config = work.filePath(QStringLiteral("oco-agent.ini"));
    QFile f(config);
    f.open(QIODevice::WriteOnly);
    f.write(QStringLiteral("# written by the demo\n[agent]\ndebug = 0\nquery-interval = 60\nagent-key = %1\n\n"
                           "[server]\napi-url = %2\npayload-url = %3\nserver-key =\nprotocol = 2021\n")
                .arg(server.registrationKey, server.apiUrl().toString(), server.payloadUrl().toString())
                .toUtf8());
    f.close();
    if (server.dialect == TestServer::Generation::Current) { // let the agent detect the signed dialect
        f.open(QIODevice::ReadOnly);
        const QByteArray text = f.readAll().replace("protocol = 2021", "protocol = auto");
        f.close();
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        f.close();
    }
    QObject::connect(&server, &TestServer::requestHandled, [&](const QString &method, int status) {
        say(QStringLiteral("   server | %1 -> HTTP %2")
                .arg(method.isEmpty() ? QStringLiteral("package download") : method)
                .arg(status));
    });
    const QStringList args{QStringLiteral("--config"), config, QStringLiteral("--state-dir"),
                           work.filePath(QStringLiteral("state")), QStringLiteral("--once")};
    say(QStringLiteral("== Demo: OCO test server on %1, self-registration on, registration key '%2'")
            .arg(server.apiUrl().toString(), server.registrationKey));
    say(QStringLiteral("== First contact: the agent registers and uploads its inventory"));
    int rc = runAgent(agent, args);
    say(QStringLiteral("== Second contact: the agent downloads, extracts, runs and reports job 123"));
    if (rc == 0)
        rc = runAgent(agent, args);
    printServerView(server);
    say(QString());
    const bool jobDone = server.jobs.first().state == 3;
    if (rc == 0 && jobDone) {
        say(QStringLiteral(
            "Demo finished: the agent registered, uploaded its inventory, ran job 123 and reported it."));
        return 0;
    }
    say(QStringLiteral("Demo failed: the agent exited with %1, job state %2").arg(rc).arg(server.jobs.first().state));
    return rc == 0 ? 1 : rc;
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
    const QCommandLineOption selfRegOpt(QStringLiteral("self-registration"),
                                        QStringLiteral("Allow self-registration."));
    const QCommandLineOption dialectOpt(QStringLiteral("dialect"),
                                        QStringLiteral("Server generation: 2021 (v0.12.1) or current (v1.2.2)."),
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
    p.addOptions({portOpt, demoOpt, selfRegOpt, computerOpt, packageOpt, jobOpt, quietOpt, dialectOpt});
    p.addHelpOption();
    p.process(app);

    TestServer server;
    if (!server.listen(static_cast<quint16>(p.value(portOpt).toUInt()))) {
        say(QStringLiteral("cannot listen on 127.0.0.1"));
        return 1;
    }
    if (p.value(dialectOpt) == QLatin1String("current"))
        server.dialect = TestServer::Generation::Current;
    if (p.isSet(demoOpt))
        return demo(server, p.value(demoOpt));
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
