// Post actions end to end: the real service against the test server with a stepped clock (OCO_TEST_CLOCK_FILE),
// fake sessions (OCO_TEST_SESSIONS_FILE) and a recording power command; desktop notifications into two
// private D-Bus session buses as the sessions' user; terminal messages into a pseudo terminal; the `exit` post
// action under a small supervisor.
#include "AgentHarness.h"
#include "TestServer.h"

#include "config/Config.h"
#include "core/Clock.h"
#include "core/StateStore.h"
#include "platform/SessionNotify.h"
#include "power/PowerPlanner.h"
#include "power/SessionNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace oco;
using namespace oco::test;

namespace {

struct Shown
{
    QString summary;
    QString body;
    uint callerUid = 0;
    uchar urgency = 0;
};

// org.freedesktop.Notifications on one bus; remembers what it was asked to show and by whom.
class NotificationStub : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    QList<Shown> shown;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        Q_UNUSED(appName);
        Q_UNUSED(replacesId);
        Q_UNUSED(icon);
        Q_UNUSED(actions);
        Q_UNUSED(timeout);
        Shown s{summary, body, connection().interface()->serviceUid(message().service()).value(),
                hints.value(QStringLiteral("urgency")).value<uchar>()};
        shown << s;
        return static_cast<uint>(shown.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("body")}; }
};

// A private session bus run by `nobody`, like a user's own bus.
struct PrivateBus
{
    QProcess daemon;
    QString address;
    QString name;
    NotificationStub stub;

    bool start(const QString &connectionName, const QString &configFile)
    {
        name = connectionName;
        daemon.start(QStringLiteral("setpriv"),
                     {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                      QStringLiteral("--clear-groups"), QStringLiteral("dbus-daemon"),
                      QStringLiteral("--config-file=%1").arg(configFile), QStringLiteral("--nofork"),
                      QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1")});
        if (!daemon.waitForStarted(10000))
            return false;
        if (!QTest::qWaitFor([&] { return daemon.canReadLine(); }, 10000))
            return false;
        address = QString::fromUtf8(daemon.readLine()).trimmed();
        QDBusConnection bus = QDBusConnection::connectToBus(address, name);
        if (!bus.isConnected()) {
            qWarning() << "cannot connect to" << address << bus.lastError().message();
            return false;
        }
        return bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &stub,
                                  QDBusConnection::ExportAllSlots) &&
               bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
    }
    ~PrivateBus()
    {
        QDBusConnection::disconnectFromBus(name);
        daemon.terminate();
        daemon.waitForFinished(5000);
    }
};

struct FakeSessionEntry
{
    QString id;
    uint uid = 0;
    QString user;
    QString seat;
    QDBusObjectPath path;
};

QDBusArgument &operator<<(QDBusArgument &a, const FakeSessionEntry &e)
{
    a.beginStructure();
    a << e.id << e.uid << e.user << e.seat << e.path;
    a.endStructure();
    return a;
}
const QDBusArgument &operator>>(const QDBusArgument &a, FakeSessionEntry &e)
{
    a.beginStructure();
    a >> e.id >> e.uid >> e.user >> e.seat >> e.path;
    a.endStructure();
    return a;
}
} // namespace
Q_DECLARE_METATYPE(FakeSessionEntry)
namespace {

// The parts of systemd-logind's D-Bus API the agent reads.
class FakeLogindManager : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Manager")
public:
    QList<FakeSessionEntry> entries;
public Q_SLOTS:
    QList<FakeSessionEntry> ListSessions() { return entries; }
};

class FakeLogindSession : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Session")
    Q_PROPERTY(QString Class MEMBER m_class)
    Q_PROPERTY(QString State MEMBER m_state)
    Q_PROPERTY(QString Type MEMBER m_type)
    Q_PROPERTY(QString Display MEMBER m_display)
    Q_PROPERTY(QString TTY MEMBER m_tty)
