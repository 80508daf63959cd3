// The restart notice: what, why, when and a ticking countdown; postponing with the allowed choices and the
// count left; "Restart now" asking first; the final countdown without postponing, not closable, on top; a
// choice in one session reaching every other session through the service; and nothing typed or clicked by
// accident acting on it (no focus taken, no default button, input ignored at first).
#include "GuiTest.h"
#include "PowerNotice.h"
#include "StateIcon.h"
#include "Translations.h"
#include "TrayState.h"

#include "core/Clock.h"

#include <QApplication>
#include <QCloseEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

using namespace oco::ui;

namespace {
QJsonObject pending(const QDateTime &deadline, bool final, int left = 2)
{
    return {{QStringLiteral("action"), QStringLiteral("restart")},
            {QStringLiteral("reason"), QStringLiteral("the kernel update needs a restart")},
            {QStringLiteral("job_id"), 18},
            {QStringLiteral("package_id"), QStringLiteral("Kernel security update")},
            {QStringLiteral("deadline"), deadline.toString(Qt::ISODate)},
            {QStringLiteral("postponements_used"), 3 - left},
            {QStringLiteral("postponements_left"), left},
            {QStringLiteral("choices_minutes"), QJsonArray{60, 240, 480}},
            {QStringLiteral("can_postpone"), !final && left > 0},
            {QStringLiteral("final_countdown"), final},
            {QStringLiteral("hard_deadline"), deadline.addSecs(36000).toString(Qt::ISODate)}};
}

// Sends a harmless request and waits for the stub to have it: every request sent before has arrived too.
bool drain(StubbedLink &s)
{
    s.link->request(oco::control::RequestType::GetSettings);
    return QTest::qWaitFor([&] { return !s.stub.lastRequest(QStringLiteral("get_settings")).isEmpty(); }, 5000);
}

int count(const ServiceStub &stub, const QString &type)
{
    return int(std::count_if(stub.requests.cbegin(), stub.requests.cend(),
                             [&](const QJsonObject &r) { return r.value(QStringLiteral("type")).toString() == type; }));
}
} // namespace

