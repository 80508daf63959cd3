// Do not disturb: the three detectors (camera on a fake /proc, screensaver inhibitors on a private bus,
// full-screen through an injected probe), their combination, and what the tray does with it: a quiet
// notification instead of the notice, the notice when the session is free, the final countdown always.
#include "GuiTest.h"
#include "PowerNotice.h"
#include "Translations.h"
#include "TrayApp.h"
#include "busy/BusyWatch.h"
#include "busy/CameraDetector.h"
#include "busy/FullscreenDetector.h"
#include "busy/InhibitDetector.h"
#include "core/Clock.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>

#include <unistd.h>

#include <algorithm>

using namespace oco::ui;

namespace {
class FakeDetector : public BusyDetector
{
public:
    using BusyDetector::BusyDetector;
    void poll() override { ++polls; }
    void set(State s, const QString &why = {}) { setState(s, why); }
    int polls = 0;
};

class RecordingNotifier : public DesktopNotifier
{
public:
    struct Sent
    {
        QString summary, body;
        Urgency urgency;
    };
    void notify(const QString &, const QString &summary, const QString &body, Urgency urgency,
                const QStringList &) override
    {
        sent.append({summary, body, urgency});
    }
    QList<Sent> sent;
};

QJsonObject pending(const QDateTime &now, bool final)
{
    return {{QStringLiteral("action"), QStringLiteral("restart")},
            {QStringLiteral("job_id"), 18},
            {QStringLiteral("package_id"), QStringLiteral("Kernel")},
            {QStringLiteral("deadline"), now.addSecs(final ? 240 : 5400).toString(Qt::ISODate)},
            {QStringLiteral("postponements_left"), 2},
            {QStringLiteral("choices_minutes"), QJsonArray{60, 240}},
            {QStringLiteral("can_postpone"), !final},
            {QStringLiteral("final_countdown"), final}};
}

} // namespace

class FakePowerManagement : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.PowerManagement.Inhibit")
public:
    bool inhibited = false;
public Q_SLOTS:
    bool HasInhibit() { return inhibited; }
};

namespace {
// A process in a fake /proc: its status (name, real uid) and fds as symlinks.
void fakeProcess(const QString &root, int pid, uint uid, const QString &name, const QStringList &fdTargets)
{
    const QString dir = QStringLiteral("%1/%2").arg(root).arg(pid);
    QDir().mkpath(dir + QStringLiteral("/fd"));
    QFile status(dir + QStringLiteral("/status"));
    QVERIFY(status.open(QIODevice::WriteOnly));
    status.write(QStringLiteral("Name:\t%1\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t%2\t%2\t%2\t%2\n")
                     .arg(name)
                     .arg(uid)
                     .toUtf8());
    for (int i = 0; i < fdTargets.size(); ++i)
        QVERIFY(QFile::link(fdTargets.at(i), QStringLiteral("%1/fd/%2").arg(dir).arg(i)));
}
} // namespace

class TestDnd : public QObject
{
    Q_OBJECT

    QProcess m_bus;
    QString m_address;
    QTemporaryDir m_home;

