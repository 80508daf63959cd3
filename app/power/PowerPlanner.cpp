#include "PowerPlanner.h"

#include "config/Config.h"
#include "core/Clock.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "jobs/JobEngine.h"
#include "protocol/Types.h"

#include <QFile>

#include <algorithm>

namespace oco {

namespace {
const QString kFile = QStringLiteral("power.json");
// A countdown that ended more than this long ago was missed (sleep, service down): give it again.
constexpr qint64 kMissedSecs = 90;
// A failed power command is tried again after this long.
constexpr qint64 kRetrySecs = 300;

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}
QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(iso(t)) : QJsonValue();
}
QDateTime fromIso(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODate);
    if (t.isValid())
        t = t.toUTC();
    return t;
}
QString idText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'g', 17) : v.toString();
}
} // namespace

QJsonObject PendingPower::toJson() const
{
    return {{QStringLiteral("action"), action},
            {QStringLiteral("job_id"), jobId},
            {QStringLiteral("package_id"), packageId},
            {QStringLiteral("job_finished"), isoOrNull(jobFinished)},
            {QStringLiteral("deadline"), isoOrNull(deadline)},
            {QStringLiteral("hard_deadline"), isoOrNull(hardDeadline)},
            {QStringLiteral("countdown_started"), isoOrNull(countdownStarted)},
            {QStringLiteral("last_reminder"), isoOrNull(lastReminder)},
            {QStringLiteral("last_attempt"), isoOrNull(lastAttempt)},
            {QStringLiteral("postponements_used"), postponementsUsed},
            {QStringLiteral("postponements"), postponements},
            {QStringLiteral("last_error"), lastError}};
}

PendingPower PendingPower::fromJson(const QJsonObject &o)
{
    PendingPower p;
    p.action = o.value(QStringLiteral("action")).toString();
    p.jobId = o.value(QStringLiteral("job_id"));
    p.packageId = o.value(QStringLiteral("package_id"));
    p.jobFinished = fromIso(o.value(QStringLiteral("job_finished")));
    p.deadline = fromIso(o.value(QStringLiteral("deadline")));
    p.hardDeadline = fromIso(o.value(QStringLiteral("hard_deadline")));
    p.countdownStarted = fromIso(o.value(QStringLiteral("countdown_started")));
    p.lastReminder = fromIso(o.value(QStringLiteral("last_reminder")));
    p.lastAttempt = fromIso(o.value(QStringLiteral("last_attempt")));
    p.postponementsUsed = o.value(QStringLiteral("postponements_used")).toInt();
    p.postponements = o.value(QStringLiteral("postponements")).toArray();
    p.lastError = o.value(QStringLiteral("last_error")).toString();
    return p;
}

PowerPlanner::PowerPlanner(Config &config, StateStore &state, const Clock &clock, SessionLister &sessions,
                           SessionNotifier &notifier, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
    , m_clock(clock)
    , m_sessions(sessions)
    , m_notifier(notifier)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &PowerPlanner::evaluate);
}

bool PowerPlanner::load(QString *error)
{
    QJsonObject doc;
    if (!m_state.readJsonFile(kFile, &doc, error))
        return false;
    if (doc.isEmpty())
        return true;
    PendingPower p = PendingPower::fromJson(doc);
    if ((p.action != QLatin1String("restart") && p.action != QLatin1String("shutdown")) || !p.deadline.isValid()) {
        *error = QStringLiteral("%1 does not describe a restart or shutdown; ignoring it").arg(m_state.filePath(kFile));
        return false;
    }
    m_pending = p;
    qCInfo(lcAgent).noquote() << QStringLiteral("a %1 is still pending from before: %2 (postponed %3 of %4 times)")
                                     .arg(p.action, localTime(p.deadline))
                                     .arg(p.postponementsUsed)
                                     .arg(m_config.maxPostponements);
    startTimer();
    Q_EMIT changed();
    return true;
}

QString PowerPlanner::localTime(const QDateTime &utc) const
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" local time");
}

QString PowerPlanner::actionWord(bool capital) const
{
    const bool restart = !m_pending || m_pending->action == QLatin1String("restart");
    if (capital)
        return restart ? QStringLiteral("Restart") : QStringLiteral("Shutdown");
    return restart ? QStringLiteral("restart") : QStringLiteral("shutdown");
}

