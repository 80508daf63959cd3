// Desktop notifications go over D-Bus to org.freedesktop.Notifications: a private bus with a fake
// notification daemon receives them (summary, body, urgency, replacement of the previous bubble), and the
// tray notifies when a restart is scheduled and when the final countdown starts.
#include "GuiTest.h"
#include "Translations.h"
#include "TrayApp.h"

#include "core/Clock.h"
#include "platform/linux/DBusNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>

using namespace oco::ui;

class FakeDaemon : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString summary, body;
        QStringList actions;
        uint replaces;
        int urgency;
        int timeout;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &, uint replacesId, const QString &, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        calls << Call{summary, body, actions, replacesId, hints.value(QStringLiteral("urgency")).toInt(), timeout};
        return replacesId ? replacesId : uint(calls.size() + 100);
    }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &key);
};

class TestNotifier : public QObject
{
    Q_OBJECT
    QProcess m_bus;
    QString m_address;
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        useTemporaryConfigHome(m_home);
        installTranslations(QStringLiteral("en"));
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            QSKIP("dbus-daemon is not installed");
        m_bus.start(daemon,
                    {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        QVERIFY(m_bus.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine() || (m_bus.waitForReadyRead(100) && m_bus.canReadLine()), 5000);
        m_address = QString::fromUtf8(m_bus.readLine()).trimmed();
        QVERIFY(!m_address.isEmpty());
    }

    void cleanupTestCase()
    {
        QDBusConnection::disconnectFromBus(QStringLiteral("daemon"));
        QDBusConnection::disconnectFromBus(QStringLiteral("client"));
        if (m_bus.state() != QProcess::NotRunning) {
            m_bus.terminate();
            m_bus.waitForFinished(5000);
        }
    }

    void notificationsReachTheDaemon()
    {
        QDBusConnection daemonBus = QDBusConnection::connectToBus(m_address, QStringLiteral("daemon"));
        QVERIFY(daemonBus.isConnected());
        FakeDaemon daemon;
        QVERIFY(daemonBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &daemon,
                                         QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
        QVERIFY(daemonBus.registerService(QStringLiteral("org.freedesktop.Notifications")));

        DBusNotifier notifier(QDBusConnection::connectToBus(m_address, QStringLiteral("client")));
        QSignalSpy delivered(&notifier, &DBusNotifier::delivered);
        notifier.notify(QStringLiteral("power"), QStringLiteral("Restart scheduled"),
                        QStringLiteral("This computer will restart at 14:30."), DesktopNotifier::Urgency::Normal);
        QVERIFY(delivered.wait(5000));
        QCOMPARE(daemon.calls.size(), 1);
        QCOMPARE(daemon.calls.at(0).summary, QStringLiteral("Restart scheduled"));
        QCOMPARE(daemon.calls.at(0).urgency, 1);
        QCOMPARE(daemon.calls.at(0).replaces, 0u);
        // The same topic replaces its bubble; critical ones stay until dismissed.
        notifier.notify(QStringLiteral("power"), QStringLiteral("Restart imminent"), QStringLiteral("Save now."),
                        DesktopNotifier::Urgency::Critical);
        QVERIFY(delivered.wait(5000));
        QCOMPARE(daemon.calls.at(1).replaces, delivered.at(0).at(1).toUInt());
        QCOMPARE(daemon.calls.at(1).urgency, 2);
        QCOMPARE(daemon.calls.at(1).timeout, 0);

        // The tray announces a scheduled restart and the final countdown.
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        TrayApp app(s.link.get(), clock, &notifier);
        auto power = [&](bool final) {
            return QJsonObject{
                {QStringLiteral("action"), QStringLiteral("restart")},
                {QStringLiteral("job_id"), 3},
                {QStringLiteral("deadline"), clock.nowUtc().addSecs(final ? 120 : 3600).toString(Qt::ISODate)},
                {QStringLiteral("postponements_left"), 1},
                {QStringLiteral("choices_minutes"), QJsonArray{60}},
                {QStringLiteral("can_postpone"), !final},
                {QStringLiteral("final_countdown"), final}};
        };
        s.stub.setPower(power(false));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 3, 5000);
        QCOMPARE(daemon.calls.at(2).summary, QStringLiteral("Restart scheduled"));
        QVERIFY(app.notice() && app.notice()->isVisible());
        // The bubble's button (and a click on it) opens the notice; other programs' bubbles do not.
        QCOMPARE(daemon.calls.at(2).actions, (QStringList{QStringLiteral("default"), QStringLiteral("Show"),
                                                          QStringLiteral("open"), QStringLiteral("Show details")}));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 3, 5000);
        const uint id = delivered.last().at(1).toUInt();
        app.notice()->hide();
        QSignalSpy invoked(&notifier, &DBusNotifier::actionInvoked);
        Q_EMIT daemon.ActionInvoked(id + 1000, QStringLiteral("open"));
        Q_EMIT daemon.ActionInvoked(id, QStringLiteral("open"));
        QVERIFY(invoked.wait(5000));
        QCOMPARE(invoked.size(), 1);
        QCOMPARE(invoked.at(0).at(0).toString(), QStringLiteral("power"));
        QVERIFY(app.notice()->isVisible());
        app.notice()->hide();
        s.stub.setPower(power(false), true); // a reminder brings the notice back
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 4, 5000);
        QCOMPARE(daemon.calls.at(3).summary, QStringLiteral("Restart pending"));
        QVERIFY(app.notice()->isVisible());
        s.stub.setPower(power(true));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 5, 5000);
        QCOMPARE(daemon.calls.at(4).summary, QStringLiteral("Restart imminent"));
        QCOMPARE(daemon.calls.at(4).urgency, 2);
        QVERIFY(app.notice()->isFinalCountdown());

        // Optional notifications off: reminders are quiet, the final countdown is still announced.
        app.preferences()->setNotifications(false);
        s.stub.setPower({});
        QTRY_VERIFY_WITH_TIMEOUT(!app.notice()->isVisible(), 5000);
        s.stub.setPower(power(false));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 6, 5000); // scheduling is mandatory
        s.stub.setPower(power(false), true);
        s.stub.setPower(power(true));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 7, 5000);
        QCOMPARE(daemon.calls.at(6).summary, QStringLiteral("Restart imminent")); // nothing for the reminder
    }
};

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
