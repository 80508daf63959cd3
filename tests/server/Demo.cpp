#include "Demo.h"

#include "TestServer.h"
#include "ZipBuilder.h"

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

#include <csignal>
#include <unistd.h>

namespace oco::test {

namespace {

void say(const QString &text)
{
    static QTextStream out(stdout);
    out << text << Qt::endl;
}

QString localHostname()
{
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    const QString h = QString::fromLocal8Bit(buf);
    const int dot = h.indexOf(QLatin1Char('.'));
    return dot > 0 ? h.left(dot) : h;
}

QString mask(const QString &key)
{
    return key.isEmpty() ? QStringLiteral("(none)") : key.left(4) + QStringLiteral("…");
}

// Waits, serving the in-process server, until `done` returns true or `seconds` passed.
bool waitFor(const std::function<bool()> &done, int seconds)
{
    QEventLoop loop;
    QTimer poll, limit;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start(100);
    limit.start(seconds * 1000);
    if (!done())
        loop.exec();
    return done();
}

int runAgent(const QString &agent, const QStringList &args,
             const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(agent, args);
    if (!p.waitForStarted(10000)) {
        say(QStringLiteral("cannot start %1: %2").arg(agent, p.errorString()));
        return 127;
    }
    waitFor([&] { return p.state() == QProcess::NotRunning; }, 300);
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
        if (inv.isEmpty())
            continue;
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

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
}

QString terminalName()
{
    const char *tty = ::isatty(0) ? ::ttyname(0) : nullptr;
    const QString name = tty ? QString::fromLocal8Bit(tty) : QString();
    return name.startsWith(QLatin1String("/dev/")) ? name.mid(5) : QString();
}

} // namespace

int runDemo(TestServer &server, const DemoOptions &o)
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

    const QString powerLog = work.filePath(QStringLiteral("power-actions.log"));
    const QString socket = work.filePath(QStringLiteral("control.sock"));
    const QString config = work.filePath(QStringLiteral("oco-agent.ini"));
    const bool detect = server.dialect != TestServer::Generation::Legacy2021;
    writeFile(config,
              QStringLiteral("# written by the demo\n[agent]\ndebug = 0\nquery-interval = 15\nagent-key = %1\n"
                             "control-socket = %2\n\n[server]\napi-url = %3\npayload-url = %4\n"
                             "server-key =\nprotocol = %5\n\n[power]\n"
                             "; the demo never restarts anything: the command only records\n"
                             "restart-command = sh -c 'echo \"$(date): the demo would restart now\" >> %6'\n"
                             "final-countdown-minutes = 1\n")
                  .arg(server.registrationKey, socket, server.apiUrl().toString(), server.payloadUrl().toString(),
                       detect ? QStringLiteral("auto") : QStringLiteral("2021"), powerLog)
                  .toUtf8());
    QObject::connect(&server, &TestServer::requestHandled, [&](const QString &method, int status) {
        say(QStringLiteral("   server | %1 -> HTTP %2")
                .arg(method.isEmpty() ? QStringLiteral("package download") : method)
                .arg(status));
    });
    const QStringList base{QStringLiteral("--config"), config, QStringLiteral("--state-dir"),
                           work.filePath(QStringLiteral("state"))};
    say(QStringLiteral("== Demo: OCO test server on %1, self-registration on, registration key '%2'")
            .arg(server.apiUrl().toString(), server.registrationKey));
    say(QStringLiteral("== First contact: the agent registers and uploads its inventory"));
    int rc = runAgent(o.agent, base + QStringList{QStringLiteral("--once")});
    say(QStringLiteral("== Second contact: the agent downloads, extracts, runs and reports job 123"));
    if (rc == 0)
        rc = runAgent(o.agent, base + QStringList{QStringLiteral("--once")});
    if (rc != 0 || server.jobs.first().state != 3) {
        printServerView(server);
        say(QStringLiteral("Demo failed: the agent exited with %1, job state %2")
                .arg(rc)
                .arg(server.jobs.first().state));
        return rc == 0 ? 1 : rc;
    }