QString PowerPlanner::reasonText() const
{
    if (!m_pending)
        return QString();
    return QStringLiteral("package %1 (job %2) asks for it")
        .arg(idText(m_pending->packageId), idText(m_pending->jobId));
}

void PowerPlanner::startTimer()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void PowerPlanner::persist()
{
    QString err;
    if (m_pending && !m_state.writeJsonFile(kFile, m_pending->toJson(), &err))
        qCCritical(lcAgent).noquote() << "cannot save the pending power action:" << err;
}

void PowerPlanner::clear(const QString &why)
{
    qCInfo(lcAgent).noquote() << QStringLiteral("the pending %1 is done: %2").arg(actionWord(), why);
    m_pending.reset();
    m_timer.stop();
    if (QFile::exists(m_state.filePath(kFile)) && !m_state.removeFile(kFile))
        qCCritical(lcAgent).noquote() << "cannot remove" << m_state.filePath(kFile);
    Q_EMIT changed();
    Q_EMIT released();
}

void PowerPlanner::onJobFinished(const Job &job, const JobOutcome &outcome)
{
    if (!job.restartMinutes && !job.shutdownMinutes)
        return;
    // A failed installation does not get a restart it did not earn (unlike the official agent, §14.11).
    const bool ok = outcome.state == JobState::Succeeded && (!outcome.reported || outcome.succeeded);
    if (!ok) {
        qCWarning(lcAgent).noquote() << "job" << job.idText()
                                     << "did not succeed: its restart/shutdown request is not carried out";
        return;
    }
    // Both given (the official agent runs both commands, the later wins): the shutdown is the one that stays.
    if (job.shutdownMinutes)
        schedule(QStringLiteral("shutdown"), *job.shutdownMinutes, job.id, job.packageId);
    else
        schedule(QStringLiteral("restart"), *job.restartMinutes, job.id, job.packageId);
}

void PowerPlanner::schedule(const QString &action, int minutes, const QJsonValue &jobId, const QJsonValue &packageId)
{
    const QDateTime now = m_clock.nowUtc();
    const QList<Session> people = m_sessions.sessions();
    PendingPower p;
    if (m_pending) {
        // A second request while one is pending (same job): the earlier time and the stronger action stay.
        p = *m_pending;
        if (action == QLatin1String("shutdown"))
            p.action = action;
        const QDateTime asked =
            placeInWindow(people.isEmpty() ? now : now.addSecs(qint64(minutes) * 60), p.hardDeadline);
        if (asked < p.deadline)
            p.deadline = asked;
    } else {
        p.action = action;
        p.jobId = jobId;
        p.packageId = packageId;
        p.jobFinished = now;
        const QDateTime grace = people.isEmpty() ? now : now.addSecs(qint64(std::max(minutes, 0)) * 60);
        p.hardDeadline = std::max(grace, now.addSecs(static_cast<qint64>(m_config.hardDeadlineHours * 3600)));
        p.deadline = placeInWindow(grace, p.hardDeadline);
        p.lastReminder = now;
    }
    m_pending = p;
    persist();
    if (people.isEmpty()) {
        if (m_config.nobodyWaitsForWindow && waitingForWindow(now)) {
            qCInfo(lcAgent).noquote() << QStringLiteral("job %1 asks for a %2; nobody is logged in: waiting for the "
                                                        "restart window (%3) at %4")
                                             .arg(idText(jobId), actionWord(), m_config.restartWindow.text(),
                                                  localTime(m_pending->deadline));
            startTimer();
            Q_EMIT changed();
            return;
        }
        qCInfo(lcAgent).noquote()
            << QStringLiteral("job %1 asks for a %2; nobody is logged in: acting now").arg(idText(jobId), actionWord());
        Q_EMIT changed();
        act(QStringLiteral("nobody is logged in"));
        return;
    }
    qCInfo(lcAgent).noquote() << QStringLiteral("job %1 asks for a %2 in %3 minute(s): planned for %4 (%5 UTC), "
                                                "%6 session(s) open, at most %7 postponement(s) until %8")
                                     .arg(idText(jobId), actionWord())
                                     .arg(minutes)
                                     .arg(localTime(m_pending->deadline), iso(m_pending->deadline))
                                     .arg(people.size())
                                     .arg(m_config.maxPostponements)
                                     .arg(localTime(m_pending->hardDeadline));
    notifyAll({QStringLiteral("System %1 scheduled").arg(actionWord()),
               QStringLiteral("This computer will %1 at %2 because %3.%4")
                   .arg(actionWord(), localTime(m_pending->deadline), reasonText(),
                        m_config.maxPostponements > 0 ? QStringLiteral(" You can postpone it from the OCO tray.")
                                                      : QString()),
               false});
    startTimer();
    Q_EMIT changed();
    evaluate();
}

