#include "TrayState.h"

#include "ServiceClient.h"

#include <QJsonArray>
#include <QLocale>

namespace oco::ui {

namespace {
QString text(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : v.toString();
}
} // namespace

QDateTime TrayText::parseUtc(const QString &iso)
{
    return control::timeFrom(iso);
}

qint64 TrayText::secondsLeft(const control::PowerPending &pending, const QDateTime &nowUtc)
{
    if (!pending.deadline.isValid())
        return qMax<qint64>(0, pending.secondsLeft);
    return qMax<qint64>(0, nowUtc.secsTo(pending.deadline));
}

QString TrayText::countdown(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString TrayText::timeLeft(qint64 seconds, bool withSeconds)
{
    if (seconds <= 0)
        return tr("now");
    if (withSeconds && seconds < 3600) {
        const qint64 m = seconds / 60;
        const qint64 s = seconds % 60;
        if (m == 0)
            return tr("in %1 s", "time left").arg(s);
        return tr("in %1 min %2 s", "time left").arg(m).arg(s);
    }
    const qint64 minutes = (seconds + 59) / 60;
    const qint64 h = minutes / 60;
    const qint64 m = minutes % 60;
    if (h == 0)
        return tr("in %1 min", "time left").arg(m);
    if (m == 0)
        return tr("in %1 h", "time left").arg(h);
    return tr("in %1 h %2 min", "time left").arg(h).arg(m);
}

QString TrayText::addedTime(int minutes)
{
    const int h = minutes / 60;
    const int m = minutes % 60;
    if (h == 0)
        return tr("+%1 min", "added time").arg(m);
    if (m == 0)
        return tr("+%1 h", "added time").arg(h);
    return tr("+%1 h %2 min", "added time").arg(h).arg(m);
}

QString TrayText::clockTime(const QDateTime &utc, const QDateTime &nowUtc)
{
    if (!utc.isValid())
        return tr("never");
    const QDateTime local = utc.toLocalTime();
    const QDate today = nowUtc.toLocalTime().date();
    const QString time = QLocale().toString(local.time(), QLocale::ShortFormat);
    if (local.date() == today)
        return time;
    if (local.date() == today.addDays(1))
        return tr("tomorrow %1").arg(time);
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString TrayText::plannedTime(const QDateTime &utc, const QDateTime &nowUtc)
{
    if (!utc.isValid())
        return tr("never");
    const QDateTime local = utc.toLocalTime();
    const QDate today = nowUtc.toLocalTime().date();
    const QString time = QLocale().toString(local.time(), QLocale::ShortFormat);
    if (local.date() == today)
        return local.time().hour() >= 18 ? tr("tonight at %1").arg(time) : tr("today at %1").arg(time);
    if (local.date() == today.addDays(1))
        return tr("tomorrow at %1").arg(time);
    if (local.date() > today && local.date() < today.addDays(7))
        return tr("on %1 at %2", "weekday, time").arg(QLocale().dayName(local.date().dayOfWeek()), time);
    return tr("on %1", "date and time").arg(QLocale().toString(local, QLocale::ShortFormat));
}

QList<QPair<QString, QString>> TrayText::timeChoices(const control::PowerPending &pending, const QDateTime &nowUtc)
{
    QList<QPair<QString, QString>> out;
    for (const QDateTime &t : pending.timeChoices) {
        if (!t.isValid())
            continue;
        const QString words = plannedTime(t, nowUtc);
        out.append({control::timeJson(t).toString(),
                    pending.hardDeadline == t ? tr("%1 (the latest possible)", "postpone choice").arg(words) : words});
    }
    return out;
}

QList<QPair<int, QString>> TrayText::postponeChoices(const control::PowerPending &pending, const QDateTime &nowUtc)
{
    QList<QPair<int, QString>> out;
    const QDateTime deadline = pending.deadline;
    const QDateTime base = deadline.isValid() ? qMax(deadline, nowUtc) : nowUtc;
    const QDateTime hard = pending.hardDeadline;
    const QList<int> &choices = pending.choicesMinutes;
    // The service says where each choice lands (a restart window may move it); older services do not.
    const QList<QDateTime> &untils = pending.choicesUntil;
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const int minutes = choices.at(i);
        QDateTime until = base.addSecs(60LL * minutes);
        if (i < untils.size() && untils.at(i).isValid())
            until = untils.at(i);
        if (hard.isValid() && until >= hard) {
            out.append({minutes, tr("%1 (the latest possible)", "postpone choice").arg(clockTime(hard, nowUtc))});
            break; // later choices would end at the same time
        }
        out.append({minutes, tr("%1 (%2)", "postpone choice: resulting time (added time)")
                                 .arg(clockTime(until, nowUtc), addedTime(minutes))});
    }
    return out;
}

QString TrayText::minutesChoice(int minutes)
{
    if (minutes % 60 == 0)
        return tr("%n hour(s)", "postpone choice", minutes / 60);
    return tr("%n minute(s)", "postpone choice", minutes);
}

QString TrayText::localTime(const QDateTime &utc)
{
    if (!utc.isValid())
        return tr("never");
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return QLocale().toString(local.time(), QLocale::ShortFormat);
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString TrayText::localTime(const QString &isoUtc)
{
    if (isoUtc.isEmpty())
        return tr("never");
    const QDateTime t = parseUtc(isoUtc);
    if (!t.isValid())
        return isoUtc;
    return localTime(t);
}

QString TrayText::errorKind(control::ErrorKind kind)
{
    using control::ErrorKind;
    switch (kind) {
    case ErrorKind::Unreachable:
        return tr("The server cannot be reached.");
    case ErrorKind::Timeout:
        return tr("The server did not answer in time.");
    case ErrorKind::Tls:
        return tr("The server's certificate was not accepted.");
    case ErrorKind::Auth:
        return tr("The server did not accept this computer's agent key.");
    case ErrorKind::Http:
        return tr("The server answered with an error.");
    case ErrorKind::Malformed:
        return tr("The server's answer could not be understood.");
    case ErrorKind::Security:
        return tr("The server's answer failed a security check.");
    case ErrorKind::ClockSkew:
        return tr("This computer's clock differs too much from the server's.");
    case ErrorKind::Local:
        return tr("A problem on this computer stopped the agent.");
    case ErrorKind::Ok:
    case ErrorKind::Unknown:
        break;
    }
    return tr("An error occurred.");
}

QString TrayText::serviceState(control::AgentState state)
{
    using control::AgentState;
    switch (state) {
    case AgentState::Idle:
        return tr("Connected, idle");
    case AgentState::Contacting:
        return tr("Contacting the server");
    case AgentState::Inventory:
        return tr("Sending the inventory");
    case AgentState::Job:
        return tr("Running a job");
    case AgentState::Error:
        return tr("Error");
    case AgentState::Starting:
        return tr("Starting");
    case AgentState::Unknown:
        break;
    }
    return {};
}

QString TrayText::stateName(TrayState state)
{
    switch (state) {
    case TrayState::NotRunning:
        return tr("Agent not running");
    case TrayState::Idle:
        return tr("Connected");
    case TrayState::Syncing:
        return tr("Syncing");
    case TrayState::JobRunning:
        return tr("Job running");
    case TrayState::PowerPending:
        return tr("Restart or shutdown pending");
    case TrayState::Error:
        return tr("Error");
    }
    return {};
}

QString TrayText::jobLabel(const QJsonValue &id, const QJsonValue &package)
{
    const QString name = text(package);
    if (name.isEmpty())
        return tr("Job %1").arg(text(id));
    return tr("Job %1 (package %2)").arg(text(id), name);
}

QString TrayText::powerReason(const control::PowerPending &pending)
{
    const bool shutdown = pending.isShutdown();
    const QJsonValue package = pending.packageId;
    // The server sends a package's number or, with newer servers, its name.
    if (package.isString() && !package.toString().isEmpty()) {
        const QString name = package.toString();
        return shutdown ? tr("The software change “%1” needs this computer to shut down.").arg(name)
                        : tr("The software change “%1” needs a restart to take effect.").arg(name);
    }
    const QString number = package.isDouble() ? text(package) : QString();
    if (!number.isEmpty())
        return shutdown ? tr("A software change from package %1 needs this computer to shut down.").arg(number)
                        : tr("A software change from package %1 needs a restart to take effect.").arg(number);
    return shutdown ? tr("A software change needs this computer to shut down.")
                    : tr("A software change needs a restart to take effect.");
}

QString TrayText::jobResult(control::JobResult result)
{
    switch (result) {
    case control::JobResult::Succeeded:
        return tr("Succeeded");
    case control::JobResult::Failed:
        return tr("Failed");
    case control::JobResult::Unknown:
        break;
    }
    return {};
}

QString TrayText::phase(control::JobPhase phase)
{
    switch (phase) {
    case control::JobPhase::Download:
        return tr("Downloading");
    case control::JobPhase::Extract:
        return tr("Unpacking");
    case control::JobPhase::Execute:
        return tr("Running the procedure");
    case control::JobPhase::Unknown:
        break;
    }
    return {};
}

TrayView TrayText::describe(const ServiceClient &link, const QDateTime &nowUtc)
{
    TrayView v;
    if (!link.isConnected()) {
        v.state = TrayState::NotRunning;
        v.tooltip = tr("OCO Agent: not running") + QLatin1Char('\n') +
                    (link.connectError().isEmpty() ? tr("Waiting for the service…") : link.connectError());
        return v;
    }
    const control::PowerPending &pending = link.powerPending();
    const std::optional<control::RunningJob> &running = link.jobs().running;
    const control::Status &status = link.status();
    using control::AgentState;
    if (!pending.isEmpty()) {
        v.state = TrayState::PowerPending;
        const QString left = timeLeft(secondsLeft(pending, nowUtc));
        const QString at = clockTime(pending.deadline, nowUtc);
        if (pending.isShutdown())
            v.tooltip = tr("OCO Agent: shutdown at %1 (%2)").arg(at, left);
        else
            v.tooltip = tr("OCO Agent: restart at %1 (%2)").arg(at, left);
    } else if (running) {
        v.state = TrayState::JobRunning;
        v.progress = running->progress ? qBound(0, int(*running->progress), 100) : -1;
        const QString what = jobLabel(running->id, running->packageId);
        const QString phaseText = phase(running->phase);
        if (v.progress >= 0)
            v.tooltip = tr("OCO Agent: %1, %2, %3 %").arg(what, phaseText).arg(v.progress);
        else
            v.tooltip = tr("OCO Agent: %1, %2").arg(what, phaseText);
    } else if (status.state == AgentState::Error) {
        v.state = TrayState::Error;
        v.tooltip = tr("OCO Agent: error") + QLatin1Char('\n') + errorKind(status.errorKind);
        if (!status.lastError.isEmpty())
            v.tooltip += QLatin1Char('\n') + status.lastError;
    } else if (status.state == AgentState::Contacting || status.state == AgentState::Inventory ||
               status.state == AgentState::Starting || status.state == AgentState::Job) {
        v.state = TrayState::Syncing;
        v.tooltip = tr("OCO Agent: %1").arg(serviceState(status.state));
    } else {
        v.state = TrayState::Idle;
        v.tooltip =
            tr("OCO Agent: connected") + QLatin1Char('\n') + tr("Last contact: %1").arg(localTime(status.lastContact));
    }
    return v;
}

} // namespace oco::ui
