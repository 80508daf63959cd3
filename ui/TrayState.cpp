#include "TrayState.h"

#include "ServiceLink.h"

#include <QJsonArray>
#include <QLocale>

namespace oco::ui {

namespace {
QString str(const QJsonObject &o, std::initializer_list<const char *> keys)
{
    for (const char *k : keys) {
        const QJsonValue v = o.value(QLatin1String(k));
        if (v.isString())
            return v.toString();
        if (v.isDouble())
            return QString::number(v.toDouble(), 'g', 15);
    }
    return {};
}
} // namespace

QDateTime Words::parseUtc(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    return t.toUTC();
}

qint64 Words::secondsLeft(const QJsonObject &pending, const QDateTime &nowUtc)
{
    const QDateTime deadline = parseUtc(pending.value(QStringLiteral("deadline")).toString());
    if (!deadline.isValid())
        return qMax<qint64>(0, pending.value(QStringLiteral("seconds_left")).toInteger());
    return qMax<qint64>(0, nowUtc.secsTo(deadline));
}

QString Words::countdown(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString Words::timeLeft(qint64 seconds, bool withSeconds)
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

QString Words::addedTime(int minutes)
{
    const int h = minutes / 60;
    const int m = minutes % 60;
    if (h == 0)
        return tr("+%1 min", "added time").arg(m);
    if (m == 0)
        return tr("+%1 h", "added time").arg(h);
    return tr("+%1 h %2 min", "added time").arg(h).arg(m);
}

QString Words::clockTime(const QDateTime &utc, const QDateTime &nowUtc)
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

QString Words::plannedTime(const QDateTime &utc, const QDateTime &nowUtc)
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

QList<QPair<QString, QString>> Words::timeChoices(const QJsonObject &pending, const QDateTime &nowUtc)
{
    QList<QPair<QString, QString>> out;
    const QString hard = pending.value(QStringLiteral("hard_deadline")).toString();
    const QJsonArray times = pending.value(QStringLiteral("time_choices")).toArray();
    for (const QJsonValue &v : times) {
        const QDateTime t = parseUtc(v.toString());
        if (!t.isValid())
            continue;
        const QString words = plannedTime(t, nowUtc);
        out.append(
            {v.toString(), parseUtc(hard) == t ? tr("%1 (the latest possible)", "postpone choice").arg(words) : words});
    }
    return out;
}

QList<QPair<int, QString>> Words::postponeChoices(const QJsonObject &pending, const QDateTime &nowUtc)
{
    QList<QPair<int, QString>> out;
    const QDateTime deadline = parseUtc(pending.value(QStringLiteral("deadline")).toString());
    const QDateTime base = deadline.isValid() ? qMax(deadline, nowUtc) : nowUtc;
    const QDateTime hard = parseUtc(pending.value(QStringLiteral("hard_deadline")).toString());
    const QJsonArray choices = pending.value(QStringLiteral("choices_minutes")).toArray();
    // The service says where each choice lands (a restart window may move it); older services do not.
    const QJsonArray untils = pending.value(QStringLiteral("choices_until")).toArray();
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const int minutes = choices.at(i).toInt();
        QDateTime until = base.addSecs(60LL * minutes);
        if (i < untils.size() && parseUtc(untils.at(i).toString()).isValid())
            until = parseUtc(untils.at(i).toString());
        if (hard.isValid() && until >= hard) {
            out.append({minutes, tr("%1 (the latest possible)", "postpone choice").arg(clockTime(hard, nowUtc))});
            break; // later choices would end at the same time
        }
        out.append({minutes, tr("%1 (%2)", "postpone choice: resulting time (added time)")
                                 .arg(clockTime(until, nowUtc), addedTime(minutes))});
    }
    return out;
}

QString Words::minutesChoice(int minutes)
{
    if (minutes % 60 == 0)
        return tr("%n hour(s)", "postpone choice", minutes / 60);
    return tr("%n minute(s)", "postpone choice", minutes);
}

QString Words::localTime(const QDateTime &utc)
{
    if (!utc.isValid())
        return tr("never");
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return QLocale().toString(local.time(), QLocale::ShortFormat);
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString Words::localTime(const QString &isoUtc)
{
    if (isoUtc.isEmpty())
        return tr("never");
    const QDateTime t = parseUtc(isoUtc);
    if (!t.isValid())
        return isoUtc;
    return localTime(t);
}

QString Words::errorKind(const QString &kind)
{
    if (kind == QLatin1String("unreachable"))
        return tr("The server cannot be reached.");
    if (kind == QLatin1String("timeout"))
        return tr("The server did not answer in time.");
    if (kind == QLatin1String("tls"))
        return tr("The server's certificate was not accepted.");
    if (kind == QLatin1String("auth"))
        return tr("The server did not accept this computer's agent key.");
    if (kind == QLatin1String("http"))
        return tr("The server answered with an error.");
    if (kind == QLatin1String("malformed"))
        return tr("The server's answer could not be understood.");
    if (kind == QLatin1String("security"))
        return tr("The server's answer failed a security check.");
    if (kind == QLatin1String("clock-skew"))
        return tr("This computer's clock differs too much from the server's.");
    if (kind == QLatin1String("local"))
        return tr("A problem on this computer stopped the agent.");
    return tr("An error occurred.");
}

QString Words::serviceState(const QString &state)
{
    if (state == QLatin1String("idle"))
        return tr("Connected, idle");
    if (state == QLatin1String("contacting"))
        return tr("Contacting the server");
    if (state == QLatin1String("inventory"))
        return tr("Sending the inventory");
    if (state == QLatin1String("job"))
        return tr("Running a job");
    if (state == QLatin1String("error"))
        return tr("Error");
    if (state == QLatin1String("starting"))
        return tr("Starting");
    return state;
}

QString Words::stateName(TrayState state)
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

QString Words::jobLabel(const QJsonObject &job)
{
    const QString id = str(job, {"id", "job_id"});
    const QString package = str(job, {"package_name", "package", "package_id", "package-id"});
    if (package.isEmpty())
        return tr("Job %1").arg(id);
    return tr("Job %1 (package %2)").arg(id, package);
}

QString Words::powerReason(const QJsonObject &pending)
{
    const bool shutdown = pending.value(QStringLiteral("action")).toString() == QLatin1String("shutdown");
    const QJsonValue package = pending.value(QStringLiteral("package_id"));
    // The server sends a package's number or, with newer servers, its name.
    if (package.isString() && !package.toString().isEmpty()) {
        const QString name = package.toString();
        return shutdown ? tr("The software change “%1” needs this computer to shut down.").arg(name)
                        : tr("The software change “%1” needs a restart to take effect.").arg(name);
    }
    const QString number = str(pending, {"package_id"});
    if (!number.isEmpty())
        return shutdown ? tr("A software change from package %1 needs this computer to shut down.").arg(number)
                        : tr("A software change from package %1 needs a restart to take effect.").arg(number);
    return shutdown ? tr("A software change needs this computer to shut down.")
                    : tr("A software change needs a restart to take effect.");
}

QString Words::jobState(const QString &state)
{
    if (state == QLatin1String("succeeded") || state == QLatin1String("success") || state == QLatin1String("done"))
        return tr("Succeeded");
    if (state == QLatin1String("failed"))
        return tr("Failed");
    if (state == QLatin1String("running"))
        return tr("Running");
    if (state == QLatin1String("pending") || state == QLatin1String("waiting"))
        return tr("Waiting");
    if (state == QLatin1String("held"))
        return tr("Held until the restart");
    if (state == QLatin1String("cancelled") || state == QLatin1String("canceled"))
        return tr("Cancelled");
    return state;
}

QString Words::phase(const QString &phase)
{
    if (phase == QLatin1String("download"))
        return tr("Downloading");
    if (phase == QLatin1String("extract"))
        return tr("Unpacking");
    if (phase == QLatin1String("execute"))
        return tr("Running the procedure");
    return phase;
}

TrayView Words::describe(const ServiceLink &link, const QDateTime &nowUtc)
{
    TrayView v;
    if (!link.isConnected()) {
        v.state = TrayState::NotRunning;
        v.tooltip = tr("OCO Agent: not running") + QLatin1Char('\n') +
                    (link.connectError().isEmpty() ? tr("Waiting for the service…") : link.connectError());
        return v;
    }
    const QJsonObject pending = link.powerPending();
    const QJsonObject running = link.jobs().value(QStringLiteral("running")).toObject();
    const QJsonObject status = link.status();
    const QString state = status.value(QStringLiteral("state")).toString();
    if (!pending.isEmpty()) {
        v.state = TrayState::PowerPending;
        const QString left = timeLeft(secondsLeft(pending, nowUtc));
        const QString at = clockTime(parseUtc(pending.value(QStringLiteral("deadline")).toString()), nowUtc);
        if (pending.value(QStringLiteral("action")).toString() == QLatin1String("shutdown"))
            v.tooltip = tr("OCO Agent: shutdown at %1 (%2)").arg(at, left);
        else
            v.tooltip = tr("OCO Agent: restart at %1 (%2)").arg(at, left);
    } else if (!running.isEmpty()) {
        v.state = TrayState::JobRunning;
        v.progress = running.contains(QStringLiteral("progress"))
                         ? qBound(0, running.value(QStringLiteral("progress")).toInt(), 100)
                         : -1;
        const QString what = jobLabel(running);
        const QString phaseText = phase(running.value(QStringLiteral("phase")).toString());
        if (v.progress >= 0)
            v.tooltip = tr("OCO Agent: %1, %2, %3 %").arg(what, phaseText).arg(v.progress);
        else
            v.tooltip = tr("OCO Agent: %1, %2").arg(what, phaseText);
    } else if (state == QLatin1String("error")) {
        v.state = TrayState::Error;
        const QString cause = errorKind(status.value(QStringLiteral("error_kind")).toString());
        const QString detail = status.value(QStringLiteral("last_error")).toString();
        v.tooltip = tr("OCO Agent: error") + QLatin1Char('\n') + cause;
        if (!detail.isEmpty())
            v.tooltip += QLatin1Char('\n') + detail;
    } else if (state == QLatin1String("contacting") || state == QLatin1String("inventory") ||
               state == QLatin1String("starting") || state == QLatin1String("job")) {
        v.state = TrayState::Syncing;
        v.tooltip = tr("OCO Agent: %1").arg(serviceState(state));
    } else {
        v.state = TrayState::Idle;
        v.tooltip = tr("OCO Agent: connected") + QLatin1Char('\n') +
                    tr("Last contact: %1").arg(localTime(status.value(QStringLiteral("last_contact")).toString()));
    }
    return v;
}

} // namespace oco::ui