PowerPlanner::Answer PowerPlanner::postpone(int minutes, const QString &who, uint uid)
{
    if (!m_pending)
        return {false, QStringLiteral("no restart or shutdown is pending")};
    PendingPower &p = *m_pending;
    const QDateTime now = m_clock.nowUtc();
    if (p.countdownStarted.isValid())
        return {false,
                QStringLiteral("the final countdown has started: the %1 can no longer be postponed").arg(actionWord())};
    if (p.postponementsUsed >= m_config.maxPostponements)
        return {false, QStringLiteral("no postponement left (%1 of %2 used)")
                           .arg(p.postponementsUsed)
                           .arg(m_config.maxPostponements)};
    if (!m_config.postponeChoicesMinutes.contains(minutes)) {
        QStringList choices;
        for (int c : m_config.postponeChoicesMinutes)
            choices << QString::number(c);
        return {false, QStringLiteral("%1 minutes is not one of the allowed choices (%2)")
                           .arg(minutes)
                           .arg(choices.join(QStringLiteral(", ")))};
    }
    const QDateTime base = std::max(p.deadline, now);
    if (base >= p.hardDeadline)
        return {false, QStringLiteral("the latest allowed time (%1) is reached: no further postponement")
                           .arg(localTime(p.hardDeadline))};
    const QDateTime until = postponedUntil(minutes, now);
    p.deadline = until;
    p.postponementsUsed++;
    p.lastReminder = now;
    p.postponements.append(QJsonObject{{QStringLiteral("user"), who},
                                       {QStringLiteral("uid"), static_cast<qint64>(uid)},
                                       {QStringLiteral("at"), iso(now)},
                                       {QStringLiteral("minutes"), minutes},
                                       {QStringLiteral("until"), iso(until)}});
    persist();
    const QString msg =
        QStringLiteral("%1 postponed by %2 until %3 (%4 of %5 postponements used)%6")
            .arg(actionWord(true), who, localTime(until))
            .arg(p.postponementsUsed)
            .arg(m_config.maxPostponements)
            .arg(until == p.hardDeadline ? QStringLiteral("; this is the latest allowed time") : QString());
    qCInfo(lcAgent).noquote() << msg;
    notifyAll({QStringLiteral("System %1 postponed").arg(actionWord()), msg + QLatin1Char('.'), false});
    Q_EMIT changed();
    return {true, msg};
}

PowerPlanner::Answer PowerPlanner::actNow(const QString &who, uint uid)
{
    if (!m_pending)
        return {false, QStringLiteral("no restart or shutdown is pending")};
    if (m_running)
        return {true, QStringLiteral("the %1 is under way").arg(actionWord())};
    const QList<Session> people = m_sessions.sessions();
    const bool others = std::any_of(people.begin(), people.end(), [uid](const Session &s) { return s.uid != uid; });
    if (!others) {
        qCInfo(lcAgent).noquote() << who << "asked for the" << actionWord() << "now";
        act(QStringLiteral("%1 asked for it").arg(who));
        return {true, QStringLiteral("the %1 starts now").arg(actionWord())};
    }
    // Other people are logged in: they get the final warning first.
    const QDateTime now = m_clock.nowUtc();
    PendingPower &p = *m_pending;
    if (!p.countdownStarted.isValid() || p.deadline > now.addSecs(qint64(m_config.finalCountdownMinutes * 60))) {
        p.countdownStarted = now;
        p.deadline = now.addSecs(static_cast<qint64>(m_config.finalCountdownMinutes * 60));
        persist();
        notifyAll({QStringLiteral("System %1 in %2 minute(s)").arg(actionWord()).arg(m_config.finalCountdownMinutes),
                   QStringLiteral("%1 asked for the %2 now. This computer will %2 at %3 because %4. Save your work.")
                       .arg(who, actionWord(), localTime(p.deadline), reasonText()),
                   true});
        Q_EMIT changed();
    }
    const QString msg = QStringLiteral("other people are logged in: the %1 happens at %2 after the final warning")
                            .arg(actionWord(), localTime(p.deadline));
    qCInfo(lcAgent).noquote() << who << "asked for the" << actionWord() << "now;" << msg;
    return {true, msg};
}

