// RestartWindow: the [power] restart-window syntax, and its spans in a real zone across midnight, weekends and
// both daylight saving changes (Europe/Berlin: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00).
#include "power/RestartWindow.h"

#include <QtTest>

using namespace oco;

namespace {
const QTimeZone kBerlin("Europe/Berlin");

QDateTime utc(int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC);
}
QDateTime berlin(int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), kBerlin).toUTC();
}
RestartWindow window(const QString &text)
{
    RestartWindow w;
    QString error;
    if (!RestartWindow::parse(text, &w, &error))
        qWarning() << text << error;
    return w;
}
} // namespace

class TestRestartWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(kBerlin.isValid()); }

    void parsesTheDocumentedForms()
    {
        for (const char *text : {"Mon-Fri 18:00-07:00, Sat-Sun", "mon-fri 18:00-07:00,sat-sun", "Sun", "Fri-Mon",
                                 "Mon 00:00-24:00", "Tue 22:00-02:00, Thu 12:00-13:00", ""}) {
            RestartWindow w;
            QString error;
            QVERIFY2(RestartWindow::parse(QString::fromLatin1(text), &w, &error), qPrintable(error));
        }
        QVERIFY(window(QString()).isEmpty());
        QVERIFY(window(QString()).contains(utc(2026, 1, 1, 12), kBerlin));
    }

    void refusesEverythingElse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad day") << "Mon-Fry"
                                 << "'Fry' is not a day";
        QTest::newRow("long day") << "Monday"
                                  << "'Monday' is not a day";
        QTest::newRow("hours only") << "Mon-Fri 18-07"
                                    << "is not DAY or DAY-DAY";
        QTest::newRow("no day") << "18:00-07:00"
                                << "is not DAY or DAY-DAY";
        QTest::newRow("bad hour") << "Mon 25:00-26:00"
                                  << "has a time that does not exist";
        QTest::newRow("bad minute") << "Mon 10:60-11:00"
                                    << "has a time that does not exist";
        QTest::newRow("24 as start") << "Mon 24:00-02:00"
                                     << "has a time that does not exist";
        QTest::newRow("empty span") << "Mon 10:00-10:00"
                                    << "starts and ends at the same time";
        QTest::newRow("empty group") << "Mon,,Tue"
                                     << "an empty group between commas";
        QTest::newRow("trailing comma") << "Mon,"
                                        << "an empty group between commas";
        QTest::newRow("one-day range") << "Mon-Mon"
                                       << "names one day as a range";
        QTest::newRow("semicolon") << "Mon; Tue"
                                   << "is not DAY or DAY-DAY";
    }
    void refusesEverythingElse()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        RestartWindow w;
        QString error;
        QVERIFY(!RestartWindow::parse(text, &w, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void rangesAcrossMidnightBelongToTheStartingDay()
    {
        const RestartWindow w = window(QStringLiteral("Mon-Fri 18:00-07:00"));
        // 2026-01-09 is a Friday.
        QVERIFY(!w.contains(berlin(2026, 1, 9, 17, 59), kBerlin));
        QVERIFY(w.contains(berlin(2026, 1, 9, 18, 0), kBerlin));
        QVERIFY(w.contains(berlin(2026, 1, 10, 6, 59), kBerlin)); // Saturday morning: Friday's night
        QVERIFY(!w.contains(berlin(2026, 1, 10, 7, 0), kBerlin));
        QVERIFY(!w.contains(berlin(2026, 1, 12, 6, 0), kBerlin)); // Monday morning: Sunday has no night
        QCOMPARE(w.nextOpen(berlin(2026, 1, 10, 12, 0), kBerlin), berlin(2026, 1, 12, 18, 0));
        QCOMPARE(w.nextOpen(berlin(2026, 1, 9, 23, 0), kBerlin), berlin(2026, 1, 9, 23, 0));
    }

    void weekendsAreWholeDaysAndMergeWithTheNights()
    {
        const RestartWindow w = window(QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        QVERIFY(w.contains(berlin(2026, 1, 10, 12, 0), kBerlin));
        QVERIFY(w.contains(berlin(2026, 1, 11, 23, 59), kBerlin));
        QVERIFY(!w.contains(berlin(2026, 1, 12, 0, 0), kBerlin)); // Sunday ends at midnight
        const QList<RestartWindow::Span> s = w.spans(berlin(2026, 1, 9, 12, 0), berlin(2026, 1, 12, 12, 0), kBerlin);
        QCOMPARE(s.size(), 1); // Friday 18:00 straight through to Monday 00:00
        QCOMPARE(s.first().start, berlin(2026, 1, 9, 18, 0));
        QCOMPARE(s.first().end, berlin(2026, 1, 12, 0, 0));
        // A wrapping range of days.
        const RestartWindow fm = window(QStringLiteral("Fri-Mon 12:00-13:00"));
        QCOMPARE(fm.spans(berlin(2026, 1, 5, 0, 0), berlin(2026, 1, 12, 0, 0), kBerlin).size(), 4);
    }

    void springForwardStartInTheSkippedHourOpensAtTheJump()
    {
        // 2026-03-29: clocks jump from 02:00 CET (01:00 UTC) to 03:00 CEST.
        QCOMPARE(RestartWindow::firstMomentAt(QDate(2026, 3, 29), QTime(2, 30), kBerlin), utc(2026, 3, 29, 1, 0));
        const RestartWindow w = window(QStringLiteral("Sun 02:30-05:00"));
        QCOMPARE(w.nextOpen(utc(2026, 3, 28, 22), kBerlin), utc(2026, 3, 29, 1, 0));
        const QList<RestartWindow::Span> s = w.spans(utc(2026, 3, 28, 22), utc(2026, 3, 29, 22), kBerlin);
        QCOMPARE(s.size(), 1);
        QCOMPARE(s.first().end, utc(2026, 3, 29, 3, 0)); // 05:00 CEST: two hours instead of two and a half
        // A window wholly inside the skipped hour does not open that day: the next Sunday's does.
        const RestartWindow gap = window(QStringLiteral("Sun 02:00-02:45"));
        QCOMPARE(gap.nextOpen(utc(2026, 3, 28, 22), kBerlin), utc(2026, 4, 5, 0, 0));
        // A night across the change is an hour shorter in UTC.
        const RestartWindow night = window(QStringLiteral("Sat 22:00-06:00"));
        const QList<RestartWindow::Span> n = night.spans(utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), kBerlin);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n.first().start.secsTo(n.first().end), 7 * 3600);
    }

    void fallBackTimesCountAtTheirFirstOccurrence()
    {
        // 2026-10-25: clocks go back from 03:00 CEST (01:00 UTC) to 02:00 CET; 02:30 happens twice.
        QCOMPARE(RestartWindow::firstMomentAt(QDate(2026, 10, 25), QTime(2, 30), kBerlin), utc(2026, 10, 25, 0, 30));
        const RestartWindow w = window(QStringLiteral("Sun 02:30-04:00"));
        const QList<RestartWindow::Span> s = w.spans(utc(2026, 10, 24, 22), utc(2026, 10, 25, 22), kBerlin);
        QCOMPARE(s.size(), 1);
        QCOMPARE(s.first().start, utc(2026, 10, 25, 0, 30));
        QCOMPARE(s.first().end, utc(2026, 10, 25, 3, 0));       // 04:00 CET
        QVERIFY(w.contains(utc(2026, 10, 25, 1, 15), kBerlin)); // the second 02:15 lies inside the span
        const RestartWindow night = window(QStringLiteral("Sat 18:00-07:00"));
        const QList<RestartWindow::Span> n = night.spans(utc(2026, 10, 24, 12), utc(2026, 10, 25, 12), kBerlin);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n.first().start.secsTo(n.first().end), 14 * 3600);
    }
};

QTEST_GUILESS_MAIN(TestRestartWindow)
#include "tst_restartwindow.moc"
