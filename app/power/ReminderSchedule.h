#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace oco {

// How reminders come closer as the deadline nears: `[power] reminder-schedule`, e.g. "240:60, 30, 15, 10, 5":
// "W:I" = within the last W minutes remind every I minutes, a lone "M" = one reminder M minutes before the
// deadline. Far from the deadline `reminder-interval-minutes` applies; an interval never grows as the
// deadline nears (the smallest that applies wins).
class ReminderSchedule
{
public:
    static bool parse(const QString &text, ReminderSchedule *out, QString *error);
    // The default: "240:60, 30, 15, 10, 5" (Munki's guaranteed reminders near the end).
    static ReminderSchedule standard();
    QString text() const { return m_text; }

    // When the reminder after the one given at last is due, for an action at deadline.
    QDateTime nextAfter(const QDateTime &last, const QDateTime &deadline, double baseMinutes) const;

private:
    struct Tier
    {
        int within;
        int every;
    };
    QList<Tier> m_tiers;
    QList<int> m_points;
    QString m_text;
};

} // namespace oco
