#pragma once

#include "SessionNotifier.h"
#include "Sessions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTimeZone>
#include <QTimer>

#include <functional>
#include <optional>

namespace oco {

class Clock;
class Config;
class StateStore;
struct Job;
struct JobOutcome;

// A restart or shutdown a job asked for, as persisted in <state>/power.json. All times are absolute UTC.
struct PendingPower
{
    QString action; // "restart" or "shutdown"
    QJsonValue jobId;
    QJsonValue packageId;
    QDateTime jobFinished;
    QDateTime deadline;         // when the action happens (moved by postponements and the final countdown)
    QDateTime hardDeadline;     // no postponement beyond this
    QDateTime countdownStarted; // the final warning was given at this time (null: not yet)
    QDateTime lastReminder;
    QDateTime lastAttempt; // the command was started (and failed) at this time
    int postponementsUsed = 0;
    QJsonArray postponements; // [{user, uid, at, minutes, until}]
    QString lastError;

    QJsonObject toJson() const;
    static PendingPower fromJson(const QJsonObject &o);
};

// Decides when a restart or shutdown happens (docs/ux.md "Restart and shutdown"): the server's minutes are a
// grace period from the job's end when someone is logged in, otherwise the action happens at once;
// postponements within the admin's policy; a hard deadline; a final countdown that is always given, even
// after the machine slept past the deadline; reminders; the configured command as an argument list.
class PowerPlanner : public QObject
{
    Q_OBJECT
public:
    PowerPlanner(Config &config, StateStore &state, const Clock &clock, SessionLister &sessions,
                 SessionNotifier &notifier, QObject *parent = nullptr);

    // Reads the persisted action; a damaged file is reported and left in place.
    bool load(QString *error);

    struct Answer
    {
        bool ok = false;
        QString message; // the reason when refused, what happens now when accepted
    };

    void onJobFinished(const oco::Job &job, const oco::JobOutcome &outcome);
    void schedule(const QString &action, int minutes, const QJsonValue &jobId, const QJsonValue &packageId);
    Answer postpone(int minutes, const QString &who, uint uid);
    // A time from timeChoices(): later than the planned time counts as a postponement, earlier does not.
    Answer chooseTime(const QDateTime &until, const QString &who, uint uid);
    // The times a person may choose now: on the local grid of time-choice-step-minutes, after the final
    // countdown's length from now, inside the restart window, up to the hard deadline (itself the last).
    QList<QDateTime> timeChoices() const;
    // When the next reminder is due (null when none: nothing pending or the final countdown runs).
    QDateTime nextReminder() const;
    // The zone whose wall clock the restart window uses (the system's by default).
    void setTimeZone(const QTimeZone &zone) { m_zone = zone; }
    Answer actNow(const QString &who, uint uid);
    Answer cancel(const QString &who);

    bool isPending() const { return m_pending.has_value(); }
    const std::optional<PendingPower> &pending() const { return m_pending; }
    // Non-empty while an action is pending: later jobs wait (the reason is logged).
    QString holdReason() const;
    // The `pending` member of the control protocol's `power` push (null when nothing is pending).
    QJsonValue toJson() const;
    // Runs the rules for the current time; a timer calls it every second while an action is pending.
    void evaluate();
    void setTickInterval(int ms) { m_timer.setInterval(ms); }
    // Users whose tray app is connected get no separate desktop notification.
    void setTrayPresent(std::function<bool(uint uid)> f) { m_trayPresent = std::move(f); }

    QString localTime(const QDateTime &utc) const;
    QString reasonText() const;
    QList<Session> sessions() const { return m_sessions.sessions(); }

Q_SIGNALS:
    void changed();
    void reminderDue(); // a reminder interval passed (the tray shows its notice again)
    void actionStarted(const QString &action, const QStringList &command);
    void actionFinished(bool ok, const QString &error);
    void released(); // nothing pending any more: held jobs may run

private:
    void persist();
    void clear(const QString &why);
    void act(const QString &why);
    void notifyAll(const Notice &notice);
    QString actionWord(bool capital = false) const;
    // The first moment at or after t the action may happen: inside the restart window, never after hard.
    QDateTime placeInWindow(const QDateTime &t, const QDateTime &hard) const;
    bool waitingForWindow(const QDateTime &now) const;
    QDateTime postponedUntil(int minutes, const QDateTime &now) const;
    void startTimer();

    Config &m_config;
    StateStore &m_state;
    const Clock &m_clock;
    SessionLister &m_sessions;
    SessionNotifier &m_notifier;
    std::optional<PendingPower> m_pending;
    std::function<bool(uint)> m_trayPresent;
    QTimer m_timer;
    QPointer<QProcess> m_running;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

} // namespace oco
