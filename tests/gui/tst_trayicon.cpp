// The tray icon: one icon and tooltip per state, icons at every size and for light and dark panels, and the
// menu's content and enabled state in each state (without needing a real tray host).
#include "GuiTest.h"
#include "StateIcon.h"
#include "Translations.h"
#include "TrayApp.h"
#include "TrayIcon.h"

#include "core/Clock.h"
#include "platform/linux/DBusNotifier.h"

#include <QApplication>
#include <QJsonArray>
#include <QMenu>
#include <QPainter>

#include <cmath>

using namespace oco::ui;

namespace {
QJsonObject pending(const QDateTime &now, bool final, int left = 2, bool canPostpone = true)
{
    return {{QStringLiteral("action"), QStringLiteral("restart")},
            {QStringLiteral("reason"), QStringLiteral("kernel update")},
            {QStringLiteral("job_id"), 18},
            {QStringLiteral("package_id"), QStringLiteral("Kernel")},
            {QStringLiteral("deadline"), now.addSecs(final ? 240 : 5400).toString(Qt::ISODate)},
            {QStringLiteral("postponements_used"), 3 - left},
            {QStringLiteral("postponements_left"), left},
            {QStringLiteral("choices_minutes"), QJsonArray{60, 240, 480}},
            {QStringLiteral("can_postpone"), canPostpone},
            {QStringLiteral("final_countdown"), final}};
}

QStringList visibleActions(QMenu *menu)
{
    QStringList out;
    const QList<QAction *> actions = menu->actions();
    for (QAction *a : actions)
        if (a->isVisible() && !a->isSeparator())
            out << a->objectName();
    return out;
}
} // namespace