PowerPlanner::Answer PowerPlanner::cancel(const QString &who)
{
    if (!m_pending)
        return {false, QStringLiteral("no restart or shutdown is pending")};
    const QString word = actionWord();
    notifyAll(
        {QStringLiteral("System %1 cancelled").arg(word),
         QStringLiteral("The %1 planned for %2 was cancelled by %3.").arg(word, localTime(m_pending->deadline), who),
         false});
    clear(QStringLiteral("cancelled by %1").arg(who));
    return {true, QStringLiteral("the %1 was cancelled; held jobs run again").arg(word)};
}

QDateTime PowerPlanner::placeInWindow(const QDateTime &t, const QDateTime &hard) const
{
    if (t >= hard)
        return t;
    const QDateTime open = m_config.restartWindow.nextOpen(t, m_zone);
    return open.isValid() ? std::min(open, hard) : hard;
}

bool PowerPlanner::waitingForWindow(const QDateTime &now) const
{
    return m_pending && !m_config.restartWindow.isEmpty() && now < m_pending->hardDeadline &&
           !m_config.restartWindow.contains(now, m_zone);
}

QDateTime PowerPlanner::postponedUntil(int minutes, const QDateTime &now) const
{
    const QDateTime base = std::max(m_pending->deadline, now);
    return placeInWindow(std::min(base.addSecs(qint64(minutes) * 60), m_pending->hardDeadline),
                         m_pending->hardDeadline);
}

QDateTime PowerPlanner::nextReminder() const
{
    if (!m_pending || m_pending->countdownStarted.isValid())
        return {};
    return m_config.reminderSchedule.nextAfter(m_pending->lastReminder, m_pending->deadline,
                                               m_config.reminderIntervalMinutes);
}

QList<QDateTime> PowerPlanner::timeChoices() const
{
    QList<QDateTime> out;
    const int step = m_config.timeChoiceStepMinutes;
    if (!m_pending || step <= 0 || m_pending->countdownStarted.isValid())
        return out;
    const PendingPower &p = *m_pending;
    const QDateTime now = m_clock.nowUtc();
    const bool later = p.postponementsUsed < m_config.maxPostponements;
    const QDateTime last = later ? p.hardDeadline : std::min(p.deadline, p.hardDeadline);
    // Not sooner than a full final countdown from now: a chosen time always gets its warning.
    const QDateTime first = now.addSecs(static_cast<qint64>(m_config.finalCountdownMinutes * 60) + 1);
    constexpr int kMaxChoices = 96;
    constexpr int kScanDays = 14;
    // Walk the wall clock (so "on the hour" stays on the hour across a change of daylight saving time).
    const QDateTime local = first.toTimeZone(m_zone);
    QDate day = local.date();
    int minute = (local.time().hour() * 60 + local.time().minute() + step - 1) / step * step;
    const QDate stopDay = day.addDays(kScanDays);
    while (out.size() < kMaxChoices && day <= stopDay) {
        if (minute >= 1440) {
            minute -= 1440;
            day = day.addDays(1);
            continue;
        }
        const QDateTime t = RestartWindow::firstMomentAt(day, QTime(0, 0).addSecs(minute * 60), m_zone);
        minute += step;
        if (!t.isValid() || t < first || (!out.isEmpty() && t <= out.last()))
            continue; // the skipped hour of a spring-forward day maps onto the jump: once is enough
        if (t > last)
            break;
        if (m_config.restartWindow.contains(t, m_zone))
            out.append(t);
    }
    if (later && p.hardDeadline >= first && (out.isEmpty() || out.last() < p.hardDeadline))
        out.append(p.hardDeadline);
    return out;
}