    bool startBus()
    {
        if (!m_address.isEmpty())
            return true;
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            return false;
        m_bus.start(daemon,
                    {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        if (!m_bus.waitForStarted(5000))
            return false;
        if (!QTest::qWaitFor(
                [this] { return m_bus.canReadLine() || (m_bus.waitForReadyRead(100) && m_bus.canReadLine()); }, 5000))
            return false;
        m_address = QString::fromUtf8(m_bus.readLine()).trimmed();
        return !m_address.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        useTemporaryConfigHome(m_home);
        installTranslations(QStringLiteral("en"));
    }

    void cleanupTestCase()
    {
        if (m_bus.state() != QProcess::NotRunning) {
            m_bus.terminate();
            m_bus.waitForFinished(5000);
        }
    }

    void cameraOpenByOwnProcess()
    {
        QTemporaryDir proc;
        const QString root = proc.path();
        fakeProcess(root, 100, 1000, QStringLiteral("bash"),
                    {QStringLiteral("/dev/pts/1"), QStringLiteral("/dev/null")});
        fakeProcess(root, 200, 1001, QStringLiteral("cheese"), {QStringLiteral("/dev/video0")}); // someone else's
        fakeProcess(root, 300, 1000, QStringLiteral("zoom"),
                    {QStringLiteral("socket:[1234]"), QStringLiteral("/dev/video2")});
        QDir().mkpath(root + QStringLiteral("/self")); // not a pid
        QFile(root + QStringLiteral("/uptime")).open(QIODevice::WriteOnly);

        QTemporaryDir dev;
        QFile(dev.filePath(QStringLiteral("video0"))).open(QIODevice::WriteOnly);
        CameraDetector mine(root, 1000, dev.path());
        QSignalSpy changed(&mine, &BusyDetector::changed);
        mine.poll();
        QCOMPARE(mine.state(), BusyDetector::State::Busy);
        QVERIFY2(mine.why().contains(QStringLiteral("zoom")), qPrintable(mine.why()));
        QCOMPARE(changed.size(), 1);
        mine.poll(); // no change, no signal
        QCOMPARE(changed.size(), 1);

        // The call ends: the fd goes.
        QVERIFY(QFile::remove(root + QStringLiteral("/300/fd/1")));
        mine.poll();
        QCOMPARE(mine.state(), BusyDetector::State::Idle);
        QCOMPARE(changed.size(), 2);

        // Another user's camera is not this session's business.
        CameraDetector other(root, 1002, dev.path());
        other.poll();
        QCOMPARE(other.state(), BusyDetector::State::Idle);
        CameraDetector theirs(root, 1001, dev.path());
        theirs.poll();
        QCOMPARE(theirs.state(), BusyDetector::State::Busy);

        // Processes that vanish or are unreadable are skipped; no proc at all is "unknown".
        QVERIFY(QFile::remove(root + QStringLiteral("/200/status")));
        theirs.poll();
        QCOMPARE(theirs.state(), BusyDetector::State::Idle);
        CameraDetector none(root + QStringLiteral("/missing"), 1000, dev.path());
        none.poll();
        QCOMPARE(none.state(), BusyDetector::State::Unknown);

        // No camera device at all: nothing is scanned, nothing can be open.
        QTemporaryDir noDev;
        CameraDetector cheap(root, 1001, noDev.path());
        cheap.poll();
        QCOMPARE(cheap.state(), BusyDetector::State::Idle);
        QCOMPARE(cheap.scans(), 0);
        // Plugged in later: found at the next poll.
        QFile(noDev.filePath(QStringLiteral("video0"))).open(QIODevice::WriteOnly);
        fakeProcess(root, 400, 1001, QStringLiteral("obs"), {QStringLiteral("/dev/video0")});
        cheap.poll();
        QCOMPARE(cheap.state(), BusyDetector::State::Busy);
        QCOMPARE(cheap.scans(), 1);
    }

    void cameraOnTheRealProcOfThisProcess()
    {
        // This test's own process holds no camera; the scan of the real /proc works and says idle.
        CameraDetector real;
        real.poll();
        QCOMPARE(real.state(), BusyDetector::State::Idle);
    }

    void pollCost()
    {
        // Not an assertion on time (machines differ): the figures the README quotes, printed for the record.
        // The scan is forced with /proc as "device directory" (it has no video*: use this test's own dir).
        QTemporaryDir dev;
        QFile(dev.filePath(QStringLiteral("video0"))).open(QIODevice::WriteOnly);
        auto median = [](BusyDetector &d) {
            QList<qint64> ns;
            for (int i = 0; i < 200; ++i) {
                QElapsedTimer t;
                t.start();
                d.poll();
                ns << t.nsecsElapsed();
            }
            std::sort(ns.begin(), ns.end());
            return ns.at(ns.size() / 2) / 1e6;
        };
        CameraDetector noCamera;                                                // the usual case: no /dev/video*
        CameraDetector ownNothing(QStringLiteral("/proc"), 65533, dev.path());  // status files only
        CameraDetector ownAll(QStringLiteral("/proc"), ::getuid(), dev.path()); // every fd of every process
        FullscreenDetector screen;
        const int processes =
            int(QDir(QStringLiteral("/proc")).entryList({QStringLiteral("[0-9]*")}, QDir::Dirs).size());
        qInfo("median of 200 polls over %d processes: camera without /dev/video* %.3f ms; camera scan, no own "
              "process %.3f ms; camera scan through all fds %.3f ms; full screen %.3f ms",
              processes, median(noCamera), median(ownNothing), median(ownAll), median(screen));
        QCOMPARE(ownNothing.state(), BusyDetector::State::Idle);
    }

    void fullscreenProbe()
    {
        FullscreenDetector d;
        d.poll(); // offscreen: no X11, nothing to say
        if (QGuiApplication::platformName() != QLatin1String("xcb"))
            QCOMPARE(d.state(), BusyDetector::State::Unknown);
        FullscreenDetector::Window w{BusyDetector::State::Busy, QStringLiteral("Slides.odp - Impress")};
        d.setProbe([&w] { return w; });
        d.poll();
        QCOMPARE(d.state(), BusyDetector::State::Busy);
        QVERIFY(d.why().contains(QStringLiteral("Slides.odp")));
        w = {BusyDetector::State::Idle, {}};
        d.poll();
        QCOMPARE(d.state(), BusyDetector::State::Idle);
        QVERIFY(d.why().isEmpty());
    }

    void inhibitorsServedByTheTray()
    {
        if (!startBus())
            QSKIP("dbus-daemon is not available");
        QDBusConnection trayBus = QDBusConnection::connectToBus(m_address, QStringLiteral("tray"));
        QVERIFY(trayBus.isConnected());
        InhibitDetector d(trayBus);
        QCOMPARE(d.mode(), InhibitDetector::Mode::Serving);
        QCOMPARE(d.state(), BusyDetector::State::Idle);

        auto call = [](QDBusConnection bus, const QString &path, const QString &method, const QVariantList &args) {
            QDBusMessage m = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.ScreenSaver"), path,
                                                            QStringLiteral("org.freedesktop.ScreenSaver"), method);
            m.setArguments(args);
            return bus.call(m, QDBus::BlockWithGui, 5000);
        };
        const QString path = QStringLiteral("/org/freedesktop/ScreenSaver");
        {
            QDBusConnection player = QDBusConnection::connectToBus(m_address, QStringLiteral("player"));
            const QDBusMessage r = call(player, path, QStringLiteral("Inhibit"),
                                        {QStringLiteral("Firefox"), QStringLiteral("video-playing")});
            QVERIFY2(r.type() == QDBusMessage::ReplyMessage, qPrintable(r.errorMessage()));
            const uint cookie = r.arguments().value(0).toUInt();
            QVERIFY(cookie != 0);
            QCOMPARE(d.state(), BusyDetector::State::Busy);
            QVERIFY2(d.why().contains(QStringLiteral("Firefox")), qPrintable(d.why()));

            // Nobody else may release it.
            QDBusConnection stranger = QDBusConnection::connectToBus(m_address, QStringLiteral("stranger"));
            call(stranger, path, QStringLiteral("UnInhibit"), {cookie});
            QCOMPARE(d.state(), BusyDetector::State::Busy);
            QDBusConnection::disconnectFromBus(QStringLiteral("stranger"));

            call(player, QStringLiteral("/ScreenSaver"), QStringLiteral("UnInhibit"), {cookie});
            QCOMPARE(d.state(), BusyDetector::State::Idle);

            // A player that leaves the bus without UnInhibit (crashed) does not keep the session busy.
            call(player, path, QStringLiteral("Inhibit"), {QStringLiteral("mpv"), QString()});
            QCOMPARE(d.state(), BusyDetector::State::Busy);
        }
        QDBusConnection::disconnectFromBus(QStringLiteral("player"));
        QTRY_COMPARE_WITH_TIMEOUT(d.state(), BusyDetector::State::Idle, 5000);
        QCOMPARE(d.inhibitors(), 0);
    }

    void inhibitorsAskedOfTheDesktop()
    {
        if (!startBus())
            QSKIP("dbus-daemon is not available");
        // A desktop (KDE, Xfce) owns org.freedesktop.ScreenSaver and answers HasInhibit.
        QDBusConnection desktop = QDBusConnection::connectToBus(m_address, QStringLiteral("desktop"));
        FakePowerManagement pm;
        QVERIFY(desktop.registerObject(QStringLiteral("/org/freedesktop/PowerManagement/Inhibit"), &pm,
                                       QDBusConnection::ExportAllSlots));
        QVERIFY(desktop.registerService(QStringLiteral("org.freedesktop.ScreenSaver")));
        QVERIFY(desktop.registerService(QStringLiteral("org.freedesktop.PowerManagement")));
        {
            QDBusConnection trayBus = QDBusConnection::connectToBus(m_address, QStringLiteral("tray2"));
            InhibitDetector d(trayBus);
            QCOMPARE(d.mode(), InhibitDetector::Mode::AskingPowerManagement);
            pm.inhibited = true;
            d.poll();
            QTRY_COMPARE_WITH_TIMEOUT(d.state(), BusyDetector::State::Busy, 5000);
            pm.inhibited = false;
            d.poll();
            QTRY_COMPARE_WITH_TIMEOUT(d.state(), BusyDetector::State::Idle, 5000);
            // The desktop goes away: nobody to ask, so no opinion.
            desktop.unregisterObject(QStringLiteral("/org/freedesktop/PowerManagement/Inhibit"));
            d.poll();
            QTRY_COMPARE_WITH_TIMEOUT(d.state(), BusyDetector::State::Unknown, 5000);
        }
        QDBusConnection::disconnectFromBus(QStringLiteral("tray2"));
        QDBusConnection::disconnectFromBus(QStringLiteral("desktop"));
    }

    void watchCombines()
    {
        BusyWatch watch;
        auto *a = new FakeDetector;
        auto *b = new FakeDetector;
        watch.addDetector(a);
        watch.addDetector(b);
        QSignalSpy spy(&watch, &BusyWatch::busyChanged);
        watch.pollNow();
        QCOMPARE(a->polls, 1);
        QVERIFY(!watch.isBusy());
        a->set(BusyDetector::State::Unknown);
        QCOMPARE(spy.size(), 0); // unknown is not busy
        b->set(BusyDetector::State::Busy, QStringLiteral("camera"));
        QCOMPARE(spy.size(), 1);
        QVERIFY(watch.isBusy());
        QCOMPARE(watch.why(), QStringLiteral("camera"));
        a->set(BusyDetector::State::Busy, QStringLiteral("presenting"));
        QCOMPARE(watch.why(), QStringLiteral("presenting")); // the first detector names it
        a->set(BusyDetector::State::Idle);
        b->set(BusyDetector::State::Idle);
        QVERIFY(!watch.isBusy());
        QCOMPARE(spy.last().at(0).toBool(), false);
    }

    void busySessionGetsAQuietNotificationThenTheNotice()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        RecordingNotifier notifier;
        TrayApp app(s.link.get(), clock, &notifier);
        auto *watch = new BusyWatch(&app);
        auto *camera = new FakeDetector;
        watch->addDetector(camera);
        app.setBusyWatch(watch);
        app.start();

        camera->set(BusyDetector::State::Busy, QStringLiteral("the camera is in use by zoom"));
        // The service hears it, for its log.
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("session_busy")).isEmpty(), 5000);
        QCOMPARE(s.stub.lastRequest(QStringLiteral("session_busy")).value(QStringLiteral("busy")).toBool(), true);
        QCOMPARE(s.stub.lastRequest(QStringLiteral("session_busy")).value(QStringLiteral("why")).toString(),
                 QStringLiteral("the camera is in use by zoom"));

        s.stub.setPower(pending(clock.nowUtc(), false));
        QTRY_COMPARE_WITH_TIMEOUT(notifier.sent.size(), 1, 5000);
        QCOMPARE(notifier.sent.at(0).urgency, DesktopNotifier::Urgency::Low);
        QVERIFY2(notifier.sent.at(0).body.contains(QStringLiteral("zoom")), qPrintable(notifier.sent.at(0).body));
        QVERIFY(app.notice());
        QVERIFY(!app.notice()->isVisible());
        QVERIFY(app.noticeWaiting());

        // A reminder while still busy: still quiet.
        s.stub.setPower(pending(clock.nowUtc(), false), true);
        QTRY_COMPARE_WITH_TIMEOUT(notifier.sent.size(), 2, 5000);
        QVERIFY(!app.notice()->isVisible());

        // The call ends: the notice comes.
        camera->set(BusyDetector::State::Idle);
        QVERIFY(app.notice()->isVisible());
        QVERIFY(!app.noticeWaiting());
        QTRY_COMPARE_WITH_TIMEOUT(
            s.stub.lastRequest(QStringLiteral("session_busy")).value(QStringLiteral("busy")).toBool(), false, 5000);
    }

    void finalCountdownIsNeverSuppressed()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        RecordingNotifier notifier;
        TrayApp app(s.link.get(), clock, &notifier);
        auto *watch = new BusyWatch(&app);
        auto *screen = new FakeDetector;
        watch->addDetector(screen);
        app.setBusyWatch(watch);
        app.start();
        screen->set(BusyDetector::State::Busy, QStringLiteral("presenting"));

        s.stub.setPower(pending(clock.nowUtc(), false));
        QTRY_VERIFY_WITH_TIMEOUT(app.noticeWaiting(), 5000);
        QVERIFY(!app.notice()->isVisible());
        s.stub.setPower(pending(clock.nowUtc(), true));
        QTRY_VERIFY_WITH_TIMEOUT(app.notice()->isVisible(), 5000);
        QVERIFY(app.notice()->isFinalCountdown());
        QCOMPARE(notifier.sent.last().urgency, DesktopNotifier::Urgency::Critical);
        QVERIFY(!app.noticeWaiting());

        // Nothing pending any more (done or cancelled): nothing comes back after the presentation.
        s.stub.setPower({});
        QTRY_VERIFY_WITH_TIMEOUT(!app.notice()->isVisible(), 5000);
        screen->set(BusyDetector::State::Idle);
        QVERIFY(!app.notice()->isVisible());
    }

    void notBusyShowsTheNoticeAsBefore()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        RecordingNotifier notifier;
        TrayApp app(s.link.get(), clock, &notifier);
        auto *watch = new BusyWatch(&app);
        watch->addDetector(new FakeDetector);
        app.setBusyWatch(watch);
        app.start();
        s.stub.setPower(pending(clock.nowUtc(), false));
        QTRY_VERIFY_WITH_TIMEOUT(app.notice() && app.notice()->isVisible(), 5000);
        QCOMPARE(notifier.sent.size(), 1);
        QCOMPARE(notifier.sent.at(0).urgency, DesktopNotifier::Urgency::Normal);
        QVERIFY(s.stub.lastRequest(QStringLiteral("session_busy")).isEmpty()); // never busy: nothing to say
    }
};

QTEST_MAIN(TestDnd)
#include "tst_dnd.moc"
