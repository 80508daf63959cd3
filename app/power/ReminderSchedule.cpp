#include "ReminderSchedule.h"

#include <QRegularExpression>

#include <algorithm>

namespace oco {

bool ReminderSchedule::parse(const QString &text, ReminderSchedule *out, QString *error)
{
    ReminderSchedule s;
    s.m_text = text.trimmed();
    if (!s.m_text.isEmpty()) {
        static const QRegularExpression entry(QStringLiteral("^([0-9]{1,6})(?::([0-9]{1,6}))?$"));
        constexpr int kMax = 365 * 24 * 60;
        for (const QString &raw : s.m_text.split(QLatin1Char(','))) {
            const QString part = raw.trimmed();
            const QRegularExpressionMatch m = entry.match(part);
            const int a = m.captured(1).toInt();
            const int b = m.captured(2).toInt();
            if (!m.hasMatch() || a < 1 || a > kMax || (!m.captured(2).isEmpty() && (b < 1 || b > kMax))) {
                *error = QStringLiteral("'%1' is neither MINUTES (one reminder that long before the deadline) nor "
                                        "WITHIN:EVERY in minutes (e.g. '240:60, 30, 15, 10, 5')")
                             .arg(part);
                return false;
            }
            if (m.captured(2).isEmpty())
                s.m_points.append(a);
            else
                s.m_tiers.append({a, b});
        }
    }
    *out = s;
    return true;
}

ReminderSchedule ReminderSchedule::standard()
{
    ReminderSchedule s;
    QString unused;
    parse(QStringLiteral("240:60, 30, 15, 10, 5"), &s, &unused);
    return s;
}

QDateTime ReminderSchedule::nextAfter(const QDateTime &last, const QDateTime &deadline, double baseMinutes) const
{
    QDateTime next = last.addSecs(static_cast<qint64>(baseMinutes * 60));
    for (const Tier &t : m_tiers)
        next = std::min(next, std::max(last.addSecs(t.every * 60LL), deadline.addSecs(-t.within * 60LL)));
    for (int p : m_points) {
        const QDateTime at = deadline.addSecs(-p * 60LL);
        if (at > last)
            next = std::min(next, at);
    }
    return next;
}

} // namespace oco