PowerPlanner::Answer PowerPlanner::chooseTime(const QDateTime &until, const QString &who, uint uid)
{
    if (!m_pending)
        return {false, QStringLiteral("no restart or shutdown is pending")};
    PendingPower &p = *m_pending;
    const QDateTime now = m_clock.nowUtc();
    if (p.countdownStarted.isValid())
        return {false,
                QStringLiteral("the final countdown has started: the %1 can no longer be moved").arg(actionWord())};
    if (m_config.timeChoiceStepMinutes <= 0)
        return {false, QStringLiteral("choosing a time is turned off ([power] time-choice-step-minutes = 0)")};
    if (!until.isValid())
        return {false, QStringLiteral("the chosen time is not an ISO 8601 time")};
    const bool postponing = until > p.deadline;
    if (until > p.hardDeadline)
        return {
            false,
            QStringLiteral("%1 is past the latest allowed time (%2)").arg(localTime(until), localTime(p.hardDeadline))};
    if (postponing && p.postponementsUsed >= m_config.maxPostponements)
        return {false, QStringLiteral("no postponement left (%1 of %2 used): only times up to %3 can be chosen")
                           .arg(p.postponementsUsed)
                           .arg(m_config.maxPostponements)
                           .arg(localTime(p.deadline))};
    if (!timeChoices().contains(until.toUTC())) {
        if (!m_config.restartWindow.contains(until, m_zone) && until != p.hardDeadline)
            return {false, QStringLiteral("%1 is outside the restart window (%2)")
                               .arg(localTime(until), m_config.restartWindow.text())};
        return {false, QStringLiteral("%1 is not one of the times offered").arg(localTime(until))};
    }
    const QDateTime was = p.deadline;
    p.deadline = until.toUTC();
    p.lastReminder = now;
    QString msg;
    if (postponing) {
        p.postponementsUsed++;
        p.postponements.append(QJsonObject{{QStringLiteral("user"), who},
                                           {QStringLiteral("uid"), static_cast<qint64>(uid)},
                                           {QStringLiteral("at"), iso(now)},
                                           {QStringLiteral("minutes"), static_cast<qint64>(was.secsTo(until) / 60)},
                                           {QStringLiteral("until"), iso(until)},
                                           {QStringLiteral("chosen"), true}});
        msg = QStringLiteral("%1 moved by %2 to the chosen time %3 (%4 of %5 postponements used)")
                  .arg(actionWord(true), who, localTime(until))
                  .arg(p.postponementsUsed)
                  .arg(m_config.maxPostponements);
    } else {
        msg = QStringLiteral("%1 brought forward by %2 to the chosen time %3 (not counted as a postponement)")
                  .arg(actionWord(true), who, localTime(until));
    }
    persist();
    qCInfo(lcAgent).noquote() << msg;
    notifyAll({QStringLiteral("System %1 moved").arg(actionWord()), msg + QLatin1Char('.'), false});
    Q_EMIT changed();
    return {true, msg};
}

QString PowerPlanner::holdReason() const
{
    if (!m_pending)
        return QString();
    return QStringLiteral("a %1 is pending for %2 (%3)")
        .arg(actionWord(), localTime(m_pending->deadline), reasonText());
}

