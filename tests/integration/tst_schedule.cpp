// Waits of any length: LongTimer with a stepped clock, and the real service with the largest query-interval,
// whose next contact must lie about a month ahead (a QTimer holds at most 24.8 days).
#include "AgentHarness.h"
#include "TestServer.h"
#include "core/Clock.h"
#include "core/LongTimer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTimeZone>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace oco;
using namespace oco::test;

class TestSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void millisecondsNeverOverflow()
    {
        QCOMPARE(LongTimer::toMsecs(2678400 * 1.1), Q_INT64_C(2946240000));
        QCOMPARE(LongTimer::toMsecs(0.0004), Q_INT64_C(0));
        QCOMPARE(LongTimer::toMsecs(-5), Q_INT64_C(0));
        QCOMPARE(LongTimer::toMsecs(std::nan("")), Q_INT64_C(0));
        QVERIFY(LongTimer::toMsecs(std::numeric_limits<double>::infinity()) > Q_INT64_C(2946240000));
    }

    // 34 days: the timer only looks at the (stepped) clock again and again until the deadline is reached.
    void waitsLongerThanAQTimerCanHold()
    {
        const QDateTime t0(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
        ManualClock clock(t0);
        LongTimer timer(clock, 5);
        QSignalSpy due(&timer, &LongTimer::due);
        timer.startIn(2678400 * 1.1);
        QCOMPARE(timer.deadline(), t0.addMSecs(Q_INT64_C(2946240000)));
        QVERIFY(timer.isActive());
        QTRY_VERIFY(timer.wakeUps() >= 3);
        QCOMPARE(due.count(), 0);
        clock.set(timer.deadline().addMSecs(-1));
        const int seen = timer.wakeUps();
        QTRY_VERIFY(timer.wakeUps() >= seen + 2);
        QCOMPARE(due.count(), 0);
        clock.set(timer.deadline());
        QTRY_COMPARE(due.count(), 1);
        QVERIFY(!timer.isActive());

        timer.startIn(0); // at once, from the event loop
        QCOMPARE(due.count(), 1);
        QTRY_COMPARE(due.count(), 2);
    }

    void clockSteppedBackDoesNotStretchTheWait()
    {
        ManualClock clock;
        LongTimer timer(clock, 5);
        QSignalSpy due(&timer, &LongTimer::due);
        timer.startIn(60);
        clock.advanceSecs(-86400);
        QTRY_VERIFY(timer.wakeUps() >= 2);
        QVERIFY(timer.deadline() <= clock.nowUtc().addSecs(60));
        clock.advanceSecs(60);
        QTRY_COMPARE(due.count(), 1);
    }

    // query-interval = 2678400 (31 days, the maximum): the service contacts the server, then plans the next
    // contact 31 to 34.1 days ahead (10 % jitter) instead of overflowing the timer and never calling again.
    void serviceWithTheLongestIntervalPlansItsNextContact()
    {
        TestServer server;
        QVERIFY(server.listen());
        TestServer::Computer &c =
            server.addComputer(QStringLiteral("pc1"), QStringLiteral("agentkey1"), QStringLiteral("serverkey1"));
        c.lastUpdate = QDateTime::currentDateTimeUtc();
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("pc1"));
        h.writeLegacyConfig(
            server.apiUrl().toString(), QStringLiteral("agentkey1"), server.payloadUrl().toString(),
            QStringLiteral("[agent]\nquery-interval = 2678400\ncontrol-socket = %1/ctl.sock\n").arg(h.dir()));
        const QDateTime started = QDateTime::currentDateTimeUtc();
        auto service = h.start({QStringLiteral("--daemon")});
        QVERIFY(service->waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(server.countRequests(QStringLiteral("oco.agent_hello")) >= 1, 30000);
        QDateTime next;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const AgentHarness::Run r = h.run({QStringLiteral("--status"), QStringLiteral("--json")}, 30000);
                const QJsonObject status =
                    QJsonDocument::fromJson(r.stdoutText.toUtf8()).object().value(QStringLiteral("status")).toObject();
                next = QDateTime::fromString(status.value(QStringLiteral("next_contact")).toString(), Qt::ISODate);
                return next.isValid() && status.value(QStringLiteral("state")).toString() == QLatin1String("idle");
            },
            30000));
        service->terminate();
        QVERIFY(service->waitForFinished(20000));
        const QString log = QString::fromUtf8(service->readAllStandardError());
        QVERIFY2(!log.contains(QLatin1String("negative")), qPrintable(log));
        QVERIFY2(next >= started.addSecs(2678400), qPrintable(next.toString(Qt::ISODate)));
        QVERIFY2(next <= QDateTime::currentDateTimeUtc().addSecs(2678400 * 11 / 10 + 1),
                 qPrintable(next.toString(Qt::ISODate)));
        QCOMPARE(server.countRequests(QStringLiteral("oco.agent_hello")), 1);
    }
};

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