    // Part two: the service, a job that asks for a restart in 2 minutes, and the tray.
    TestServer::Job &restartJob =
        server.addJob(hostname, 124, 13, 45, QStringLiteral("echo 'pretend: kernel updated'"), false);
    restartJob.restart = 2;
    // The planner acts at once when nobody is logged in; the demo says you are (on this terminal and display).
    QJsonObject session{{QStringLiteral("id"), QStringLiteral("demo")},
                        {QStringLiteral("uid"), static_cast<int>(::getuid())},
                        {QStringLiteral("tty"), terminalName()}};
    const QByteArray display = qgetenv("DISPLAY");
    const bool haveDisplay = !display.isEmpty() || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    if (haveDisplay) {
        session.insert(QStringLiteral("type"), display.isEmpty() ? QStringLiteral("wayland") : QStringLiteral("x11"));
        session.insert(QStringLiteral("display"), QString::fromLocal8Bit(display));
        session.insert(QStringLiteral("bus"), QString::fromLocal8Bit(qgetenv("DBUS_SESSION_BUS_ADDRESS")));
    }
    const QString sessions = work.filePath(QStringLiteral("sessions.json"));
    writeFile(sessions, QJsonDocument(QJsonArray{session}).toJson());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OCO_TEST_SESSIONS_FILE"), sessions);

    say(QString());
    say(QStringLiteral("== The service: oco-agent --daemon picks up job 124, which asks for a restart in 2 minutes"));
    QProcess daemon;
    daemon.setProcessEnvironment(env);
    daemon.setProcessChannelMode(QProcess::ForwardedChannels);
    daemon.start(o.agent, base + QStringList{QStringLiteral("--daemon")});
    if (!daemon.waitForStarted(10000)) {
        say(QStringLiteral("cannot start the service: %1").arg(daemon.errorString()));
        return 1;
    }
    const bool reported = waitFor([&] { return server.job(124)->state == 3; }, 60);
    waitFor([] { return false; }, 1); // let the planner publish the plan
    if (reported) {
        say(QString());
        say(QStringLiteral("== What the service tells the people at the machine (oco-agent --status)"));
        runAgent(o.agent, {QStringLiteral("--status"), QStringLiteral("--socket"), socket});
    }

    const bool showTray = reported && haveDisplay && !o.tray.isEmpty() && QFileInfo(o.tray).isExecutable();
    if (showTray) {
        say(QString());
        say(QStringLiteral("== The tray app is open. Postpone the restart or let it happen: the demo's restart "
                           "command only writes a line. Quit the tray (its menu: Quit tray) to end the demo."));
        QProcess tray;
        tray.setProcessChannelMode(QProcess::ForwardedChannels);
        tray.start(o.tray, {QStringLiteral("--socket"), socket, QStringLiteral("--open"), QStringLiteral("overview")});
        tray.waitForStarted(10000);
        waitFor([&] { return tray.state() == QProcess::NotRunning || QFile::exists(powerLog); }, 15 * 60);
        if (tray.state() != QProcess::NotRunning) {
            waitFor([&] { return tray.state() == QProcess::NotRunning; }, 60);
            tray.terminate();
            tray.waitForFinished(5000);
        }
    } else if (reported) {
        say(QString());
        say(QStringLiteral("== Someone postpones it by an hour (what the tray's \"Postpone…\" sends)"));
        runAgent(o.agent, {QStringLiteral("--socket"), socket, QStringLiteral("--control-request"),
                           QStringLiteral("{\"type\":\"postpone\",\"minutes\":60}")});
        runAgent(o.agent, {QStringLiteral("--status"), QStringLiteral("--socket"), socket});
        say(QString());
        say(QStringLiteral("== An admin cancels it (oco-agent --cancel-power-action); jobs held meanwhile run again"));
        runAgent(o.agent, {QStringLiteral("--cancel-power-action"), QStringLiteral("--socket"), socket});
        if (!haveDisplay)
            say(QStringLiteral("   (no display here: with one, .ci/demo also opens the tray with the restart notice)"));
    }
    ::kill(static_cast<pid_t>(daemon.processId()), SIGTERM);
    waitFor([&] { return daemon.state() == QProcess::NotRunning; }, 30);
    if (daemon.state() != QProcess::NotRunning) {
        daemon.kill();
        daemon.waitForFinished(5000);
    }
    QFile log(powerLog);
    if (log.open(QIODevice::ReadOnly))
        say(QStringLiteral("== The demo's restart command ran: %1").arg(QString::fromUtf8(log.readAll()).trimmed()));

    printServerView(server);
    say(QString());
    if (!reported) {
        say(QStringLiteral("Demo failed: the service did not report job 124"));
        return 1;
    }
    say(QStringLiteral("Demo finished: the agent registered, uploaded its inventory, ran and reported jobs 123 and "
                       "124, and planned the restart job 124 asked for. Nothing is left running."));
    return 0;
}

} // namespace oco::test
