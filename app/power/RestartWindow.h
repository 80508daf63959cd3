#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace oco {

// When restarts and shutdowns may happen: `[power] restart-window`, e.g. "Mon-Fri 18:00-07:00, Sat-Sun".
// Groups are separated by commas; a group is a day (Mon..Sun) or a range of days (Fri-Mon wraps), optionally
// followed by HH:MM-HH:MM (24:00 allowed as an end). Without times the days are whole; an end before the
// start runs past midnight and belongs to the starting day. Empty text: any time.
//
// Times are wall-clock times in the given zone. Each boundary is the first moment the clock shows that time:
// a start in the hour skipped when clocks go forward opens at the jump (02:30 becomes 03:00), a time that
// happens twice when clocks go back counts at its first occurrence.
class RestartWindow
{
public:
    // Strict: false with a message (without file or key: the caller adds those) on anything else.
    static bool parse(const QString &text, RestartWindow *out, QString *error);

    bool isEmpty() const { return m_groups.isEmpty(); }
    QString text() const { return m_text; }

    struct Span
    {
        QDateTime start; // UTC, inclusive
        QDateTime end;   // UTC, exclusive
    };
    // The open spans that overlap [fromUtc, toUtc), merged where they touch, in order.
    QList<Span> spans(const QDateTime &fromUtc, const QDateTime &toUtc, const QTimeZone &zone) const;
    // Always true when empty.
    bool contains(const QDateTime &utc, const QTimeZone &zone) const;
    // The first moment at or after utc inside the window (utc itself when inside or empty).
    QDateTime nextOpen(const QDateTime &utc, const QTimeZone &zone) const;

    // The first UTC moment the wall clock of zone shows date and time (see the class comment).
    static QDateTime firstMomentAt(const QDate &date, const QTime &time, const QTimeZone &zone);

private:
    struct Group
    {
        int day;      // 1 = Monday .. 7 = Sunday (QDate::dayOfWeek)
        int startMin; // minutes after the day's midnight
        int endMin;   // may exceed 1440: past midnight
    };
    QList<Group> m_groups;
    QString m_text;
};

} // namespace oco
