// PowerPlanner rules with a manual clock, fixed sessions, a recording notifier and a recording power command.
#include "config/Config.h"
#include "core/Clock.h"
#include "core/StateStore.h"
#include "jobs/JobEngine.h"
#include "power/PowerPlanner.h"
#include "power/RestartWindow.h"
#include "power/Sessions.h"
#include "protocol/Types.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <ctime>
#include <utmpx.h>

using namespace oco;

namespace {
struct Told
{
    QString session;
    Notice notice;
    bool desktop;
};

class RecordingNotifier : public SessionNotifier
{
public:
    QList<Told> told;
    void notify(const Session &s, const Notice &n, bool desktop) override { told << Told{s.id, n, desktop}; }
};

Session terminal(const QString &id, uint uid)
{
    Session s;
    s.id = id;
    s.uid = uid;
    s.user = QStringLiteral("user%1").arg(uid);
    s.tty = QStringLiteral("pts/%1").arg(id);
    return s;
}
} // namespace

class TestPowerPlanner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Config m_config;
    StateStore m_state;
    ManualClock m_clock{QDateTime(QDate(2026, 1, 10), QTime(10, 0), Qt::UTC)};
    FixedSessions m_sessions;
    RecordingNotifier m_notifier;

    QString recordPath() const { return m_dir.filePath(QStringLiteral("record.txt")); }
    QString recorded() const
    {
        QFile f(recordPath());
        if (!f.open(QIODevice::ReadOnly))
            return QString();
        return QString::fromUtf8(f.readAll());
    }
    std::unique_ptr<PowerPlanner> makePlanner()
    {
        auto p = std::make_unique<PowerPlanner>(m_config, m_state, m_clock, m_sessions, m_notifier);
        p->setTickInterval(3600 * 1000); // the test drives evaluate() itself
        p->setTimeZone(QTimeZone("Europe/Berlin"));
        QString err;
        if (!p->load(&err))
            qWarning() << err;
        return p;
    }
    static QDateTime utc(int y, int mo, int d, int h, int mi = 0)
    {
        return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC);
    }
    void setWindow(const QString &text)
    {
        QString err;
        QVERIFY2(RestartWindow::parse(text, &m_config.restartWindow, &err), qPrintable(err));
    }
    bool waitAction(PowerPlanner &p, bool expectOk = true)
    {
        QSignalSpy done(&p, &PowerPlanner::actionFinished);
        if (!done.wait(10000))
            return false;
        return done.first().at(0).toBool() == expectOk;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The local time in the texts is checked against a fixed zone (UTC+1 in January).
        qputenv("TZ", "Europe/Berlin");
        ::tzset();
        QVERIFY(m_dir.isValid());
        QFile script(m_dir.filePath(QStringLiteral("record.sh")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/record.txt\"\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void init()
    {
        QDir(m_dir.filePath(QStringLiteral("state"))).removeRecursively();
        QFile::remove(recordPath());
        QString err;
        QVERIFY(m_state.open(m_dir.filePath(QStringLiteral("state")), &err));
        m_config = Config();
        m_config.restartCommand = {m_dir.filePath(QStringLiteral("record.sh")), QStringLiteral("reboot")};
        m_config.shutdownCommand = {m_dir.filePath(QStringLiteral("record.sh")), QStringLiteral("poweroff")};
        m_clock.set(QDateTime(QDate(2026, 1, 10), QTime(10, 0), Qt::UTC));
        m_sessions.list = {terminal(QStringLiteral("1"), 1000)};
        m_notifier.told.clear();
    }

    void adminMessageAndLinkTravelWithThePlan()
    {
        m_config.noticeMessage = QStringLiteral("Updates install tonight; call 1234 if this is a bad time.");
        m_config.infoUrl = QStringLiteral("https://it.example.org/restarts");
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 12, 5);
        const QJsonObject j = p->toJson().toObject();
        QCOMPARE(j.value(QStringLiteral("message")).toString(), m_config.noticeMessage);
        QCOMPARE(j.value(QStringLiteral("info_url")).toString(), m_config.infoUrl);
    }

    void gracePeriodFromJobEndAndLocalTimeShown()
    {
        auto p = makePlanner();
        QSignalSpy changed(p.get(), &PowerPlanner::changed);
        p->schedule(QStringLiteral("restart"), 30, 12, 5);
        QVERIFY(p->isPending());
        QCOMPARE(p->pending()->deadline, QDateTime(QDate(2026, 1, 10), QTime(10, 30), Qt::UTC));
        QCOMPARE(p->pending()->hardDeadline, QDateTime(QDate(2026, 1, 11), QTime(10, 0), Qt::UTC));
        const QJsonObject j = p->toJson().toObject();
        QCOMPARE(j.value(QStringLiteral("seconds_left")).toInt(), 1800);
        QCOMPARE(j.value(QStringLiteral("deadline")).toString(), QStringLiteral("2026-01-10T10:30:00Z"));
        QCOMPARE(j.value(QStringLiteral("deadline_local")).toString(), QStringLiteral("2026-01-10 11:30 local time"));
        QCOMPARE(j.value(QStringLiteral("postponements_left")).toInt(), 3);
        QCOMPARE(j.value(QStringLiteral("can_postpone")).toBool(), true);
        QCOMPARE(j.value(QStringLiteral("final_countdown")).toBool(), false);
        QCOMPARE(j.value(QStringLiteral("choices_minutes")).toArray().size(), 3);
        // Structured, so each tray words the reason and the progress in its user's language.
        QCOMPARE(j.value(QStringLiteral("job_id")).toInt(), 12);
        QCOMPARE(j.value(QStringLiteral("package_id")).toInt(), 5);
        QCOMPARE(j.value(QStringLiteral("job_finished")).toString(), QStringLiteral("2026-01-10T10:00:00Z"));
        QVERIFY(!j.contains(QStringLiteral("message")) && !j.contains(QStringLiteral("info_url"))); // none set
        QVERIFY(changed.count() >= 1);
        // One notice into the open session, with the local time and the reason.
        QCOMPARE(m_notifier.told.size(), 1);
        QVERIFY2(m_notifier.told[0].notice.body.contains(QStringLiteral("11:30")),
                 qPrintable(m_notifier.told[0].notice.body));
        QVERIFY(m_notifier.told[0].notice.body.contains(QStringLiteral("package 5 (job 12)")));
        QVERIFY(p->holdReason().contains(QStringLiteral("restart")));
        // Persisted as absolute UTC times.
        QJsonObject doc;
        QString err;
        QVERIFY(m_state.readJsonFile(QStringLiteral("power.json"), &doc, &err));
        QCOMPARE(doc.value(QStringLiteral("deadline")).toString(), QStringLiteral("2026-01-10T10:30:00Z"));
        // Nothing happens before the time.
        m_clock.advanceSecs(10 * 60);
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        QVERIFY(p->isPending());
    }

    void nobodyLoggedInActsAtOnce()
    {
        m_sessions.list.clear();
        auto p = makePlanner();
        QSignalSpy released(p.get(), &PowerPlanner::released);
        QSignalSpy done(p.get(), &PowerPlanner::actionFinished);
        p->schedule(QStringLiteral("shutdown"), 30, 1, 2);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).toBool(), true);
        QCOMPARE(recorded(), QStringLiteral("poweroff\n"));
        QVERIFY(!p->isPending());
        QCOMPARE(released.count(), 1);
        QVERIFY(!QFile::exists(m_state.filePath(QStringLiteral("power.json"))));
    }

    void failedJobGetsNoRestart()
    {
        auto p = makePlanner();
        Job job;
        job.id = 7;
        job.restartMinutes = 10;
        JobOutcome failed;
        failed.state = JobState::Failed;
        p->onJobFinished(job, failed);
        QVERIFY(!p->isPending());
        JobOutcome refused; // ran, but the server counts the return code as failure
        refused.state = JobState::Succeeded;
        refused.reported = true;
        refused.succeeded = false;
        p->onJobFinished(job, refused);
        QVERIFY(!p->isPending());
        JobOutcome ok;
        ok.state = JobState::Succeeded;
        ok.reported = true;
        ok.succeeded = true;
        p->onJobFinished(job, ok);
        QVERIFY(p->isPending());
        QCOMPARE(p->pending()->action, QStringLiteral("restart"));
    }

    void postponeUntilTheLimitThenRefused()
    {
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        PowerPlanner::Answer a = p->postpone(45, QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QCOMPARE(a.message, QStringLiteral("45 minutes is not one of the allowed choices (60, 240, 480)"));
        QDateTime expected = p->pending()->deadline;
        for (int i = 1; i <= 3; ++i) {
            a = p->postpone(60, QStringLiteral("jane"), 1000);
            QVERIFY2(a.ok, qPrintable(a.message));
            expected = expected.addSecs(3600);
            QCOMPARE(p->pending()->deadline, expected);
            QCOMPARE(p->pending()->postponementsUsed, i);
        }
        a = p->postpone(60, QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QCOMPARE(a.message, QStringLiteral("no postponement left (3 of 3 used)"));
        QCOMPARE(p->toJson().toObject().value(QStringLiteral("can_postpone")).toBool(), false);
        QCOMPARE(p->pending()->postponements.size(), 3);
        QCOMPARE(p->pending()->postponements.at(0).toObject().value(QStringLiteral("user")).toString(),
                 QStringLiteral("jane"));
    }

    void hardDeadlineCapsPostponements()
    {
        m_config.hardDeadlineHours = 2;
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        const QDateTime hard = QDateTime(QDate(2026, 1, 10), QTime(12, 0), Qt::UTC);
        QCOMPARE(p->pending()->hardDeadline, hard);
        PowerPlanner::Answer a = p->postpone(480, QStringLiteral("jane"), 1000);
        QVERIFY(a.ok);
        QCOMPARE(p->pending()->deadline, hard);
        QVERIFY(a.message.contains(QStringLiteral("latest allowed time")));
        a = p->postpone(60, QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(QStringLiteral("latest allowed time (2026-01-10 13:00 local time) is reached")),
                 qPrintable(a.message));
    }

    void finalCountdownCannotBePostponedAndEndsInTheAction()
    {
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        m_notifier.told.clear();
        m_clock.advanceSecs(26 * 60); // 4 minutes before the deadline: inside the 5 minute countdown
        p->evaluate();
        QVERIFY(p->pending()->countdownStarted.isValid());
        QCOMPARE(p->pending()->deadline, QDateTime(QDate(2026, 1, 10), QTime(10, 30), Qt::UTC));
        QCOMPARE(m_notifier.told.size(), 1);
        QVERIFY(m_notifier.told[0].notice.critical);
        const PowerPlanner::Answer a = p->postpone(60, QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QVERIFY(a.message.contains(QStringLiteral("final countdown")));
        m_clock.advanceSecs(3 * 60);
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        m_clock.advanceSecs(60);
        p->evaluate();
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
        QVERIFY(!p->isPending());
    }

    void sleepPastTheDeadlineStillGivesTheFinalCountdown()
    {
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        m_notifier.told.clear();
        m_clock.advanceSecs(3 * 3600); // the machine slept through the deadline
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        QVERIFY(p->isPending());
        QCOMPARE(p->pending()->deadline, m_clock.nowUtc().addSecs(5 * 60));
        QCOMPARE(m_notifier.told.size(), 1);
        QVERIFY(m_notifier.told[0].notice.critical);
        QVERIFY(m_notifier.told[0].notice.body.contains(QStringLiteral("2026-01-10 14:05 local time")));
        // Asleep again during the countdown: the warning is given once more.
        m_clock.advanceSecs(3600);
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        QCOMPARE(m_notifier.told.size(), 2);
        m_clock.advanceSecs(5 * 60);
        p->evaluate();
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
    }

    void serviceRestartKeepsTheCount()
    {
        {
            auto p = makePlanner();
            p->schedule(QStringLiteral("restart"), 30, 1, 2);
            QVERIFY(p->postpone(60, QStringLiteral("jane"), 1000).ok);
            QVERIFY(p->postpone(240, QStringLiteral("joe"), 1001).ok);
        }
        auto again = makePlanner();
        QVERIFY(again->isPending());
        QCOMPARE(again->pending()->postponementsUsed, 2);
        QCOMPARE(again->pending()->deadline, QDateTime(QDate(2026, 1, 10), QTime(15, 30), Qt::UTC));
        QCOMPARE(again->toJson().toObject().value(QStringLiteral("postponements_left")).toInt(), 1);
        QVERIFY(again->postpone(60, QStringLiteral("jane"), 1000).ok);
        QVERIFY(!again->postpone(60, QStringLiteral("jane"), 1000).ok);
    }

    void cancelReleasesHeldJobs()
    {
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QVERIFY(!p->holdReason().isEmpty());
        QSignalSpy released(p.get(), &PowerPlanner::released);
        const PowerPlanner::Answer a = p->cancel(QStringLiteral("root"));
        QVERIFY(a.ok);
        QCOMPARE(released.count(), 1);
        QVERIFY(p->holdReason().isEmpty());
        QVERIFY(!QFile::exists(m_state.filePath(QStringLiteral("power.json"))));
        QVERIFY(!p->cancel(QStringLiteral("root")).ok);
        m_clock.advanceSecs(3600);
        p->evaluate();
        QVERIFY(recorded().isEmpty());
    }

    void remindersAtTheInterval()
    {
        auto p = makePlanner();
        QSignalSpy reminders(p.get(), &PowerPlanner::reminderDue);
        p->schedule(QStringLiteral("restart"), 240, 1, 2);
        m_notifier.told.clear();
        m_clock.advanceSecs(59 * 60);
        p->evaluate();
        QCOMPARE(m_notifier.told.size(), 0);
        m_clock.advanceSecs(60);
        p->evaluate();
        QCOMPARE(m_notifier.told.size(), 1);
        QCOMPARE(reminders.count(), 1);
        QVERIFY(m_notifier.told[0].notice.body.contains(QStringLiteral("Postponements left: 3")));
        p->evaluate();
        QCOMPARE(m_notifier.told.size(), 1);
    }

    // 2026-01-12 is a Monday; Berlin is UTC+1 in January.
    void windowDefersTheRestartToTonight()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 17)); // 18:00 local
        QCOMPARE(p->pending()->hardDeadline, utc(2026, 1, 13, 10));
        QJsonObject j = p->toJson().toObject();
        QCOMPARE(j.value(QStringLiteral("waiting_for_window")).toBool(), true);
        QCOMPARE(j.value(QStringLiteral("window")).toString(), QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        m_clock.set(utc(2026, 1, 12, 16, 54));
        p->evaluate();
        QVERIFY(!p->pending()->countdownStarted.isValid());
        m_clock.set(utc(2026, 1, 12, 16, 55));
        p->evaluate();
        QVERIFY(p->pending()->countdownStarted.isValid());
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 17));
        m_clock.set(utc(2026, 1, 12, 17));
        p->evaluate();
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
    }

    void restartNowInsteadOfWaitingForTheWindow()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QVERIFY(p->toJson().toObject().value(QStringLiteral("waiting_for_window")).toBool());
        QVERIFY(p->actNow(QStringLiteral("jane"), 1000).ok); // the only person logged in
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
    }

    void deadlineInsideTheWindowStays()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_clock.set(utc(2026, 1, 12, 19)); // 20:00 local
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 19, 30));
        QCOMPARE(p->toJson().toObject().value(QStringLiteral("waiting_for_window")).toBool(), false);
    }

    void hardDeadlineBeforeTheWindowWins()
    {
        setWindow(QStringLiteral("Sat-Sun"));
        m_config.hardDeadlineHours = 2;
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 12));
        // Past the hard deadline nobody waits for a window any more.
        m_clock.set(utc(2026, 1, 12, 12));
        QCOMPARE(p->toJson().toObject().value(QStringLiteral("waiting_for_window")).toBool(), false);
    }

    void weekendWaitsForMondayEvening()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_config.hardDeadlineHours = 72;
        m_clock.set(utc(2026, 1, 17, 10)); // Saturday
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 19, 17));
        // A postponement out of the window lands on the next window's start.
        m_clock.set(utc(2026, 1, 19, 16));
        QVERIFY(p->postpone(60, QStringLiteral("jane"), 1000).ok);
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 19, 18));
        QVERIFY(p->postpone(480, QStringLiteral("jane"), 1000).ok); // 03:00 local: still the night
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 20, 2));
        // What each choice would give: 07:00 local is out, and the next window is after the hard deadline.
        const QJsonArray until = p->toJson().toObject().value(QStringLiteral("choices_until")).toArray();
        QCOMPARE(until.at(0).toString(), QStringLiteral("2026-01-20T03:00:00Z"));
        QCOMPARE(until.at(1).toString(), QStringLiteral("2026-01-20T10:00:00Z"));
        QCOMPARE(until.at(2).toString(), QStringLiteral("2026-01-20T10:00:00Z"));
    }

    void nobodyLoggedInActsAtOnceOrWaitsForTheWindow()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_sessions.list.clear();
        m_clock.set(utc(2026, 1, 12, 10));
        {
            auto p = makePlanner();
            p->schedule(QStringLiteral("restart"), 30, 1, 2);
            QVERIFY(waitAction(*p)); // the default: as before, at once
        }
        QFile::remove(recordPath());
        m_config.nobodyWaitsForWindow = true;
        auto p = makePlanner();
        p->schedule(QStringLiteral("shutdown"), 30, 3, 4);
        QVERIFY(p->isPending());
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 17));
        m_clock.set(utc(2026, 1, 12, 16, 59));
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        m_clock.set(utc(2026, 1, 12, 17));
        p->evaluate();
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("poweroff\n"));
    }

    void sleepPastTheWindowStart()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_config.hardDeadlineHours = 48;
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        m_notifier.told.clear();
        // Woke inside the window: the final countdown, then the restart.
        m_clock.set(utc(2026, 1, 12, 19));
        p->evaluate();
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 19, 5));
        QVERIFY(m_notifier.told.last().notice.critical);
        // Slept again, through the rest of the night: the next window, not the working day.
        QSignalSpy reminders(p.get(), &PowerPlanner::reminderDue);
        m_clock.set(utc(2026, 1, 13, 7)); // 08:00 local
        p->evaluate();
        QVERIFY(recorded().isEmpty());
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 13, 17));
        QVERIFY(!p->pending()->countdownStarted.isValid());
        QVERIFY(!m_notifier.told.last().notice.critical);
        QCOMPARE(reminders.count(), 1);
    }

    void windowOnTheSpringForwardNight()
    {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 does not exist and opens at the jump.
        setWindow(QStringLiteral("Sun 02:30-05:00"));
        m_config.hardDeadlineHours = 48;
        m_clock.set(utc(2026, 3, 28, 20));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 3, 29, 1));
        // The hourly choices walk the wall clock: 02:00 and 03:00 are the same moment, offered once.
        m_config.restartWindow = RestartWindow();
        QList<QDateTime> t = p->timeChoices();
        QVERIFY(t.contains(utc(2026, 3, 29, 0)));
        const qsizetype i = t.indexOf(utc(2026, 3, 29, 0));
        QCOMPARE(t.at(i + 1), utc(2026, 3, 29, 1));
        QCOMPARE(t.at(i + 2), utc(2026, 3, 29, 2)); // 04:00 CEST
    }

    void windowOnTheFallBackNight()
    {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC); a night window is an hour longer.
        setWindow(QStringLiteral("Sat 22:00-06:00"));
        m_config.hardDeadlineHours = 48;
        m_clock.set(utc(2026, 10, 24, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(p->pending()->deadline, utc(2026, 10, 24, 20));    // 22:00 CEST
        QVERIFY(p->postpone(480, QStringLiteral("jane"), 1000).ok); // 06:00 local would be 04:00 CEST...
        QCOMPARE(p->pending()->deadline, utc(2026, 10, 25, 4));     // ...but it is 05:00 CET: still inside
        QVERIFY(p->postpone(60, QStringLiteral("jane"), 1000).ok);  // 06:00 CET closes the window
        QCOMPARE(p->pending()->deadline, utc(2026, 10, 26, 10));    // no window before the hard deadline
        // The hourly choices: the repeated 02:00 is offered once (its first occurrence).
        m_config.restartWindow = RestartWindow();
        m_clock.set(utc(2026, 10, 24, 21));
        const QList<QDateTime> t = p->timeChoices();
        const qsizetype i = t.indexOf(utc(2026, 10, 25, 0)); // 02:00 CEST
        QVERIFY(i > 0);
        QCOMPARE(t.at(i + 1), utc(2026, 10, 25, 2)); // 03:00 CET
    }

    void remindersEscalateTowardsTheDeadline()
    {
        auto p = makePlanner();
        QSignalSpy reminders(p.get(), &PowerPlanner::reminderDue);
        const QDateTime start = m_clock.nowUtc();
        p->schedule(QStringLiteral("restart"), 24 * 60, 1, 2);
        QList<int> at; // minutes after the job
        for (int m = 5; m <= 24 * 60 - 5; m += 5) {
            m_clock.set(start.addSecs(m * 60));
            p->evaluate();
            if (reminders.count() > at.size())
                at << m;
        }
        // Every 4 h, hourly in the last 4 h, then 30, 15, 10 minutes before; at 5 the final countdown.
        const QList<int> expected{240, 480, 720, 960, 1200, 1260, 1320, 1380, 1410, 1425, 1430};
        QCOMPARE(at, expected);
        QVERIFY(p->pending()->countdownStarted.isValid());
    }

    void reminderIntervalAloneKeepsItsMeaning()
    {
        m_config.reminderIntervalMinutes = 90;
        QString err;
        QVERIFY(ReminderSchedule::parse(QString(), &m_config.reminderSchedule, &err));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 600, 1, 2);
        QCOMPARE(p->nextReminder(), m_clock.nowUtc().addSecs(90 * 60));
    }

    void missedReminderComesAtWakeUp()
    {
        {
            auto p = makePlanner();
            p->schedule(QStringLiteral("restart"), 24 * 60, 1, 2);
            QCOMPARE(p->nextReminder(), m_clock.nowUtc().addSecs(4 * 3600));
        }
        m_clock.advanceSecs(10 * 3600); // asleep over two reminders; the service restarts on wake
        auto p = makePlanner();
        QSignalSpy reminders(p.get(), &PowerPlanner::reminderDue);
        m_notifier.told.clear();
        p->evaluate();
        QCOMPARE(reminders.count(), 1); // one, not one per missed slot
        QCOMPARE(m_notifier.told.size(), 1);
        QCOMPARE(p->nextReminder(), m_clock.nowUtc().addSecs(4 * 3600));
        p->evaluate();
        QCOMPARE(reminders.count(), 1);
        auto again = makePlanner();
        QCOMPARE(again->nextReminder(), m_clock.nowUtc().addSecs(4 * 3600)); // persisted
    }

    void chooseATimeUpToTheDeadline()
    {
        m_config.maxPostponements = 1;
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        const QList<QDateTime> t = p->timeChoices();
        QCOMPARE(t.first(), utc(2026, 1, 12, 11)); // on the hour, after a final countdown's length
        QCOMPARE(t.last(), utc(2026, 1, 13, 10));  // the hard deadline
        QCOMPARE(t.size(), 24);
        const QJsonArray pushed = p->toJson().toObject().value(QStringLiteral("time_choices")).toArray();
        QCOMPARE(pushed.size(), 24);
        QCOMPARE(pushed.first().toString(), QStringLiteral("2026-01-12T11:00:00Z"));

        PowerPlanner::Answer a = p->chooseTime(utc(2026, 1, 13, 11), QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(QStringLiteral("past the latest allowed time")), qPrintable(a.message));
        a = p->chooseTime(utc(2026, 1, 12, 13, 30), QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(QStringLiteral("not one of the times offered")), qPrintable(a.message));
        a = p->chooseTime(utc(2026, 1, 12, 17), QStringLiteral("jane"), 1000); // later: a postponement
        QVERIFY2(a.ok, qPrintable(a.message));
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 17));
        QCOMPARE(p->pending()->postponementsUsed, 1);
        QCOMPARE(p->pending()->postponements.last().toObject().value(QStringLiteral("chosen")).toBool(), true);
        a = p->chooseTime(utc(2026, 1, 12, 18), QStringLiteral("joe"), 1001);
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(QStringLiteral("no postponement left")), qPrintable(a.message));
        QCOMPARE(p->timeChoices().last(), utc(2026, 1, 12, 17));              // only earlier times now
        a = p->chooseTime(utc(2026, 1, 12, 12), QStringLiteral("joe"), 1001); // earlier: not counted
        QVERIFY2(a.ok, qPrintable(a.message));
        QCOMPARE(p->pending()->deadline, utc(2026, 1, 12, 12));
        QCOMPARE(p->pending()->postponementsUsed, 1);
    }

    void chosenTimesStayInsideTheWindow()
    {
        setWindow(QStringLiteral("Mon-Fri 18:00-07:00"));
        m_clock.set(utc(2026, 1, 12, 10));
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        const QList<QDateTime> t = p->timeChoices();
        QCOMPARE(t.first(), utc(2026, 1, 12, 17));
        QCOMPARE(t.at(t.size() - 2), utc(2026, 1, 13, 5)); // 06:00 local: the last hour that starts inside
        QCOMPARE(t.last(), utc(2026, 1, 13, 10));          // the hard deadline, which beats the window
        const PowerPlanner::Answer a = p->chooseTime(utc(2026, 1, 12, 14), QStringLiteral("jane"), 1000);
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(QStringLiteral("outside the restart window")), qPrintable(a.message));
        m_config.timeChoiceStepMinutes = 0;
        QVERIFY(p->timeChoices().isEmpty());
        QVERIFY(!p->chooseTime(utc(2026, 1, 12, 17), QStringLiteral("jane"), 1000).ok);
    }

    void trayUsersGetNoSeparateDesktopNotice()
    {
        m_sessions.list = {terminal(QStringLiteral("1"), 1000), terminal(QStringLiteral("2"), 1001)};
        auto p = makePlanner();
        p->setTrayPresent([](uint uid) { return uid == 1000; });
        p->schedule(QStringLiteral("restart"), 30, 1, 2);
        QCOMPARE(m_notifier.told.size(), 2);
        QCOMPARE(m_notifier.told[0].desktop, false);
        QCOMPARE(m_notifier.told[1].desktop, true);
    }

    void doItNowWaitsForOthersFinalCountdown()
    {
        m_sessions.list = {terminal(QStringLiteral("1"), 1000), terminal(QStringLiteral("2"), 1001)};
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 120, 1, 2);
        PowerPlanner::Answer a = p->actNow(QStringLiteral("jane"), 1000);
        QVERIFY(a.ok);
        QVERIFY(a.message.contains(QStringLiteral("other people are logged in")));
        QCOMPARE(p->pending()->deadline, m_clock.nowUtc().addSecs(5 * 60));
        QVERIFY(recorded().isEmpty());
        m_sessions.list = {terminal(QStringLiteral("1"), 1000)};
        a = p->actNow(QStringLiteral("jane"), 1000);
        QVERIFY(a.ok);
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
    }

    void failingCommandKeepsTheActionAndRetries()
    {
        m_config.restartCommand = {QStringLiteral("/bin/false")};
        auto p = makePlanner();
        p->schedule(QStringLiteral("restart"), 0, 1, 2);
        m_clock.advanceSecs(5 * 60);
        p->evaluate();
        QVERIFY(waitAction(*p, false));
        QVERIFY(p->isPending());
        QVERIFY(p->pending()->lastError.contains(QStringLiteral("exited with 1")));
        QVERIFY(!p->holdReason().isEmpty());
        m_config.restartCommand = {m_dir.filePath(QStringLiteral("record.sh")), QStringLiteral("reboot")};
        p->evaluate(); // too early for a retry
        QVERIFY(recorded().isEmpty());
        m_clock.advanceSecs(5 * 60);
        p->evaluate();
        // Five minutes past the deadline: the countdown is given again before acting.
        QVERIFY(recorded().isEmpty());
        m_clock.advanceSecs(5 * 60);
        p->evaluate();
        QVERIFY(waitAction(*p));
        QCOMPARE(recorded(), QStringLiteral("reboot\n"));
    }

    void utmpSessions()
    {
        const QString file = m_dir.filePath(QStringLiteral("utmp"));
        QFile(file).open(QIODevice::WriteOnly);
        QCOMPARE(::utmpxname(QFile::encodeName(file).constData()), 0);
        ::setutxent();
        auto record = [](short type, const char *user, const char *line, const char *host, pid_t pid) {
            struct utmpx u
            {
            };
            u.ut_type = type;
            u.ut_pid = pid;
            std::strncpy(u.ut_user, user, sizeof u.ut_user - 1);
            std::strncpy(u.ut_line, line, sizeof u.ut_line - 1);
            std::strncpy(u.ut_host, host, sizeof u.ut_host - 1);
            std::strncpy(u.ut_id, line + std::max<int>(0, int(std::strlen(line)) - 4), sizeof u.ut_id);
            return ::pututxline(&u) != nullptr;
        };
        QVERIFY(record(USER_PROCESS, "root", "pts/7", "10.0.0.5", 4001));
        QVERIFY(record(USER_PROCESS, "root", ":0", ":0", 4002));
        QVERIFY(record(DEAD_PROCESS, "root", "pts/9", "", 4003));
        QVERIFY(record(USER_PROCESS, "no-such-user-here", "pts/8", "", 4004));
        ::endutxent();
        ::utmpxname(_PATH_UTMPX);
        const QList<Session> list = UtmpSessions(file).sessions();
        QCOMPARE(list.size(), 2); // ended logins and unknown accounts are not counted
        QCOMPARE(list[0].uid, 0u);
        QCOMPARE(list[0].tty, QStringLiteral("pts/7"));
        QCOMPARE(list[0].graphical, false);
        QCOMPARE(list[1].graphical, true);
        QCOMPARE(list[1].display, QStringLiteral(":0"));
    }

    void damagedStateIsReportedNotLost()
    {
        QFile f(m_state.filePath(QStringLiteral("power.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{broken");
        f.close();
        PowerPlanner p(m_config, m_state, m_clock, m_sessions, m_notifier);
        QString err;
        QVERIFY(!p.load(&err));
        QVERIFY(err.contains(QStringLiteral("power.json")));
        QVERIFY(QFile::exists(m_state.filePath(QStringLiteral("power.json"))));
    }
};

QTEST_GUILESS_MAIN(TestPowerPlanner)
#include "tst_powerplanner.moc"