class TestPowerNotice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); }

    void normalMode()
    {
        StubbedLink s;
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-26T10:00:00Z"), Qt::ISODate);
        oco::ManualClock clock(now);
        const QDateTime deadline = now.addSecs(2 * 3600 + 5 * 60);
        s.stub.setPower(pending(deadline, false));
        QVERIFY(s.start());
        PowerNotice notice(s.link.get(), clock);
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        notice.setPending(s.link->powerPending());
        notice.show();

        // What, when (local time), why.
        const QString local = QLocale().toString(deadline.toLocalTime(), QLocale::ShortFormat);
        const QString localTime = QLocale().toString(deadline.toLocalTime().time(), QLocale::ShortFormat);
        QVERIFY(notice.headlineLabel()->text().startsWith(QStringLiteral("This computer will restart at")));
        QVERIFY(notice.headlineLabel()->text().contains(local) || notice.headlineLabel()->text().contains(localTime));
        // Why: one sentence worded here (not the service's English "reason"); the job for IT in the tooltip.
        QCOMPARE(notice.whyLabel()->text(),
                 QStringLiteral("The software change “Kernel security update” needs a restart to take effect."));
        QCOMPARE(notice.whyLabel()->toolTip(), QStringLiteral("Job 18 (package Kernel security update)"));
        QCOMPARE(notice.windowTitle(), QStringLiteral("Restart scheduled"));

        // The countdown ticks with the clock, in words with units, minutes rounded up; progress towards the
        // deadline grows.
        QCOMPARE(notice.countdownLabel()->text(), QStringLiteral("in 2 h 5 min"));
        QCOMPARE(notice.progressBar()->value(), 0); // counted from when it was first seen
        clock.advanceSecs(61);
        notice.tick();
        QCOMPARE(notice.countdownLabel()->text(), QStringLiteral("in 2 h 4 min"));
        QCOMPARE(notice.progressBar()->value(), 61 * 1000 / (2 * 3600 + 5 * 60));

        // Two different buttons: Hide (nothing changes) and Postpone until, listing the resulting times.
        QCOMPARE(notice.hideButton()->text(), QStringLiteral("&Hide"));
        QVERIFY(notice.postponeButton()->isVisible());
        QVERIFY(notice.postponeButton()->isEnabled());
        QCOMPARE(notice.postponeButton()->text(), QStringLiteral("&Postpone until"));
        const QString latest = TrayText::clockTime(deadline.addSecs(36000), clock.nowUtc());
        QCOMPARE(notice.postponeInfoLabel()->text(),
                 QStringLiteral("You can postpone 2 more times, until %1 at the latest.").arg(latest));
        const QList<QAction *> choices = notice.postponeMenu()->actions();
        QCOMPARE(choices.size(), 3);
        QCOMPARE(choices.at(0)->text(),
                 QStringLiteral("%1 (+1 h)").arg(TrayText::clockTime(deadline.addSecs(3600), clock.nowUtc())));
        QCOMPARE(choices.at(2)->text(),
                 QStringLiteral("%1 (+8 h)").arg(TrayText::clockTime(deadline.addSecs(8 * 3600), clock.nowUtc())));
        QVERIFY(!(notice.windowFlags() & Qt::WindowStaysOnTopHint));

        choices.at(0)->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(
            s.stub.lastRequest(QStringLiteral("postpone")).value(QStringLiteral("minutes")).toInt(), 60, 5000);
        // The service moves the deadline and pushes it; the notice follows.
        QTRY_COMPARE_WITH_TIMEOUT(s.link->powerPending().postponementsLeft, 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(notice.resultLabel()->text(),
                                  QStringLiteral("Restart postponed by 60 minutes (2 of 3 postponements used)"), 5000);
        notice.setPending(s.link->powerPending());
        QCOMPARE(notice.postponeInfoLabel()->text(),
                 QStringLiteral("You can postpone 1 more time, until %1 at the latest.").arg(latest));
        QCOMPARE(notice.countdownLabel()->text(), QStringLiteral("in 3 h 4 min"));

        // A refusal is shown in words.
        s.stub.handlers.insert(QStringLiteral("postpone"), [](const QJsonObject &) {
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("reason"), QStringLiteral("no postponement left (3 of 3 used)")}};
        });
        notice.postpone(240);
        QTRY_VERIFY_WITH_TIMEOUT(notice.resultLabel()->text().contains(QStringLiteral("3 of 3 used")), 5000);

        // Closing in normal mode is allowed (it comes back with the next reminder).
        QVERIFY(notice.close());
        QVERIFY(!notice.isVisible());
    }

    void postponeChoicesStopAtTheLatestTime()
    {
        StubbedLink s;
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-26T10:00:00Z"), Qt::ISODate);
        oco::ManualClock clock(now);
        QJsonObject p = pending(now.addSecs(3600), false);
        const QDateTime hard = now.addSecs(6 * 3600);
        p.insert(QStringLiteral("hard_deadline"), hard.toString(Qt::ISODate));
        p.insert(QStringLiteral("choices_minutes"), QJsonArray{60, 480, 720});
        s.stub.setPower(p);
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        PowerNotice notice(s.link.get(), clock);
        notice.setPending(s.link->powerPending());
        // +8 h would pass the latest time: the service stops there, so the menu says so, and says it once.
        const QList<QAction *> choices = notice.postponeMenu()->actions();
        QCOMPARE(choices.size(), 2);
        QCOMPARE(choices.at(1)->text(),
                 QStringLiteral("%1 (the latest possible)").arg(TrayText::clockTime(hard, clock.nowUtc())));
        QCOMPARE(choices.at(1)->data().toInt(), 480);
        // The menu is worked out again when it opens: a deadline already passed counts from now.
        clock.advanceSecs(2 * 3600);
        notice.postponeMenu()->popup(QPoint(0, 0));
        QCOMPARE(notice.postponeMenu()->actions().at(0)->text(),
                 QStringLiteral("%1 (+1 h)").arg(TrayText::clockTime(clock.nowUtc().addSecs(3600), clock.nowUtc())));
        notice.postponeMenu()->hide();
    }

    void reasonFromStructuredFields()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        PowerNotice notice(s.link.get(), clock);
        QJsonObject p = pending(clock.nowUtc().addSecs(3600), false);
        p.insert(QStringLiteral("package_id"), 45); // the server's package number
        notice.setPending(oco::control::PowerPending::fromJson(p));
        QCOMPARE(notice.whyLabel()->text(),
                 QStringLiteral("A software change from package 45 needs a restart to take effect."));
        p.insert(QStringLiteral("action"), QStringLiteral("shutdown"));
        notice.setPending(oco::control::PowerPending::fromJson(p));
        QCOMPARE(notice.whyLabel()->text(),
                 QStringLiteral("A software change from package 45 needs this computer to shut down."));
        // The admin's own words and link, when passed on; markup in them stays text.
        p.insert(QStringLiteral("action"), QStringLiteral("restart"));
        p.insert(QStringLiteral("message"), QStringLiteral("Please <b>save</b> first."));
        p.insert(QStringLiteral("info_url"), QStringLiteral("https://it.example.org/restart"));
        notice.setPending(oco::control::PowerPending::fromJson(p));
        QVERIFY(notice.whyLabel()->text().contains(QStringLiteral("Message from your IT: Please &lt;b&gt;save")));
        QVERIFY(notice.whyLabel()->text().contains(
            QStringLiteral("<a href=\"https://it.example.org/restart\">More information</a>")));
        p.insert(QStringLiteral("info_url"), QStringLiteral("javascript:alert(1)"));
        notice.setPending(oco::control::PowerPending::fromJson(p));
        QVERIFY(!notice.whyLabel()->text().contains(QStringLiteral("href")));
    }

    void restartNow()
    {
        StubbedLink s;
        oco::ManualClock clock(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC));
        s.stub.setPower(pending(clock.nowUtc().addSecs(600), false));
        QVERIFY(s.start());
        PowerNotice notice(s.link.get(), clock);
        QStringList asked;
        notice.setConfirm([&](const QString &, const QString &question) {
            asked << question;
            return true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        notice.setPending(s.link->powerPending());
        QCOMPARE(notice.actNowButton()->text(), QStringLiteral("Restart &now"));
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QCOMPARE(asked, QStringList{QStringLiteral("Unsaved work in open programs will be lost. Restart now?")});
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("power_now")).isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(notice.resultLabel()->text().contains(QStringLiteral("carrying it out")), 5000);

        s.stub.handlers.insert(QStringLiteral("power_now"), [](const QJsonObject &) {
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("reason"), QStringLiteral("you have no session on this machine")}};
        });
        notice.actNow();
        QTRY_VERIFY_WITH_TIMEOUT(notice.resultLabel()->text().contains(QStringLiteral("no session")), 5000);

        // The service reports that the command runs, or why its last attempt failed.
        oco::control::PowerPending p = s.link->powerPending();
        p.present = true; // the earlier "act now" may have cleared it
        p.lastError = QStringLiteral("systemctl reboot exited with code 1");
        notice.setPending(p);
        QCOMPARE(notice.resultLabel()->text(),
                 QStringLiteral("The last attempt failed: systemctl reboot exited with code 1"));
        p.running = true;
        notice.setPending(p);
        QCOMPARE(notice.resultLabel()->text(), QStringLiteral("The restart is being carried out now."));
    }

    void waitingForTheWindowAndChoosingATime()
    {
        StubbedLink s;
        // Local times, whatever zone the test runs in: 10:00 now, the window opens at 18:00.
        const QDate day(2026, 11, 26);
        oco::ManualClock clock(QDateTime(day, QTime(10, 0)).toUTC());
        const QDateTime opens = QDateTime(day, QTime(18, 0)).toUTC();
        const QDateTime seven = QDateTime(day.addDays(1), QTime(7, 0)).toUTC();
        const QDateTime hard = QDateTime(day.addDays(1), QTime(10, 0)).toUTC();
        QJsonObject p = pending(opens, false);
        p.insert(QStringLiteral("waiting_for_window"), true);
        p.insert(QStringLiteral("hard_deadline"), hard.toString(Qt::ISODate));
        p.insert(QStringLiteral("time_choices"), QJsonArray{QDateTime(day, QTime(19, 0)).toUTC().toString(Qt::ISODate),
                                                            seven.toString(Qt::ISODate), hard.toString(Qt::ISODate)});
        s.stub.setPower(p);
        QVERIFY(s.start());
        PowerNotice notice(s.link.get(), clock);
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        notice.setPending(s.link->powerPending());
        notice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&notice));
        const auto hhmm = [](int h) { return QLocale().toString(QTime(h, 0), QLocale::ShortFormat); };
        QCOMPARE(notice.headlineLabel()->text(),
                 QStringLiteral("This computer will restart tonight at %1.").arg(hhmm(18)));
        QCOMPARE(notice.actNowButton()->text(), QStringLiteral("Restart now &instead"));
        QVERIFY(notice.chooseTimeButton()->isVisible());
        const QList<QAction *> times = notice.timeMenu()->actions();
        QCOMPARE(times.size(), 3);
        QCOMPARE(times.at(0)->text(), QStringLiteral("tonight at %1").arg(hhmm(19)));
        QCOMPARE(times.at(1)->text(), QStringLiteral("tomorrow at %1").arg(hhmm(7)));
        QCOMPARE(times.at(2)->text(), QStringLiteral("tomorrow at %1 (the latest possible)").arg(hhmm(10)));
        QCOMPARE(TrayText::plannedTime(QDateTime(day, QTime(14, 0)).toUTC(), clock.nowUtc()),
                 QStringLiteral("today at %1").arg(hhmm(14)));
        QVERIFY(TrayText::plannedTime(QDateTime(day.addDays(3), QTime(18, 0)).toUTC(), clock.nowUtc())
                    .startsWith(QStringLiteral("on %1 at").arg(QLocale().dayName(day.addDays(3).dayOfWeek()))));

        // The chosen time goes to the service, which pushes the new plan to every session.
        times.at(1)->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(s.stub.lastRequest(QStringLiteral("postpone")).value(QStringLiteral("until")),
                                  QJsonValue(seven.toString(Qt::ISODate)), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(oco::control::timeJson(s.link->powerPending().deadline).toString(),
                                  seven.toString(Qt::ISODate), 5000);
        QVERIFY(!notice.isVisible());

        // In the final countdown there is nothing to choose.
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc().addSecs(200), true, 0)));
        QVERIFY(notice.chooseTimeButton()->isHidden());
        QCOMPARE(notice.actNowButton()->text(), QStringLiteral("Restart &now"));
    }

    void finalCountdown()
    {
        StubbedLink s;
        oco::ManualClock clock(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC));
        s.stub.setPower(pending(clock.nowUtc().addSecs(299), true, 0));
        QVERIFY(s.start());
        PowerNotice notice(s.link.get(), clock);
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        notice.setPending(s.link->powerPending());
        notice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&notice));
        QVERIFY(notice.isFinalCountdown());
        // Seconds count now, the title says how close it is, and the bar runs over the final countdown.
        QCOMPARE(notice.countdownLabel()->text(), QStringLiteral("in 4 min 59 s"));
        QCOMPARE(notice.windowTitle(), QStringLiteral("Restart in 5 minutes"));
        QCOMPARE(notice.progressBar()->value(), 1000 / 300);
        clock.advanceSecs(240);
        notice.tick();
        QCOMPARE(notice.countdownLabel()->text(), QStringLiteral("in 59 s"));
        QCOMPARE(notice.windowTitle(), QStringLiteral("Restart in 1 minute"));
        QCOMPARE(notice.progressBar()->value(), 241 * 1000 / 300);
        // No postponing.
        QVERIFY(notice.postponeButton()->isHidden());
        QVERIFY(!notice.postponeButton()->isEnabled());
        QVERIFY(notice.hideButton()->isHidden());
        QVERIFY(notice.postponeInfoLabel()->text().contains(QStringLiteral("can no longer be postponed")));
        // Stays on top, has no close button, refuses to close (window manager close, Escape).
        QVERIFY(notice.windowFlags() & Qt::WindowStaysOnTopHint);
        QVERIFY(!(notice.windowFlags() & Qt::WindowCloseButtonHint));
        QVERIFY(!notice.close());
        QVERIFY(notice.isVisible());
        clock.advanceSecs(2); // past the moment keys are ignored
        QTest::keyClick(&notice, Qt::Key_Escape);
        QVERIFY(notice.isVisible());
        notice.reject();
        QVERIFY(notice.isVisible());
        // "Restart now" stays.
        QVERIFY(notice.actNowButton()->isVisible());

        // When the service says nothing is pending any more, the notice goes.
        s.stub.setPower({});
        QTRY_VERIFY_WITH_TIMEOUT(s.link->powerPending().isEmpty(), 5000);
        notice.setPending({});
        QVERIFY(!notice.isVisible());
    }

    void showsWithoutTakingTheKeyboard()
    {
        StubbedLink s;
        oco::ManualClock clock(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC));
        s.stub.setPower(pending(clock.nowUtc().addSecs(3600), false));
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);

        // Someone is typing in another window when the notice appears.
        QLineEdit editor;
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        PowerNotice notice(s.link.get(), clock);
        int asked = 0;
        notice.setConfirm([&](const QString &, const QString &) {
            ++asked;
            return false;
        });
        notice.setPending(s.link->powerPending());
        notice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&notice));
        // The offscreen platform activates every window it shows; ui/typing-check.sh checks the real thing
        // under a window manager. Here: the notice asks not to be activated.
        QVERIFY(notice.testAttribute(Qt::WA_ShowWithoutActivating));

        // No button is the default or becomes it, so Enter presses nothing.
        for (QPushButton *b : notice.findChildren<QPushButton *>()) {
            QVERIFY2(!b->isDefault(), qPrintable(b->objectName()));
            QVERIFY2(!b->autoDefault(), qPrintable(b->objectName()));
        }

        // Even when the window manager activates it, focus starts on the notice, not on a button.
        notice.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&notice));
        QCOMPARE(QApplication::focusWidget(), &notice);
        QVERIFY(!notice.actNowButton()->hasFocus());

        // What the person goes on typing presses nothing, during the first second or later.
        for (int round = 0; round < 2; ++round) {
            for (int key : {Qt::Key_Space, Qt::Key_Return, Qt::Key_Enter, Qt::Key_N})
                QTest::keyClick(QApplication::focusWidget(), Qt::Key(key));
            QVERIFY(notice.isVisible());
            QVERIFY(!notice.actNowButton()->hasFocus());
            clock.advanceSecs(2);
        }
        QCOMPARE(asked, 0);
        // Tab reaches the buttons, for keyboard users.
        QTest::keyClick(&notice, Qt::Key_Tab);
        QVERIFY(qobject_cast<QPushButton *>(QApplication::focusWidget()));

        // The mnemonic of Restart now is ignored at first; later it is deliberate, and still only asks.
        notice.hide();
        notice.show();
        notice.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&notice));
        QVERIFY(notice.inputGuarded());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::AltModifier);
        QVERIFY(!notice.actNowButton()->isDown()); // a mnemonic presses the button at once, clicks it later
        clock.advanceSecs(2);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::AltModifier);
        QVERIFY(notice.actNowButton()->isDown());
        QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 5000);
        QVERIFY(drain(s));
        QCOMPARE(asked, 1);
        QCOMPARE(count(s.stub, QStringLiteral("power_now")), 0);
        QCOMPARE(count(s.stub, QStringLiteral("postpone")), 0);
    }

    void ignoresInputAtFirstAndAsksBeforeActing()
    {
        StubbedLink s;
        oco::ManualClock clock(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC));
        s.stub.setPower(pending(clock.nowUtc().addSecs(3600), false));
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        PowerNotice notice(s.link.get(), clock);
        QStringList asked;
        bool answer = false;
        notice.setConfirm([&](const QString &, const QString &question) {
            asked << question;
            return answer;
        });
        notice.setPending(s.link->powerPending());
        notice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&notice));

        // A click that lands in the first second does nothing.
        QVERIFY(notice.inputGuarded());
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QTest::mouseClick(notice.postponeButton(), Qt::LeftButton);
        QVERIFY(!notice.postponeMenu()->isVisible());
        QVERIFY(asked.isEmpty());
        clock.set(clock.nowUtc().addMSecs(PowerNotice::InputGuardMs - 1));
        QVERIFY(notice.inputGuarded());
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QVERIFY(asked.isEmpty());

        // Then a click asks once; "no" sends nothing.
        clock.set(clock.nowUtc().addMSecs(1));
        QVERIFY(!notice.inputGuarded());
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked.constFirst().contains(QStringLiteral("Unsaved work")));
        QVERIFY(drain(s));
        QCOMPARE(count(s.stub, QStringLiteral("power_now")), 0);

        // Entering the final countdown moves the buttons: input is ignored again for a moment, and Restart
        // now still asks.
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc().addSecs(240), true, 0)));
        QVERIFY(notice.isFinalCountdown());
        QVERIFY(notice.isVisible());
        QVERIFY(notice.inputGuarded());
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 1);
        clock.advanceSecs(1);
        answer = true;
        QTest::mouseClick(notice.actNowButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(count(s.stub, QStringLiteral("power_now")), 1, 5000);
    }

    void finalCountdownReadsOnDarkAndLightThemes()
    {
        StubbedLink s;
        oco::ManualClock clock;
        QVERIFY(s.start());
        PowerNotice notice(s.link.get(), clock);
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc().addSecs(200), true, 0)));
        for (const QColor &window : {QColor(0xef, 0xef, 0xef), QColor(0x2b, 0x2b, 0x2b), QColor(0x35, 0x35, 0x35)}) {
            QPalette p = notice.palette();
            p.setColor(QPalette::Window, window);
            p.setColor(QPalette::WindowText, window.lightness() < 128 ? Qt::white : Qt::black);
            notice.setPalette(p);
            const QColor text = notice.countdownLabel()->palette().color(QPalette::WindowText);
            QVERIFY2(text.red() > text.green() + 40, qPrintable(text.name())); // still red
            QVERIFY2(contrastRatio(text, window) >= 4.5, qPrintable(text.name() + QLatin1Char('/') + window.name()));
        }
        QVERIFY(contrastRatio(QColor(0xc6, 0x28, 0x28), QColor(0x35, 0x35, 0x35)) < 3); // the old red
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc().addSecs(3600), false)));
        QCOMPARE(notice.countdownLabel()->palette().color(QPalette::WindowText),
                 notice.palette().color(QPalette::WindowText));
    }

    void aChoiceInOneSessionReachesTheOthers()
    {
        StubbedLink s;
        oco::ManualClock clock(QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC));
        s.stub.setPower(pending(clock.nowUtc().addSecs(3600), false));
        QVERIFY(s.start());
        ServiceClient second(s.stub.path()); // another desktop session
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(second.isConnected(), 5000);
        PowerNotice a(s.link.get(), clock);
        PowerNotice b(&second, clock);
        connect(s.link.get(), &ServiceClient::powerChanged, &a, [&] { a.setPending(s.link->powerPending()); });
        connect(&second, &ServiceClient::powerChanged, &b, [&] { b.setPending(second.powerPending()); });
        a.setPending(s.link->powerPending());
        b.setPending(second.powerPending());
        QTRY_VERIFY_WITH_TIMEOUT(!b.pending().isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!a.pending().isEmpty(), 5000);
        a.postpone(240);
        QTRY_COMPARE_WITH_TIMEOUT(b.countdownLabel()->text(), QStringLiteral("in 5 h"), 5000);
        QVERIFY(b.postponeInfoLabel()->text().startsWith(QStringLiteral("You can postpone 1 more time, until")));
    }
};

QTEST_MAIN(TestPowerNotice)
#include "tst_powernotice.moc"