public:
    FakeLogindSession(QString cls, QString type, QString display, QString tty)
        : m_class(std::move(cls))
        , m_state(QStringLiteral("active"))
        , m_type(std::move(type))
        , m_display(std::move(display))
        , m_tty(std::move(tty))
    {}
    QString m_class;
    QString m_state;
    QString m_type;
    QString m_display;
    QString m_tty;
};

} // namespace

class TestPower : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    QString recordScript()
    {
        const QString path = m_tmp.filePath(QStringLiteral("record.sh"));
        if (!QFile::exists(path)) {
            QFile f(path);
            f.open(QIODevice::WriteOnly);
            f.write("#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/record.txt\"\n");
            f.close();
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
        return path;
    }
    QString recorded()
    {
        QFile f(m_tmp.filePath(QStringLiteral("record.txt")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    static void writeFile(const QString &path, const QByteArray &data)
    {
        QFile f(path + QStringLiteral(".new"));
        f.open(QIODevice::WriteOnly);
        f.write(data);
        f.close();
        ::rename(QFile::encodeName(f.fileName()).constData(), QFile::encodeName(path).constData());
    }

    // A service against `server`, with a clock file, a sessions file and the recording power commands.
    struct Service
    {
        std::unique_ptr<AgentHarness> h;
        std::unique_ptr<QProcess> proc;
        QString log;
        QString clockFile() const { return h->dir() + QStringLiteral("/clock"); }
        QString sessionsFile() const { return h->dir() + QStringLiteral("/sessions.json"); }
        QString socket() const { return h->dir() + QStringLiteral("/ctl.sock"); }
        QString readLog()
        {
            if (proc)
                log += QString::fromUtf8(proc->readAllStandardError());
            return log;
        }
        void start()
        {
            proc = h->start({QStringLiteral("--daemon")});
            proc->waitForStarted(10000);
        }
        int stop()
        {
            if (!proc)
                return -1;
            proc->terminate();
            if (!QTest::qWaitFor([&] { return proc->state() == QProcess::NotRunning; }, 20000))
                proc->kill();
            readLog();
            const int code = proc->exitCode();
            proc.reset();
            return code;
        }
        // --status --json through the control socket (the event loop keeps the test server answering).
        QJsonObject status()
        {
            const AgentHarness::Run r = h->run({QStringLiteral("--status"), QStringLiteral("--json")}, 30000);
            return QJsonDocument::fromJson(r.stdoutText.toUtf8()).object();
        }
        ~Service() { stop(); }
    };

    std::unique_ptr<Service> makeService(TestServer &server, const QByteArray &sessions, const QDateTime &clock)
    {
        auto s = std::make_unique<Service>();
        s->h = std::make_unique<AgentHarness>(QStringLiteral(OCO_AGENT_BIN));
        writeFile(s->clockFile(), clock.toString(Qt::ISODate).toUtf8());
        writeFile(s->sessionsFile(), sessions);
        s->h->environment.insert(QStringLiteral("OCO_TEST_CLOCK_FILE"), s->clockFile());
        s->h->environment.insert(QStringLiteral("OCO_TEST_SESSIONS_FILE"), s->sessionsFile());
        s->h->environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("testpc"));
        s->h->environment.insert(QStringLiteral("TZ"), QStringLiteral("Europe/Berlin"));
        s->h->writeLegacyConfig(server.apiUrl().toString(), QStringLiteral("agentkey1"), server.payloadUrl().toString(),
                                QStringLiteral("[agent]\nquery-interval = 3600\ncontrol-socket = %1\n"
                                               "[power]\nrestart-command = %2 reboot\nshutdown-command = %2 poweroff\n")
                                    .arg(s->socket(), recordScript()));
        return s;
    }

    void addComputer(TestServer &server)
    {
        TestServer::Computer &c =
            server.addComputer(QStringLiteral("testpc"), QStringLiteral("agentkey1"), QStringLiteral("serverkey1"));
        c.lastUpdate = QDateTime::currentDateTimeUtc(); // no inventory upload in these tests
    }

    // A service whose job `first` asked for a restart within 10 minutes while a tty user is logged in; job
    // `second` (when not 0) waits behind it.
    std::unique_ptr<Service> restartPending(TestServer &server, int first, int second, const QDateTime &t0)
    {
        addComputer(server);
        server.addJob(QStringLiteral("testpc"), first, 7, 5, QStringLiteral("true"), false).restart = 10;
        if (second != 0)
            server.addJob(QStringLiteral("testpc"), second, 8, 6, QStringLiteral("true"), false);
        auto svc = makeService(server, R"([{"id":"s1","uid":1000,"type":"tty","tty":""}])", t0);
        svc->start();
        return svc;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ::signal(SIGPIPE, SIG_IGN);
        QVERIFY(m_tmp.isValid());
        ::chmod(QFile::encodeName(m_tmp.path()).constData(), 0755);
    }
    void init() { QFile::remove(m_tmp.filePath(QStringLiteral("record.txt"))); }

    void notificationsReachTwoSessionsAsTheirUser()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to act as the sessions' user");
        if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
            QSKIP("dbus-daemon is not installed");
        // A session bus config that also lets the test (root) in, to own the notification service.
        const QString busConfig = m_tmp.filePath(QStringLiteral("bus.conf"));
        writeFile(busConfig, "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                             "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                             "<busconfig><type>session</type><listen>unix:dir=/tmp</listen><auth>EXTERNAL</auth>"
                             "<policy context=\"default\"><allow user=\"*\"/>"
                             "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
                             "<allow own=\"*\"/></policy></busconfig>\n");
        QFile::setPermissions(busConfig, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        PrivateBus one;
        PrivateBus two;
        QVERIFY(one.start(QStringLiteral("bus-one"), busConfig));
        QVERIFY(two.start(QStringLiteral("bus-two"), busConfig));

        qputenv("TZ", "Europe/Berlin");
        ::tzset();
        QTemporaryDir stateDir;
        StateStore state;
        QString err;
        QVERIFY(state.open(stateDir.path(), &err));
        Config config;
        config.restartCommand = {recordScript(), QStringLiteral("reboot")};
        ManualClock clock(QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC));
        FixedSessions sessions;
        Session a;
        a.id = QStringLiteral("c1");
        a.uid = 65534;
        a.user = QStringLiteral("nobody");
        a.graphical = true;
        a.busAddress = one.address;
        Session b = a;
        b.id = QStringLiteral("c2");
        b.busAddress = two.address;
        sessions.list = {a, b};
        SystemSessionNotifier notifier(QStringLiteral(OCO_SESSION_BIN));
        QSignalSpy done(&notifier, &SystemSessionNotifier::desktopNotificationDone);
        PowerPlanner planner(config, state, clock, sessions, notifier);
        planner.setTickInterval(3600 * 1000);
        planner.schedule(QStringLiteral("restart"), 30, 12, 5);

        QVERIFY(QTest::qWaitFor([&] { return done.count() == 2; }, 30000));
        QCOMPARE(done.at(0).at(1).toBool(), true);
        QCOMPARE(done.at(1).at(1).toBool(), true);
        for (PrivateBus *bus : {&one, &two}) {
            QCOMPARE(bus->stub.shown.size(), 1);
            const Shown &s = bus->stub.shown.first();
            QCOMPARE(s.summary, QStringLiteral("System restart scheduled"));
            // 09:30 UTC is 10:30 in Berlin in March.
            QVERIFY2(s.body.contains(QStringLiteral("2026-03-01 10:30 local time")), qPrintable(s.body));
            QVERIFY(s.body.contains(QStringLiteral("package 5 (job 12)")));
            QCOMPARE(s.callerUid, 65534u); // sent as the session's user, not as root
            QCOMPARE(s.urgency, uchar(1));
        }
        // The final countdown is critical.
        clock.advanceSecs(26 * 60);
        planner.evaluate();
        QVERIFY(QTest::qWaitFor([&] { return done.count() == 4; }, 30000));
        QCOMPARE(one.stub.shown.last().urgency, uchar(2));
        QVERIFY(two.stub.shown.last().summary.startsWith(QStringLiteral("System restart in")));
    }

    void logindSessionsAreRead()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
            QSKIP("dbus-daemon is not installed");
        qDBusRegisterMetaType<FakeSessionEntry>();
        qDBusRegisterMetaType<QList<FakeSessionEntry>>();
        // A private bus stands in for the system bus; the fake logind answers from its own thread, because the
        // code under test makes blocking calls from this one.
        QProcess daemon;
        daemon.start(QStringLiteral("dbus-daemon"),
                     {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--nopidfile"),
                      QStringLiteral("--print-address=1"), QStringLiteral("--address=unix:dir=/tmp")});
        QVERIFY(daemon.waitForStarted(10000));
        QVERIFY(QTest::qWaitFor([&] { return daemon.canReadLine(); }, 10000));
        const QString address = QString::fromUtf8(daemon.readLine()).trimmed();
        QThread thread;
        thread.start();
        FakeLogindManager manager;
        FakeLogindSession desktop(QStringLiteral("user"), QStringLiteral("wayland"), QString(), QString());
        FakeLogindSession ssh(QStringLiteral("user"), QStringLiteral("tty"), QString(), QStringLiteral("pts/4"));
        FakeLogindSession greeter(QStringLiteral("greeter"), QStringLiteral("x11"), QStringLiteral(":0"), QString());
        manager.entries = {{QStringLiteral("2"), 1000, QStringLiteral("jane"), QStringLiteral("seat0"),
                            QDBusObjectPath(QStringLiteral("/org/freedesktop/login1/session/_32"))},
                           {QStringLiteral("5"), 1001, QStringLiteral("joe"), QString(),
                            QDBusObjectPath(QStringLiteral("/org/freedesktop/login1/session/_35"))},
                           {QStringLiteral("c1"), 110, QStringLiteral("gdm"), QStringLiteral("seat0"),
                            QDBusObjectPath(QStringLiteral("/org/freedesktop/login1/session/c1"))}};
        for (QObject *o : std::initializer_list<QObject *>{&manager, &desktop, &ssh, &greeter})
            o->moveToThread(&thread);
        QDBusConnection fake = QDBusConnection::connectToBus(address, QStringLiteral("fake-logind"));
        QVERIFY(fake.isConnected());
        QVERIFY(
            fake.registerObject(QStringLiteral("/org/freedesktop/login1"), &manager, QDBusConnection::ExportAllSlots));
        QVERIFY(fake.registerObject(QStringLiteral("/org/freedesktop/login1/session/_32"), &desktop,
                                    QDBusConnection::ExportAllProperties));
        QVERIFY(fake.registerObject(QStringLiteral("/org/freedesktop/login1/session/_35"), &ssh,
                                    QDBusConnection::ExportAllProperties));
        QVERIFY(fake.registerObject(QStringLiteral("/org/freedesktop/login1/session/c1"), &greeter,
                                    QDBusConnection::ExportAllProperties));
        QVERIFY(fake.registerService(QStringLiteral("org.freedesktop.login1")));
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", address.toUtf8());

        QVERIFY(LogindSessions::available());
        const QList<Session> list = LogindSessions().sessions();
        QCOMPARE(list.size(), 2); // the greeter is not a person
        QCOMPARE(list[0].id, QStringLiteral("2"));
        QCOMPARE(list[0].uid, 1000u);
        QCOMPARE(list[0].user, QStringLiteral("jane"));
        QCOMPARE(list[0].graphical, true);
        QCOMPARE(list[1].user, QStringLiteral("joe"));
        QCOMPARE(list[1].graphical, false);
        QCOMPARE(list[1].tty, QStringLiteral("pts/4"));
        // What the service uses: the same answer through oco-agent-session.
        qputenv("OCO_SESSION_HELPER", OCO_SESSION_BIN);
        const QList<Session> viaHelper = SystemSessions().sessions();
        QCOMPARE(viaHelper.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(viaHelper[i].id, list[i].id);
            QCOMPARE(viaHelper[i].uid, list[i].uid);
            QCOMPARE(viaHelper[i].user, list[i].user);
            QCOMPARE(viaHelper[i].graphical, list[i].graphical);
            QCOMPARE(viaHelper[i].tty, list[i].tty);
            QCOMPARE(viaHelper[i].display, list[i].display);
            QCOMPARE(viaHelper[i].busAddress, list[i].busAddress);
        }

        QDBusConnection::disconnectFromBus(QStringLiteral("fake-logind"));
        for (QObject *o : std::initializer_list<QObject *>{&manager, &desktop, &ssh, &greeter})
            QMetaObject::invokeMethod(
                o, [o] { o->moveToThread(QCoreApplication::instance()->thread()); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
        daemon.terminate();
        daemon.waitForFinished(5000);
    }

    void withoutLogindTheServiceReadsUtmp()
    {
        const QByteArray saved = qgetenv("DBUS_SYSTEM_BUS_ADDRESS");
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket");
        qputenv("OCO_SESSION_HELPER", OCO_SESSION_BIN);
        QProcess helper;
        helper.start(QStringLiteral(OCO_SESSION_BIN), {QStringLiteral("list")});
        QVERIFY(helper.waitForFinished(15000));
        QCOMPARE(helper.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(helper.readAllStandardOutput()).object(),
                 (QJsonObject{{QStringLiteral("logind"), false}}));
        const QList<Session> fromService = SystemSessions().sessions();
        const QList<Session> fromUtmp = UtmpSessions().sessions();
        QCOMPARE(fromService.size(), fromUtmp.size());
        for (int i = 0; i < fromUtmp.size(); ++i)
            QCOMPARE(fromService[i].id, fromUtmp[i].id);
        // A helper that cannot run: still utmp, and the service goes on.
        qputenv("OCO_SESSION_HELPER", "/nonexistent/oco-agent-session");
        QCOMPARE(SystemSessions().sessions().size(), fromUtmp.size());
        if (saved.isNull())
            qunsetenv("DBUS_SYSTEM_BUS_ADDRESS");
        else
            qputenv("DBUS_SYSTEM_BUS_ADDRESS", saved);
        qunsetenv("OCO_SESSION_HELPER");
    }

    void terminalSessionsGetAWallMessage()
    {
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
        QVERIFY(master >= 0);
        QVERIFY(::grantpt(master) == 0 && ::unlockpt(master) == 0);
        const QString slave = QString::fromLocal8Bit(::ptsname(master));
        QVERIFY(slave.startsWith(QStringLiteral("/dev/pts/")));
        // The slave must be open for the master to see what is written.
        const int keep = ::open(QFile::encodeName(slave).constData(), O_RDWR | O_NOCTTY);
        QVERIFY(keep >= 0);
        Session s;
        s.id = QStringLiteral("t1");
        s.uid = 0;
        s.user = QStringLiteral("root");
        s.tty = slave.mid(5);
        SystemSessionNotifier notifier(QStringLiteral(OCO_SESSION_BIN));
        notifier.notify(s, {QStringLiteral("System restart scheduled"), QStringLiteral("at 10:30 local time"), false},
                        true);
        QByteArray got;
        ::fcntl(master, F_SETFL, O_NONBLOCK);
        QVERIFY(QTest::qWaitFor(
            [&] {
                char buf[4096];
                const ssize_t n = ::read(master, buf, sizeof buf);
                if (n > 0)
                    got.append(buf, static_cast<int>(n));
                return got.contains("at 10:30 local time");
            },
            10000));
        QVERIFY(got.contains("System restart scheduled"));
        // Only terminal devices are written.
        QString err;
        QVERIFY(!platform::writeToTerminal(QStringLiteral("../etc/passwd"), QStringLiteral("x"), &err));
        QVERIFY(!platform::writeToTerminal(QStringLiteral("null"), QStringLiteral("x"), &err));
        ::close(keep);
        ::close(master);
    }

    void restartInTwoMinutesAgainstTheTestServer()
    {
        TestServer server;
        QVERIFY(server.listen());
        addComputer(server);
        TestServer::Job &job = server.addJob(QStringLiteral("testpc"), 41, 7, 5, QStringLiteral("true"), false);
        job.restart = 2;
        const QDateTime t0(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
        auto svc = makeService(server,
                               R"([{"id":"s1","uid":65534,"user":"nobody","type":"x11","display":":0","bus":""}])", t0);
        svc->start();
        QVERIFY(QTest::qWaitFor([&] { return server.job(41)->state == 3; }, 30000));
        QVERIFY(QTest::qWaitFor([&] { return svc->readLog().contains(QStringLiteral("planned for")); }, 10000));
        QVERIFY2(svc->readLog().contains(
                     QStringLiteral("planned for 2026-03-01 10:02 local time (2026-03-01T09:02:00Z UTC)")),
                 qPrintable(svc->readLog()));
        QJsonObject p =
            svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")).toObject();
        QCOMPARE(p.value(QStringLiteral("action")).toString(), QStringLiteral("restart"));
        QCOMPARE(p.value(QStringLiteral("deadline")).toString(), QStringLiteral("2026-03-01T09:02:00Z"));
        QCOMPARE(p.value(QStringLiteral("deadline_local")).toString(), QStringLiteral("2026-03-01 10:02 local time"));
        QCOMPARE(p.value(QStringLiteral("seconds_left")).toInt(), 120);
        QCOMPARE(p.value(QStringLiteral("reason")).toString(), QStringLiteral("package 5 (job 41) asks for it"));
        // Two minutes are inside the five minute final countdown: it runs from the start, no postponing.
        QCOMPARE(p.value(QStringLiteral("final_countdown")).toBool(), true);
        QCOMPARE(p.value(QStringLiteral("can_postpone")).toBool(), false);

        writeFile(svc->clockFile(), t0.addSecs(90).toString(Qt::ISODate).toUtf8());
        p = svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")).toObject();
        QCOMPARE(p.value(QStringLiteral("seconds_left")).toInt(), 30);
        QVERIFY(recorded().isEmpty());

        writeFile(svc->clockFile(), t0.addSecs(120).toString(Qt::ISODate).toUtf8());
        QVERIFY(QTest::qWaitFor([&] { return recorded() == QLatin1String("reboot\n"); }, 15000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return svc->status()
                    .value(QStringLiteral("power"))
                    .toObject()
                    .value(QStringLiteral("pending"))
                    .isNull();
            },
            15000));
        QVERIFY(svc->readLog().contains(
            QStringLiteral("Restart now (the deadline 2026-03-01 10:02 local time is reached)")));
    }

    void nobodyLoggedInActsRightAway()
    {
        TestServer server;
        QVERIFY(server.listen());
        addComputer(server);
        TestServer::Job &job = server.addJob(QStringLiteral("testpc"), 51, 7, 5, QStringLiteral("true"), false);
        job.shutdown = 30;
        auto svc = makeService(server, "[]", QDateTime(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC));
        svc->start();
        QVERIFY(QTest::qWaitFor([&] { return recorded() == QLatin1String("poweroff\n"); }, 30000));
        QCOMPARE(server.job(51)->state, 3);
        QVERIFY(svc->readLog().contains(QStringLiteral("nobody is logged in: acting now")));
    }

    void heldJobsPostponeRestartAndCancel()
    {
        TestServer server;
        QVERIFY(server.listen());
        const QDateTime t0(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
        auto svc = restartPending(server, 61, 62, t0);
        QVERIFY(QTest::qWaitFor([&] { return server.job(61)->state == 3; }, 30000));
        QVERIFY(QTest::qWaitFor(
            [&] { return svc->readLog().contains(QStringLiteral("job 62 and the ones after it wait")); }, 10000));
        QCOMPARE(server.job(62)->state, 0);

        // Postponed once by root, then the service restarts: the count and the deadline stay.
        AgentHarness::Run r = svc->h->run(
            {QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"postpone\",\"minutes\":60}")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.stdoutText.contains(QStringLiteral("\"ok\":true")), qPrintable(r.output));
        QCOMPARE(svc->stop(), 0);
        svc->log.clear();
        svc->start();
        QVERIFY(QTest::qWaitFor(
            [&] { return svc->readLog().contains(QStringLiteral("job 62 and the ones after it wait")); }, 30000));
        QVERIFY(svc->readLog().contains(QStringLiteral("still pending from before")));
        const QJsonObject p =
            svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")).toObject();
        QCOMPARE(p.value(QStringLiteral("postponements_used")).toInt(), 1);
        QCOMPARE(p.value(QStringLiteral("postponements_left")).toInt(), 2);
        QCOMPARE(p.value(QStringLiteral("deadline")).toString(), QStringLiteral("2026-03-01T10:10:00Z"));
        QCOMPARE(server.job(62)->state, 0);

        // A connected tray gets the reminder as a flagged power push when the interval has passed.
        QLocalSocket tray;
        QByteArray trayIn;
        bool reminded = false;
        bool welcomed = false;
        connect(&tray, &QLocalSocket::readyRead, &tray, [&] {
            trayIn += tray.readAll();
            int nl;
            while ((nl = trayIn.indexOf('\n')) >= 0) {
                const QJsonObject m = QJsonDocument::fromJson(trayIn.left(nl)).object();
                trayIn.remove(0, nl + 1);
                welcomed = welcomed || m.value(QStringLiteral("type")) == QLatin1String("welcome");
                if (m.value(QStringLiteral("type")) == QLatin1String("power") &&
                    m.value(QStringLiteral("reminder")).toBool())
                    reminded = true;
            }
        });
        tray.connectToServer(svc->socket());
        QVERIFY(tray.waitForConnected(5000));
        tray.write("{\"type\":\"hello\",\"version\":1,\"client\":\"oco-tray/test\"}\n");
        QVERIFY(QTest::qWaitFor([&] { return welcomed; }, 10000));
        QVERIFY(!reminded);
        writeFile(svc->clockFile(), t0.addSecs(61 * 60).toString(Qt::ISODate).toUtf8());
        QVERIFY(QTest::qWaitFor([&] { return reminded; }, 15000));

        // The admin cancels from the command line: the held job runs at once, nothing is restarted.
        r = svc->h->run({QStringLiteral("--cancel-power-action")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.stdoutText.contains(QStringLiteral("cancelled")));
        QVERIFY(QTest::qWaitFor([&] { return server.job(62)->state == 3; }, 30000));
        QVERIFY(recorded().isEmpty());
    }

    void chosenTimeThroughTheSocket()
    {
        TestServer server;
        QVERIFY(server.listen());
        const QDateTime t0(QDate(2026, 3, 2), QTime(9, 0), Qt::UTC); // a Monday, 10:00 in Berlin
        auto svc = restartPending(server, 65, 0, t0);
        QVERIFY(QTest::qWaitFor([&] { return server.job(65)->state == 3; }, 30000));
        QJsonObject p;
        QVERIFY(QTest::qWaitFor(
            [&] {
                p = svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")).toObject();
                return !p.isEmpty();
            },
            10000));
        // Whole local hours at least a final countdown ahead (11:00 Berlin) up to the hard deadline, the last one.
        const QJsonArray times = p.value(QStringLiteral("time_choices")).toArray();
        QVERIFY2(times.size() >= 3, qPrintable(QString::fromUtf8(QJsonDocument(p).toJson())));
        QCOMPARE(times.first().toString(), QStringLiteral("2026-03-02T10:00:00Z"));
        QCOMPARE(times.last().toString(), p.value(QStringLiteral("hard_deadline")).toString());
        const int left = p.value(QStringLiteral("postponements_left")).toInt();

        auto request = [&](const QString &until) {
            return svc->h->run({QStringLiteral("--control-request"),
                                QStringLiteral("{\"type\":\"postpone\",\"until\":\"%1\"}").arg(until)});
        };
        // Not one of the offered times: refused, nothing moves.
        AgentHarness::Run r = request(QStringLiteral("2026-03-02T11:17:00Z"));
        QVERIFY2(r.stdoutText.contains(QStringLiteral("\"ok\":false")), qPrintable(r.output));
        // An offered time: the deadline is that time for everyone, and it costs one postponement.
        const QString chosen = times.at(2).toString();
        r = request(chosen);
        QVERIFY2(r.stdoutText.contains(QStringLiteral("\"ok\":true")), qPrintable(r.output));
        p = svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")).toObject();
        QCOMPARE(p.value(QStringLiteral("deadline")).toString(), chosen);
        QCOMPARE(p.value(QStringLiteral("postponements_left")).toInt(), left - 1);
        QVERIFY(recorded().isEmpty());
    }

    void releaseKeepsTheAuthBackOff()
    {
        TestServer server;
        QVERIFY(server.listen());
        const QDateTime t0(QDate(2026, 3, 1), QTime(9, 0), Qt::UTC);
        auto svc = restartPending(server, 63, 64, t0);
        QVERIFY(QTest::qWaitFor(
            [&] { return svc->readLog().contains(QStringLiteral("job 64 and the ones after it wait")); }, 30000));

        // The server stops taking our key; one contact gets the 401 and the service backs off.
        server.computer(QStringLiteral("testpc"))->agentKey = QStringLiteral("someotherkey");
        AgentHarness::Run r =
            svc->h->run({QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"check_now\"}")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QTest::qWaitFor([&] { return svc->readLog().contains(QStringLiteral("backing off")); }, 30000));
        const int hellos = server.countRequests(QStringLiteral("oco.agent_hello"));

        // Cancelling releases the held job, but no contact is made before the back-off's.
        r = svc->h->run({QStringLiteral("--cancel-power-action")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QTest::qWaitFor(
            [&] { return svc->readLog().contains(QStringLiteral("held jobs run at the next contact")); }, 10000));
        QCOMPARE(svc->status().value(QStringLiteral("power")).toObject().value(QStringLiteral("pending")),
                 QJsonValue(QJsonValue::Null));
        QCOMPARE(server.countRequests(QStringLiteral("oco.agent_hello")), hellos);
        QCOMPARE(server.job(64)->state, 0);
        QVERIFY(recorded().isEmpty());
    }

    void exitPostActionRestartsTheSupervisedService()
    {
        TestServer server;
        QVERIFY(server.listen());
        addComputer(server);
        TestServer::Job &job = server.addJob(QStringLiteral("testpc"), 71, 7, 5, QStringLiteral("true"), false);
        job.exit = 0;
        auto svc = makeService(server, "[]", QDateTime::currentDateTimeUtc());
        // A tiny supervisor: like systemd's Restart=on-failure, start it again when it exits with a failure.
        QList<int> exits;
        int starts = 0;
        std::function<void()> launch = [&] {
            ++starts;
            svc->start();
            QObject::connect(svc->proc.get(), &QProcess::finished, svc->proc.get(), [&](int code) {
                exits << code;
                svc->readLog();
                if (code != 0 && starts < 3)
                    QTimer::singleShot(0, [&] { launch(); });
            });
        };
        launch();
        QVERIFY(QTest::qWaitFor([&] { return exits.size() == 1; }, 30000));
        QCOMPARE(exits.first(), 75);
        QCOMPARE(server.job(71)->state, 3); // exits only after the report was accepted
        QVERIFY(QTest::qWaitFor(
            [&] { return starts == 2 && server.countRequests(QStringLiteral("oco.agent_hello")) >= 2; }, 30000));
        QVERIFY(svc->proc->state() == QProcess::Running);
        svc->proc->disconnect();
        QCOMPARE(svc->stop(), 0);
        int finals = 0;
        for (const QJsonObject &rep : server.job(71)->reports)
            finals += rep.value(QStringLiteral("state")).toInt() == 3 ? 1 : 0;
        QCOMPARE(finals, 1); // the job ran once
    }
};

QTEST_GUILESS_MAIN(TestPower)
#include "tst_power.moc"
