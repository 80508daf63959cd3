#pragma once

#include "controlproto/Messages.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace oco::ui {

class ServiceClient;

enum class TrayState
{
    NotRunning,
    Idle,
    Syncing,
    JobRunning,
    PowerPending,
    Error
};

// What the tray shows: derived from the service's pushes only (the tray never decides anything).
struct TrayView
{
    TrayState state = TrayState::NotRunning;
    QString tooltip;
    int progress = -1; // job progress 0..100, -1 when unknown
};

// The tray's texts for the service's state, times and choices, in the user's language.
class TrayText
{
    // The translation context keeps the former name: the existing translations stay valid.
    Q_DECLARE_TR_FUNCTIONS(oco::ui::Words)
public:
    static TrayView describe(const ServiceClient &link, const QDateTime &nowUtc);
    static QString stateName(TrayState state);
    // The cause of an error in words, from the service's error_kind.
    static QString errorKind(control::ErrorKind kind);
    static QString serviceState(control::AgentState state);
    // "1:05:09" style; never negative.
    static QString countdown(qint64 seconds);
    // "in 3 h 25 min" (minutes rounded up), or "in 4 min 32 s" with seconds; "now" at zero.
    static QString timeLeft(qint64 seconds, bool withSeconds = false);
    // "+1 h", "+30 min", "+1 h 30 min": what a postpone choice adds.
    static QString addedTime(int minutes);
    // A moment close to now, as people say it: "19:55" today, "tomorrow 02:55", else date and time.
    static QString clockTime(const QDateTime &utc, const QDateTime &nowUtc);
    // A planned moment in words: "tonight at 18:00", "today at 14:00", "tomorrow at 07:00", "on Friday at
    // 18:00" within a week, else date and time.
    static QString plannedTime(const QDateTime &utc, const QDateTime &nowUtc);
    // The service's time_choices as (ISO UTC, words); the hard deadline, last, is marked as the latest.
    static QList<QPair<QString, QString>> timeChoices(const control::PowerPending &pending, const QDateTime &nowUtc);
    // "in 2 hours"-free, translatable: "%n minute(s)" / "%n hour(s)" for postpone choices.
    static QString minutesChoice(int minutes);
    // The postpone choices as the resulting times ("19:55 (+1 h)"), as the service computes them: from the
    // later of deadline and now, stopping at the latest allowed time (said once).
    static QList<QPair<int, QString>> postponeChoices(const control::PowerPending &pending, const QDateTime &nowUtc);
    // ISO 8601 UTC from the service to local time in the user's locale; "never" for null/empty.
    static QString localTime(const QString &isoUtc);
    static QString localTime(const QDateTime &utc);
    static QDateTime parseUtc(const QString &iso);
    // "Job 18 (package Kernel update)"; the package is a number or, from newer servers, a name.
    static QString jobLabel(const QJsonValue &id, const QJsonValue &package);
    // Why a restart or shutdown is pending, in one sentence, from the service's job_id / package_id.
    static QString powerReason(const control::PowerPending &pending);
    static QString jobResult(control::JobResult result);
    static QString phase(control::JobPhase phase);
    static qint64 secondsLeft(const control::PowerPending &pending, const QDateTime &nowUtc);
};

} // namespace oco::ui