QJsonValue PowerPlanner::toJson() const
{
    if (!m_pending)
        return QJsonValue();
    const PendingPower &p = *m_pending;
    const QDateTime now = m_clock.nowUtc();
    QJsonArray choices;
    for (int c : m_config.postponeChoicesMinutes)
        choices.append(c);
    const int left = std::max(0, m_config.maxPostponements - p.postponementsUsed);
    const bool countdown = p.countdownStarted.isValid();
    const bool canPostpone = !countdown && left > 0 && std::max(p.deadline, now) < p.hardDeadline;
    QJsonObject o{{QStringLiteral("action"), p.action},
                  {QStringLiteral("reason"), reasonText()}, // English; trays word it from the fields below
                  {QStringLiteral("job_id"), p.jobId},
                  {QStringLiteral("package_id"), p.packageId},
                  {QStringLiteral("job_finished"), iso(p.jobFinished)},
                  {QStringLiteral("deadline"), iso(p.deadline)},
                  {QStringLiteral("deadline_local"), localTime(p.deadline)},
                  {QStringLiteral("seconds_left"), std::max<qint64>(0, now.secsTo(p.deadline))},
                  {QStringLiteral("postponements_used"), p.postponementsUsed},
                  {QStringLiteral("postponements_left"), left},
                  {QStringLiteral("choices_minutes"), choices},
                  {QStringLiteral("can_postpone"), canPostpone},
                  {QStringLiteral("final_countdown"), countdown},
                  {QStringLiteral("final_countdown_minutes"), m_config.finalCountdownMinutes},
                  {QStringLiteral("hard_deadline"), iso(p.hardDeadline)},
                  {QStringLiteral("postponements"), p.postponements},
                  {QStringLiteral("running"), !m_running.isNull()},
                  {QStringLiteral("last_error"), p.lastError}};
    QJsonArray untils;
    for (int c : m_config.postponeChoicesMinutes)
        untils.append(iso(postponedUntil(c, now)));
    o.insert(QStringLiteral("choices_until"), untils);
    QJsonArray times;
    for (const QDateTime &t : timeChoices())
        times.append(iso(t));
    o.insert(QStringLiteral("time_choices"), times);
    o.insert(QStringLiteral("window"), m_config.restartWindow.text());
    o.insert(QStringLiteral("waiting_for_window"), !countdown && waitingForWindow(now));
    o.insert(QStringLiteral("next_reminder"), isoOrNull(nextReminder()));
    // The admin's own words and link, shown by every tray beside the reason it words itself.
    if (!m_config.noticeMessage.isEmpty())
        o.insert(QStringLiteral("message"), m_config.noticeMessage);
    if (!m_config.infoUrl.isEmpty())
        o.insert(QStringLiteral("info_url"), m_config.infoUrl);
    return o;
}

void PowerPlanner::notifyAll(const Notice &notice)
{
    const QList<Session> people = m_sessions.sessions();
    for (const Session &s : people) {
        const bool desktop = !(m_trayPresent && m_trayPresent(s.uid));
        m_notifier.notify(s, notice, desktop);
    }
}

