#include "RestartWindow.h"

#include <QRegularExpression>

#include <algorithm>

namespace oco {

namespace {
const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int dayNumber(const QString &name)
{
    for (int i = 0; i < 7; ++i)
        if (name.compare(QLatin1String(kDays[i]), Qt::CaseInsensitive) == 0)
            return i + 1;
    return 0;
}

// Minutes after midnight, or -1. 24:00 only where allowEnd.
int minutesOf(const QString &hh, const QString &mm, bool allowEnd)
{
    const int h = hh.toInt();
    const int m = mm.toInt();
    if (m > 59)
        return -1;
    if (h == 24 && m == 0 && allowEnd)
        return 1440;
    return h <= 23 ? h * 60 + m : -1;
}

QDateTime wallAt(const QDateTime &utc, const QTimeZone &zone)
{
    return utc.addSecs(zone.offsetFromUtc(utc));
}
} // namespace

bool RestartWindow::parse(const QString &text, RestartWindow *out, QString *error)
{
    RestartWindow w;
    w.m_text = text.trimmed();
    if (w.m_text.isEmpty()) {
        *out = w;
        return true;
    }
    static const QRegularExpression group(
        QStringLiteral("^([A-Za-z]+)(?:-([A-Za-z]+))?(?:\\s+([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2}))?$"));
    const QStringList parts = w.m_text.split(QLatin1Char(','));
    for (const QString &raw : parts) {
        const QString part = raw.trimmed();
        if (part.isEmpty()) {
            *error = QStringLiteral("an empty group between commas");
            return false;
        }
        const QRegularExpressionMatch m = group.match(part);
        if (!m.hasMatch()) {
            *error = QStringLiteral("'%1' is not DAY or DAY-DAY, optionally followed by HH:MM-HH:MM "
                                    "(e.g. 'Mon-Fri 18:00-07:00, Sat-Sun')")
                         .arg(part);
            return false;
        }
        const int first = dayNumber(m.captured(1));
        const int last = m.captured(2).isEmpty() ? first : dayNumber(m.captured(2));
        for (const QString &name : {m.captured(1), m.captured(2)}) {
            if (!name.isEmpty() && !dayNumber(name)) {
                *error = QStringLiteral("'%1' is not a day (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)").arg(name);
                return false;
            }
        }
        if (!m.captured(2).isEmpty() && first == last) {
            *error = QStringLiteral("'%1' names one day as a range: write '%2'").arg(part, m.captured(1));
            return false;
        }
        int start = 0;
        int end = 1440;
        if (!m.captured(3).isEmpty()) {
            start = minutesOf(m.captured(3), m.captured(4), false);
            end = minutesOf(m.captured(5), m.captured(6), true);
            if (start < 0 || end < 0) {
                *error = QStringLiteral("'%1' has a time that does not exist (00:00 to 23:59; 24:00 only as an end)")
                             .arg(part);
                return false;
            }
            if (start == end) {
                *error = QStringLiteral("'%1' starts and ends at the same time (leave the times out for whole days)")
                             .arg(part);
                return false;
            }
            if (end < start)
                end += 1440; // past midnight: belongs to the starting day
        }
        for (int d = first;; d = d % 7 + 1) {
            w.m_groups.append({d, start, end});
            if (d == last)
                break;
        }
    }
    *out = w;
    return true;
}

QDateTime RestartWindow::firstMomentAt(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    // The wall time as if it were UTC; an instant t shows it when t + offset(t) reaches it.
    const QDateTime wall(date, time, Qt::UTC);
    QList<QDateTime> candidates{wall.addSecs(-zone.offsetFromUtc(wall.addDays(-1))),
                                wall.addSecs(-zone.offsetFromUtc(wall.addDays(1)))};
    if (zone.hasTransitions()) {
        for (const QTimeZone::OffsetData &t : zone.transitions(wall.addDays(-2), wall.addDays(2)))
            candidates.append(t.atUtc);
    }
    QDateTime best;
    for (const QDateTime &c : candidates)
        if (wallAt(c, zone) >= wall && (!best.isValid() || c < best))
            best = c;
    return best;
}

QList<RestartWindow::Span> RestartWindow::spans(const QDateTime &fromUtc, const QDateTime &toUtc,
                                                const QTimeZone &zone) const
{
    QList<Span> all;
    const QDate firstDay = fromUtc.toTimeZone(zone).date().addDays(-2);
    const QDate lastDay = toUtc.toTimeZone(zone).date().addDays(1);
    for (QDate day = firstDay; day <= lastDay; day = day.addDays(1)) {
        for (const Group &g : m_groups) {
            if (g.day != day.dayOfWeek())
                continue;
            const QDateTime s =
                firstMomentAt(day.addDays(g.startMin / 1440), QTime(0, 0).addSecs(60 * (g.startMin % 1440)), zone);
            const QDateTime e =
                firstMomentAt(day.addDays(g.endMin / 1440), QTime(0, 0).addSecs(60 * (g.endMin % 1440)), zone);
            if (s.isValid() && e.isValid() && s < e) // a window inside a skipped hour does not open that day
                all.append({s, e});
        }
    }
    std::sort(all.begin(), all.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    QList<Span> merged;
    for (const Span &s : all) {
        if (!merged.isEmpty() && s.start <= merged.last().end)
            merged.last().end = std::max(merged.last().end, s.end);
        else
            merged.append(s);
    }
    QList<Span> out;
    for (const Span &s : merged)
        if (s.end > fromUtc && s.start < toUtc)
            out.append(s);
    return out;
}

bool RestartWindow::contains(const QDateTime &utc, const QTimeZone &zone) const
{
    if (isEmpty())
        return true;
    const QList<Span> s = spans(utc, utc.addSecs(1), zone);
    return !s.isEmpty() && s.first().start <= utc;
}

QDateTime RestartWindow::nextOpen(const QDateTime &utc, const QTimeZone &zone) const
{
    if (isEmpty())
        return utc;
    for (const Span &s : spans(utc, utc.addDays(15), zone))
        if (s.end > utc)
            return std::max(s.start, utc);
    return {};
}

} // namespace oco