class TestTrayIcon : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en")); }

    void automaticFollowsThePanelNotTheTheme()
    {
        // What is behind the icon decides: a light panel under a dark theme still gets the dark glyph.
        QImage light(24, 24, QImage::Format_RGB32);
        light.fill(QColor(0xe8, 0xe8, 0xe8));
        QImage dark(24, 24, QImage::Format_RGB32);
        dark.fill(QColor(0x20, 0x22, 0x26));
        QCOMPARE(panelFromBackground(light), std::optional<Panel>(Panel::Light));
        QCOMPARE(panelFromBackground(dark), std::optional<Panel>(Panel::Dark));
        // Our own glyph in the middle does not count.
        QPainter(&light).fillRect(QRect(3, 3, 18, 18), Qt::black);
        QCOMPARE(panelFromBackground(light), std::optional<Panel>(Panel::Light));
        QCOMPARE(panelFromBackground(QImage()), std::nullopt);
    }

    void iconsAreCrispAndDistinct()
    {
        const TrayState states[] = {TrayState::NotRunning, TrayState::Idle,         TrayState::Syncing,
                                    TrayState::JobRunning, TrayState::PowerPending, TrayState::Error};
        for (int size : {16, 22, 32, 64, 256}) {
            QSet<QByteArray> seen;
            for (TrayState s : states) {
                for (Panel p : {Panel::Light, Panel::Dark}) {
                    const QImage img = renderStateIcon(s, p, size, 50);
                    QCOMPARE(img.size(), QSize(size, size));
                    const QByteArray bytes(reinterpret_cast<const char *>(img.constBits()), img.sizeInBytes());
                    QVERIFY2(
                        !seen.contains(bytes),
                        qPrintable(QStringLiteral("icon %1 at %2 px is not distinct").arg(stateIconName(s)).arg(size)));
                    seen.insert(bytes);
                    // Crisp: the monitor's left edge is a fully opaque column at every size.
                    int opaque = 0;
                    for (int y = 0; y < size; ++y)
                        opaque += qAlpha(img.pixel(int(std::round(0.5 * size / 16.0)), y)) == 255 ? 1 : 0;
                    if (s != TrayState::NotRunning)
                        QVERIFY2(opaque >= size / 2, qPrintable(QStringLiteral("blurry edge at %1 px").arg(size)));
                }
            }
        }
        // HiDPI: a 2x request renders 2x pixels, not an upscaled 1x bitmap.
        const QIcon icon = stateIcon(TrayState::Idle, Panel::Light);
        const QPixmap pm = icon.pixmap(QSize(22, 22), 2.0);
        QCOMPARE(pm.size(), QSize(44, 44));
        QImage expected = renderStateIcon(TrayState::Idle, Panel::Light, 44);
        expected.setDevicePixelRatio(2.0);
        QCOMPARE(pm.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied), expected);
        // Progress changes the job icon.
        QVERIFY(renderStateIcon(TrayState::JobRunning, Panel::Light, 32, 10) !=
                renderStateIcon(TrayState::JobRunning, Panel::Light, 32, 90));
    }

    void exportedIconsExist()
    {
        QTemporaryDir dir;
        QString error;
        QCOMPARE(exportIcons(dir.path(), &error), 8 * 13);
        QVERIFY(QImage(dir.filePath(QStringLiteral("hicolor/256x256/apps/oco-tray.png"))).size() == QSize(256, 256));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("hicolor/16x16/status/oco-tray-power-dark.png"))));
    }

    void statesTooltipsAndMenus()
    {
        QTemporaryDir home;
        useTemporaryConfigHome(home);
        StubbedLink s;
        const QDateTime now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        oco::ManualClock clock(now);
        QVERIFY(s.dir.isValid());
        QVERIFY(s.stub.listen(s.dir.filePath(QStringLiteral("control.sock"))));

        // Not running: a link to a socket nobody listens on.
        ServiceClient offline(s.dir.filePath(QStringLiteral("nobody.sock")));
        offline.setRetryDelays(20, 100);
        TrayIcon offlineTray(&offline, clock);
        offline.start();
        QTRY_VERIFY_WITH_TIMEOUT(!offline.connectError().isEmpty(), 5000);
        offlineTray.refresh();
        QCOMPARE(offlineTray.view().state, TrayState::NotRunning);
        QVERIFY(offlineTray.view().tooltip.contains(QStringLiteral("not running")));
        QVERIFY(!offlineTray.checkNowAction()->isEnabled());
        QVERIFY(offlineTray.openAction()->isEnabled());
        QVERIFY(offlineTray.settingsAction()->isEnabled());
        QCOMPARE(visibleActions(offlineTray.menu()),
                 QStringList({QStringLiteral("openAction"), QStringLiteral("checkNowAction"),
                              QStringLiteral("settingsAction"), QStringLiteral("aboutAction"),
                              QStringLiteral("quitAction")}));

        // Connected and idle.
        s.link = std::make_unique<ServiceClient>(s.stub.path());
        TrayIcon tray(s.link.get(), clock);
        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("idle")},
                          {QStringLiteral("last_contact"), now.toString(Qt::ISODate)}});
        s.link->start();
        QTRY_COMPARE_WITH_TIMEOUT(tray.view().state, TrayState::Idle, 5000);
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("connected")));
        QVERIFY(tray.checkNowAction()->isEnabled());
        QVERIFY(!tray.postponeAction()->isVisible());
        const QImage idleIcon = tray.icon().pixmap(32).toImage();

        // Syncing.
        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("contacting")}});
        QTRY_COMPARE_WITH_TIMEOUT(tray.view().state, TrayState::Syncing, 5000);
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("Contacting the server")));
        QVERIFY(tray.icon().pixmap(32).toImage() != idleIcon);

        // Error with its cause in words.
        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("error")},
                          {QStringLiteral("error_kind"), QStringLiteral("clock-skew")},
                          {QStringLiteral("last_error"), QStringLiteral("the server's time is 9 minutes ahead")}});
        QTRY_COMPARE_WITH_TIMEOUT(tray.view().state, TrayState::Error, 5000);
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("clock differs")));
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("9 minutes ahead")));

        // Job running with progress.
        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("job")}});
        s.stub.setJobs({{QStringLiteral("running"), QJsonObject{{QStringLiteral("id"), 7},
                                                                {QStringLiteral("package_id"), QStringLiteral("VLC")},
                                                                {QStringLiteral("phase"), QStringLiteral("download")},
                                                                {QStringLiteral("progress"), 42}}}});
        QTRY_COMPARE_WITH_TIMEOUT(tray.view().state, TrayState::JobRunning, 5000);
        QCOMPARE(tray.view().progress, 42);
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("42 %")));
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("VLC")));

        // Restart pending with time left; postponing offered with the allowed choices.
        QVERIFY(!tray.pendingLine()->isVisible());
        s.stub.setJobs({});
        s.stub.setPower(pending(now, false));
        QTRY_COMPARE_WITH_TIMEOUT(tray.view().state, TrayState::PowerPending, 5000);
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("(in 1 h 30 min)")));
        clock.advanceSecs(60);
        tray.refresh();
        QVERIFY(tray.view().tooltip.contains(QStringLiteral("(in 1 h 29 min)")));
        // The first line says when, and reopens the notice.
        QCOMPARE(tray.menu()->actions().constFirst(), tray.pendingLine());
        QVERIFY(tray.pendingLine()->isVisible());
        const QString at = TrayText::clockTime(
            TrayText::parseUtc(oco::control::timeJson(s.link->powerPending().deadline).toString()), clock.nowUtc());
        QCOMPARE(tray.pendingLine()->text(), QStringLiteral("Restart at %1 — Postpone…").arg(at));
        QSignalSpy noticeRequested(&tray, &TrayIcon::noticeRequested);
        tray.pendingLine()->trigger();
        QCOMPARE(noticeRequested.size(), 1);
        QVERIFY(tray.postponeAction()->isVisible());
        QVERIFY(tray.postponeAction()->isEnabled());
        QCOMPARE(tray.postponeAction()->text(), QStringLiteral("&Postpone restart until"));
        const QList<QAction *> choices = tray.postponeAction()->menu()->actions();
        QCOMPARE(choices.size(), 3);
        // As in the notice: the resulting times.
        const QDateTime deadline =
            TrayText::parseUtc(oco::control::timeJson(s.link->powerPending().deadline).toString());
        QCOMPARE(choices.at(0)->text(),
                 QStringLiteral("%1 (+1 h)").arg(TrayText::clockTime(deadline.addSecs(3600), clock.nowUtc())));
        QCOMPARE(choices.at(1)->text(),
                 QStringLiteral("%1 (+4 h)").arg(TrayText::clockTime(deadline.addSecs(4 * 3600), clock.nowUtc())));
        QSignalSpy postpone(&tray, &TrayIcon::postponeRequested);
        choices.at(1)->trigger();
        QCOMPARE(postpone.value(0).value(0).toInt(), 240);

        // Not allowed to postpone: the entry is gone.
        s.stub.setPower(pending(now, false, 2, false));
        QTRY_VERIFY_WITH_TIMEOUT(!tray.postponeAction()->isVisible(), 5000);
        s.stub.setPower(pending(now, false, 0, true));
        QTRY_VERIFY_WITH_TIMEOUT(!tray.postponeAction()->isVisible(), 5000);
        QCOMPARE(tray.pendingLine()->text(), QStringLiteral("Restart at %1 — Details…").arg(at));
        // Final countdown: no postponing either.
        s.stub.setPower(pending(now, false));
        QTRY_VERIFY_WITH_TIMEOUT(tray.postponeAction()->isVisible(), 5000);
        s.stub.setPower(pending(now, true));
        QTRY_VERIFY_WITH_TIMEOUT(!tray.postponeAction()->isVisible(), 5000);

        // "Check now" asks the service; "Quit" only signals (the service is never asked to stop).
        tray.checkNowAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("check_now")).isEmpty(), 5000);
        const qsizetype before = s.stub.requests.size();
        QSignalSpy quit(&tray, &TrayIcon::quitRequested);
        tray.quitAction()->trigger();
        QCOMPARE(quit.size(), 1);
        QTest::qWait(50);
        QCOMPARE(s.stub.requests.size(), before);
    }

    void withoutTrayItRunsWithoutAWindow()
    {
        if (QSystemTrayIcon::isSystemTrayAvailable())
            QSKIP("a system tray is available here");
        QTemporaryDir home;
        useTemporaryConfigHome(home);
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        DBusNotifier notifier(QDBusConnection(QStringLiteral("none")));
        TrayApp app(s.link.get(), clock, &notifier);
        QSignalSpy quit(&app, &TrayApp::quitRequested);
        // No window nobody asked for at login.
        QVERIFY(!app.start());
        QVERIFY(!app.existingWindow() || !app.existingWindow()->isVisible());
        // A restart still brings up the notice.
        s.stub.setPower(pending(clock.nowUtc(), false));
        QTRY_VERIFY_WITH_TIMEOUT(app.notice() && app.notice()->isVisible(), 5000);
        // The launcher opens the window, which says how things stand; closing it does not quit.
        app.openWindow();
        QVERIFY(app.existingWindow()->isVisible());
        QVERIFY(app.existingWindow()->noTray());
        auto *banner = app.existingWindow()->findChild<QWidget *>(QStringLiteral("noTrayBanner"));
        QVERIFY(banner && banner->isVisible());
        app.existingWindow()->close();
        QCOMPARE(quit.size(), 0);
    }

    void aTrayThatAppearsLaterGetsTheIcon()
    {
        // A panel or extension started after login: the icon shows once the tray is there.
        QTemporaryDir home;
        useTemporaryConfigHome(home);
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        DBusNotifier notifier(QDBusConnection(QStringLiteral("none")));
        TrayApp app(s.link.get(), clock, &notifier);
        bool available = false;
        int checks = 0;
        app.trayIcon()->setAvailability([&] {
            ++checks;
            return available;
        });
        app.setTrayCheckInterval(10);
        QVERIFY(!app.start());
        QVERIFY(!app.hasTray());
        QVERIFY(app.lookingForTray());
        QVERIFY(!app.trayIcon()->systemTrayIcon());
        app.openWindow();
        QVERIFY(app.existingWindow()->noTray());
        // It keeps looking while there is no tray.
        QTRY_VERIFY_WITH_TIMEOUT(checks >= 3, 5000);
        QVERIFY(!app.trayIcon()->systemTrayIcon());

        available = true;
        QTRY_VERIFY_WITH_TIMEOUT(app.trayIcon()->systemTrayIcon() && app.trayIcon()->systemTrayIcon()->isVisible(),
                                 5000);
        QVERIFY(app.hasTray());
        QVERIFY(!app.existingWindow()->noTray());
        QVERIFY(!app.lookingForTray());
    }

    void quittingAsksAndSaysWhatItMeans()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        DBusNotifier notifier(QDBusConnection(QStringLiteral("none")));
        TrayApp app(s.link.get(), clock, &notifier);
        QSignalSpy quit(&app, &TrayApp::quitRequested);
        int asked = 0;
        bool answer = false;
        app.setConfirmQuit([&] {
            ++asked;
            return answer;
        });
        app.trayIcon()->quitAction()->trigger();
        QCOMPARE(asked, 1);
        QCOMPARE(quit.size(), 0);
        answer = true;
        app.window()->findChild<QAction *>(QStringLiteral("quitAction"))->trigger();
        QCOMPARE(asked, 2);
        QCOMPARE(quit.size(), 1);
        QVERIFY(app.trayIcon()->quitAction()->toolTip().contains(QStringLiteral("no restart notices")));
    }
};

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