void PowerPlanner::evaluate()
{
    if (!m_pending || m_running)
        return;
    PendingPower &p = *m_pending;
    const QDateTime now = m_clock.nowUtc();
    if (p.lastAttempt.isValid() && p.lastAttempt.secsTo(now) < kRetrySecs && p.lastAttempt <= now)
        return;
    const QList<Session> people = m_sessions.sessions();
    if (people.isEmpty()) {
        if (!m_config.nobodyWaitsForWindow || !waitingForWindow(now))
            act(QStringLiteral("nobody is logged in"));
        return;
    }
    const qint64 countdownSecs = static_cast<qint64>(m_config.finalCountdownMinutes * 60);
    if (p.countdownStarted.isValid() && now >= p.deadline && p.deadline.secsTo(now) <= kMissedSecs) {
        act(QStringLiteral("the deadline %1 is reached").arg(localTime(p.deadline)));
        return;
    }
    // The deadline passed without a countdown that ran to its end (the machine slept, the service was down):
    // never act without the final warning, give it now.
    const bool missed = now >= p.deadline;
    if (missed && waitingForWindow(now)) {
        // Slept past the window's start and woke outside it: the next window, not the middle of the day.
        const QDateTime next = placeInWindow(now, p.hardDeadline);
        if (next > now.addSecs(countdownSecs)) {
            p.deadline = next;
            p.countdownStarted = QDateTime();
            p.lastReminder = now;
            persist();
            qCInfo(lcAgent).noquote() << QStringLiteral("the planned time passed unattended outside the restart "
                                                        "window: the %1 waits for the next window at %2")
                                             .arg(actionWord(), localTime(next));
            notifyAll({QStringLiteral("System %1 pending").arg(actionWord()),
                       QStringLiteral("This computer will %1 at %2 because %3.")
                           .arg(actionWord(), localTime(next), reasonText()),
                       false});
            Q_EMIT changed();
            Q_EMIT reminderDue();
            return;
        }
    }
    if (missed || (!p.countdownStarted.isValid() && now >= p.deadline.addSecs(-countdownSecs))) {
        p.countdownStarted = now;
        if (missed)
            p.deadline = now.addSecs(countdownSecs);
        persist();
        qCInfo(lcAgent).noquote() << QStringLiteral("final countdown%1: the %2 happens at %3 (%4 UTC)")
                                         .arg(missed ? QStringLiteral(" (the planned time passed unattended)")
                                                     : QString(),
                                              actionWord(), localTime(p.deadline), iso(p.deadline));
        const qint64 minutesLeft = (now.secsTo(p.deadline) + 59) / 60;
        notifyAll({QStringLiteral("System %1 in %2 minute(s)").arg(actionWord()).arg(minutesLeft),
                   QStringLiteral("This computer will %1 at %2 because %3. Save your work now.")
                       .arg(actionWord(), localTime(p.deadline), reasonText()),
                   true});
        Q_EMIT changed();
        if (countdownSecs == 0)
            act(QStringLiteral("the deadline is reached (no final countdown configured)"));
        return;
    }
    // A reminder missed while the machine slept comes at wake-up (once, not one per missed slot).
    if (!p.countdownStarted.isValid() && now >= nextReminder()) {
        p.lastReminder = now;
        persist();
        const int left = std::max(0, m_config.maxPostponements - p.postponementsUsed);
        notifyAll({QStringLiteral("System %1 pending").arg(actionWord()),
                   QStringLiteral("This computer will %1 at %2 because %3. Postponements left: %4.")
                       .arg(actionWord(), localTime(p.deadline), reasonText())
                       .arg(left),
                   false});
        Q_EMIT reminderDue();
    }
}

void PowerPlanner::act(const QString &why)
{
    if (!m_pending || m_running)
        return;
    const QStringList command =
        m_pending->action == QLatin1String("shutdown") ? m_config.shutdownCommand : m_config.restartCommand;
    if (command.isEmpty()) {
        m_pending->lastError = QStringLiteral("no command is configured");
        return;
    }
    qCInfo(lcAgent).noquote()
        << QStringLiteral("%1 now (%2): running %3").arg(actionWord(true), why, command.join(QLatin1Char(' ')));
    auto *proc = new QProcess(this);
    m_running = proc;
    proc->setProgram(command.first());
    proc->setArguments(command.mid(1));
    proc->setProcessChannelMode(QProcess::MergedChannels);
    proc->setStandardInputFile(QProcess::nullDevice());
    auto done = [this, proc](bool ok, const QString &error) {
        if (m_running != proc)
            return;
        m_running.clear();
        proc->deleteLater();
        if (ok) {
            clear(QStringLiteral("the %1 command succeeded").arg(actionWord()));
        } else if (m_pending) {
            m_pending->lastError = error;
            m_pending->lastAttempt = m_clock.nowUtc();
            persist();
            qCCritical(lcAgent).noquote() << QStringLiteral("the %1 command failed: %2; trying again in %3 minutes")
                                                 .arg(actionWord(), error)
                                                 .arg(kRetrySecs / 60);
            Q_EMIT changed();
        }
        Q_EMIT actionFinished(ok, error);
    };
    connect(proc, &QProcess::finished, this, [proc, done](int code, QProcess::ExitStatus status) {
        const QString out = QString::fromLocal8Bit(proc->readAll()).trimmed().right(500);
        if (status != QProcess::NormalExit)
            done(false, QStringLiteral("the command crashed"));
        else if (code != 0)
            done(false, QStringLiteral("the command exited with %1%2")
                            .arg(code)
                            .arg(out.isEmpty() ? QString() : QStringLiteral(": ") + out));
        else
            done(true, QString());
    });
    connect(proc, &QProcess::errorOccurred, this, [proc, done](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            done(false, QStringLiteral("cannot start %1: %2").arg(proc->program(), proc->errorString()));
    });
    Q_EMIT actionStarted(m_pending->action, command);
    Q_EMIT changed();
    proc->start();
}

} // namespace oco
