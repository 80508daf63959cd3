#include "Messages.h"

namespace oco::control {

namespace {
// Member names used in more than one message.
const QLatin1String kType("type");
const QLatin1String kId("id");
const QLatin1String kPackageId("package_id");
const QLatin1String kMessage("message");
const QLatin1String kStarted("started");
const QLatin1String kReason("reason");

QJsonObject typed(MessageType t, QJsonObject o)
{
    o.insert(kType, wireName(t));
    return o;
}

QJsonValue optionalInt(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

std::optional<int> intFrom(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<int>(v.toInt()) : std::nullopt;
}

QJsonArray timesJson(const QList<QDateTime> &times)
{
    QJsonArray a;
    for (const QDateTime &t : times)
        a.append(timeJson(t));
    return a;
}

QList<QDateTime> timesFrom(const QJsonValue &v)
{
    QList<QDateTime> out;
    for (const QJsonValue &t : v.toArray())
        out << timeFrom(t);
    return out;
}
} // namespace

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue();
}

QDateTime timeFrom(const QJsonValue &v)
{
    const QString iso = v.toString();
    if (iso.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    return t.toUTC();
}

QJsonObject Hello::toJson() const
{
    return typed(MessageType::Hello, {{QStringLiteral("version"), version}, {QStringLiteral("client"), client}});
}

bool Hello::fromJson(const QJsonObject &o, Hello *hello, QString *error)
{
    if (messageTypeOf(o) != MessageType::Hello) {
        *error = QStringLiteral("the first message must be a hello");
        return false;
    }
    const QJsonValue v = o.value(QLatin1String("version"));
    if (!v.isDouble() || v.toDouble() != kProtocolVersion) {
        *error = QStringLiteral("protocol version %1 is not supported; this service speaks %2")
                     .arg(v.isDouble() ? QString::number(v.toDouble()) : QStringLiteral("(none)"))
                     .arg(kProtocolVersion);
        return false;
    }
    hello->version = kProtocolVersion;
    hello->client = o.value(QLatin1String("client")).toString().left(100);
    return true;
}

QJsonObject PeerInfo::toJson() const
{
    return {{QStringLiteral("uid"), uid},     {QStringLiteral("gid"), gid},
            {QStringLiteral("pid"), pid},     {QStringLiteral("user"), user},
            {QStringLiteral("admin"), admin}, {QStringLiteral("has_session"), hasSession}};
}

PeerInfo PeerInfo::fromJson(const QJsonObject &o)
{
    PeerInfo p;
    p.uid = o.value(QLatin1String("uid")).toInteger(-1);
    p.gid = o.value(QLatin1String("gid")).toInteger(-1);
    p.pid = o.value(QLatin1String("pid")).toInteger();
    p.user = o.value(QLatin1String("user")).toString();
    p.admin = o.value(QLatin1String("admin")).toBool();
    p.hasSession = o.value(QLatin1String("has_session")).toBool();
    return p;
}

QJsonObject Welcome::toJson() const
{
    return typed(MessageType::Welcome, {{QStringLiteral("version"), version},
                                        {QStringLiteral("agent_version"), agentVersion},
                                        {QStringLiteral("peer"), peer.toJson()}});
}

Welcome Welcome::fromJson(const QJsonObject &o)
{
    Welcome w;
    w.version = o.value(QLatin1String("version")).toInt();
    w.agentVersion = o.value(QLatin1String("agent_version")).toString();
    w.peer = PeerInfo::fromJson(o.value(QLatin1String("peer")).toObject());
    return w;
}

QJsonObject Refused::toJson() const
{
    return typed(MessageType::Refused, {{kReason, reason}});
}

Refused Refused::fromJson(const QJsonObject &o)
{
    return {o.value(kReason).toString()};
}

QJsonObject Request::toJson() const
{
    QJsonObject o = params;
    o.insert(kType, wireName(type));
    o.insert(kId, id);
    return o;
}

Request Request::fromJson(const QJsonObject &o)
{
    Request r;
    r.type = requestTypeOf(o);
    r.id = o.value(kId);
    r.params = o;
    r.params.remove(kType);
    r.params.remove(kId);
    return r;
}

QJsonObject Reply::toJson() const
{
    QJsonObject o = members;
    o.insert(kType, wireName(MessageType::Reply));
    o.insert(kId, id);
    o.insert(QLatin1String("ok"), ok);
    if (!ok)
        o.insert(kReason, reason.isEmpty() ? QStringLiteral("refused") : reason);
    else if (!reason.isEmpty())
        o.insert(kReason, reason);
    if (!message.isEmpty())
        o.insert(kMessage, message);
    if (!result.isEmpty())
        o.insert(QLatin1String("result"), result);
    return o;
}

Reply Reply::fromJson(const QJsonObject &o)
{
    Reply r;
    r.members = o;
    for (const QString &key : {QStringLiteral("type"), QStringLiteral("id"), QStringLiteral("ok"),
                               QStringLiteral("reason"), QStringLiteral("message"), QStringLiteral("result")})
        r.members.remove(key);
    r.id = o.value(kId);
    r.ok = o.value(QLatin1String("ok")).toBool();
    r.reason = o.value(kReason).toString();
    r.message = o.value(kMessage).toString();
    r.result = o.value(QLatin1String("result")).toString();
    return r;
}

QJsonObject Reply::complete(QJsonObject members, const QJsonValue &id)
{
    members.insert(kType, wireName(MessageType::Reply));
    members.insert(kId, id);
    if (!members.contains(QLatin1String("ok")))
        members.insert(QLatin1String("ok"), true);
    if (!members.value(QLatin1String("ok")).toBool() && !members.contains(kReason))
        members.insert(kReason, QStringLiteral("refused"));
    return members;
}

Reply Reply::refusal(const QString &reason)
{
    Reply r;
    r.ok = false;
    r.reason = reason;
    return r;
}

Reply Reply::accepted(const QString &message)
{
    Reply r;
    r.message = message;
    return r;
}

QJsonObject Status::toJson() const
{
    return typed(MessageType::Status, {{QStringLiteral("state"), wireName(state)},
                                       {QStringLiteral("server"), server},
                                       {QStringLiteral("dialect"), dialect},
                                       {QStringLiteral("last_contact"), timeJson(lastContact)},
                                       {QStringLiteral("last_success"), timeJson(lastSuccess)},
                                       {QStringLiteral("next_contact"), timeJson(nextContact)},
                                       {QStringLiteral("last_inventory"), timeJson(lastInventory)},
                                       {QStringLiteral("last_error"), lastError},
                                       {QStringLiteral("error_kind"), wireName(errorKind)},
                                       {QStringLiteral("held"), held}});
}

Status Status::fromJson(const QJsonObject &o)
{
    Status s;
    s.state = agentStateFrom(o.value(QLatin1String("state")).toString());
    s.server = o.value(QLatin1String("server")).toString();
    s.dialect = o.value(QLatin1String("dialect")).toString();
    s.lastContact = timeFrom(o.value(QLatin1String("last_contact")));
    s.lastSuccess = timeFrom(o.value(QLatin1String("last_success")));
    s.nextContact = timeFrom(o.value(QLatin1String("next_contact")));
    s.lastInventory = timeFrom(o.value(QLatin1String("last_inventory")));
    s.lastError = o.value(QLatin1String("last_error")).toString();
    const QString kind = o.value(QLatin1String("error_kind")).toString();
    s.errorKind = kind.isEmpty() ? ErrorKind::Ok : errorKindFrom(kind);
    s.held = o.value(QLatin1String("held")).toString();
    return s;
}

QJsonObject InventoryPush::toJson() const
{
    const bool none = inventory.isEmpty();
    return typed(MessageType::Inventory, {{QStringLiteral("inventory"), none ? QJsonValue() : QJsonValue(inventory)},
                                          {QStringLiteral("collected"), none ? QJsonValue() : timeJson(collected)}});
}

InventoryPush InventoryPush::fromJson(const QJsonObject &o)
{
    return {o.value(QLatin1String("inventory")).toObject(), timeFrom(o.value(QLatin1String("collected")))};
}

QJsonObject JobInfo::toJson() const
{
    return {{kId, id},
            {QStringLiteral("container_id"), containerId},
            {kPackageId, packageId},
            {QStringLiteral("download"), download},
            {QStringLiteral("restart"), optionalInt(restartMinutes)},
            {QStringLiteral("shutdown"), optionalInt(shutdownMinutes)},
            {QStringLiteral("exit"), optionalInt(exitMinutes)}};
}

JobInfo JobInfo::fromJson(const QJsonObject &o)
{
    JobInfo j;
    j.id = o.value(kId);
    j.containerId = o.value(QLatin1String("container_id"));
    j.packageId = o.value(kPackageId);
    j.download = o.value(QLatin1String("download")).toBool();
    j.restartMinutes = intFrom(o.value(QLatin1String("restart")));
    j.shutdownMinutes = intFrom(o.value(QLatin1String("shutdown")));
    j.exitMinutes = intFrom(o.value(QLatin1String("exit")));
    return j;
}

QJsonObject RunningJob::toJson() const
{
    QJsonObject o = JobInfo::toJson();
    o.insert(QLatin1String("phase"), wireName(phase));
    if (progress)
        o.insert(QLatin1String("progress"), *progress);
    if (outputTail)
        o.insert(QLatin1String("output_tail"), *outputTail);
    o.insert(kStarted, timeJson(started));
    return o;
}

RunningJob RunningJob::fromJson(const QJsonObject &o)
{
    RunningJob r;
    static_cast<JobInfo &>(r) = JobInfo::fromJson(o);
    r.phase = jobPhaseFrom(o.value(QLatin1String("phase")).toString());
    if (o.value(QLatin1String("progress")).isDouble())
        r.progress = o.value(QLatin1String("progress")).toDouble();
    if (o.contains(QLatin1String("output_tail")))
        r.outputTail = o.value(QLatin1String("output_tail")).toString();
    r.started = timeFrom(o.value(kStarted));
    return r;
}

QJsonObject JobRecord::toJson() const
{
    QJsonObject o{{kId, id},
                  {kPackageId, packageId},
                  {QStringLiteral("state"), wireName(result)},
                  {QStringLiteral("return_code"), optionalInt(returnCode)},
                  {kStarted, timeJson(started)},
                  {QStringLiteral("finished"), timeJson(finished)},
                  {QStringLiteral("reported"), reported}};
    if (message)
        o.insert(kMessage, *message);
    return o;
}

JobRecord JobRecord::fromJson(const QJsonObject &o)
{
    JobRecord r;
    r.id = o.value(kId);
    r.packageId = o.value(kPackageId);
    r.result = jobResultFrom(o.value(QLatin1String("state")).toString());
    r.returnCode = intFrom(o.value(QLatin1String("return_code")));
    r.started = timeFrom(o.value(kStarted));
    r.finished = timeFrom(o.value(QLatin1String("finished")));
    r.reported = o.value(QLatin1String("reported")).toBool();
    if (o.contains(kMessage))
        r.message = o.value(kMessage).toString();
    return r;
}

QJsonArray Jobs::historyJson(const QList<JobRecord> &history)
{
    QJsonArray a;
    for (const JobRecord &r : history)
        a.append(r.toJson());
    return a;
}

QList<JobRecord> Jobs::historyFrom(const QJsonArray &a)
{
    QList<JobRecord> out;
    for (const QJsonValue &v : a)
        out << JobRecord::fromJson(v.toObject());
    return out;
}

QJsonObject Jobs::toJson() const
{
    QJsonArray p;
    for (const JobInfo &j : pending)
        p.append(j.toJson());
    return typed(MessageType::Jobs,
                 {{QStringLiteral("pending"), p},
                  {QStringLiteral("running"), running ? QJsonValue(running->toJson()) : QJsonValue()},
                  {QStringLiteral("history"), historyJson(history)}});
}

Jobs Jobs::fromJson(const QJsonObject &o)
{
    Jobs j;
    for (const QJsonValue &v : o.value(QLatin1String("pending")).toArray())
        j.pending << JobInfo::fromJson(v.toObject());
    const QJsonObject running = o.value(QLatin1String("running")).toObject();
    if (!running.isEmpty())
        j.running = RunningJob::fromJson(running);
    j.history = historyFrom(o.value(QLatin1String("history")).toArray());
    return j;
}

QJsonObject PowerPending::toJson() const
{
    if (!present)
        return {};
    QJsonArray choices;
    for (int m : choicesMinutes)
        choices.append(m);
    QJsonObject o{{QStringLiteral("action"), wireName(action)},
                  {kReason, reason},
                  {QStringLiteral("job_id"), jobId},
                  {kPackageId, packageId},
                  {QStringLiteral("job_finished"), timeJson(jobFinished)},
                  {QStringLiteral("deadline"), timeJson(deadline)},
                  {QStringLiteral("deadline_local"), deadlineLocal},
                  {QStringLiteral("seconds_left"), secondsLeft},
                  {QStringLiteral("postponements_used"), postponementsUsed},
                  {QStringLiteral("postponements_left"), postponementsLeft},
                  {QStringLiteral("choices_minutes"), choices},
                  {QStringLiteral("can_postpone"), canPostpone},
                  {QStringLiteral("final_countdown"), finalCountdown},
                  {QStringLiteral("final_countdown_minutes"), finalCountdownMinutes},
                  {QStringLiteral("hard_deadline"), timeJson(hardDeadline)},
                  {QStringLiteral("postponements"), postponements},
                  {QStringLiteral("running"), running},
                  {QStringLiteral("last_error"), lastError},
                  {QStringLiteral("choices_until"), timesJson(choicesUntil)},
                  {QStringLiteral("time_choices"), timesJson(timeChoices)},
                  {QStringLiteral("window"), window},
                  {QStringLiteral("waiting_for_window"), waitingForWindow},
                  {QStringLiteral("next_reminder"), timeJson(nextReminder)}};
    if (!message.isEmpty())
        o.insert(kMessage, message);
    if (!infoUrl.isEmpty())
        o.insert(QLatin1String("info_url"), infoUrl);
    return o;
}

PowerPending PowerPending::fromJson(const QJsonObject &o)
{
    PowerPending p;
    const std::optional<PowerAction> action = powerActionFrom(o.value(QLatin1String("action")).toString());
    if (!action)
        return p;
    p.present = true;
    p.action = *action;
    p.reason = o.value(kReason).toString();
    p.jobId = o.value(QLatin1String("job_id"));
    p.packageId = o.value(kPackageId);
    p.jobFinished = timeFrom(o.value(QLatin1String("job_finished")));
    p.message = o.value(kMessage).toString();
    p.infoUrl = o.value(QLatin1String("info_url")).toString();
    p.deadline = timeFrom(o.value(QLatin1String("deadline")));
    p.deadlineLocal = o.value(QLatin1String("deadline_local")).toString();
    p.secondsLeft = o.value(QLatin1String("seconds_left")).toInteger();
    p.postponementsUsed = o.value(QLatin1String("postponements_used")).toInt();
    p.postponementsLeft = o.value(QLatin1String("postponements_left")).toInt();
    for (const QJsonValue &m : o.value(QLatin1String("choices_minutes")).toArray())
        p.choicesMinutes << m.toInt();
    p.canPostpone = o.value(QLatin1String("can_postpone")).toBool();
    p.finalCountdown = o.value(QLatin1String("final_countdown")).toBool();
    p.finalCountdownMinutes = o.value(QLatin1String("final_countdown_minutes")).toInt(5);
    p.hardDeadline = timeFrom(o.value(QLatin1String("hard_deadline")));
    p.postponements = o.value(QLatin1String("postponements")).toArray();
    p.running = o.value(QLatin1String("running")).toBool();
    p.lastError = o.value(QLatin1String("last_error")).toString();
    p.choicesUntil = timesFrom(o.value(QLatin1String("choices_until")));
    p.timeChoices = timesFrom(o.value(QLatin1String("time_choices")));
    p.window = o.value(QLatin1String("window")).toString();
    p.waitingForWindow = o.value(QLatin1String("waiting_for_window")).toBool();
    p.nextReminder = timeFrom(o.value(QLatin1String("next_reminder")));
    p.reminder = o.value(QLatin1String("reminder")).toBool();
    return p;
}

QJsonObject PowerPush::toJson() const
{
    QJsonObject o = typed(MessageType::Power,
                          {{QStringLiteral("pending"), pending.isEmpty() ? QJsonValue() : QJsonValue(pending)}});
    if (reminder)
        o.insert(QLatin1String("reminder"), true);
    return o;
}

PowerPending PowerPush::pendingFrom(const QJsonObject &push)
{
    PowerPending p = PowerPending::fromJson(push.value(QLatin1String("pending")).toObject());
    p.reminder = p.present && push.value(QLatin1String("reminder")).toBool();
    return p;
}

QJsonObject LogRecord::toJson() const
{
    return {{QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("level"), wireName(level)},
            {QStringLiteral("category"), category},
            {kMessage, message}};
}

LogRecord LogRecord::fromJson(const QJsonObject &o)
{
    LogRecord r;
    r.time = timeFrom(o.value(QLatin1String("time")));
    r.level = logLevelFrom(o.value(QLatin1String("level")).toString()).value_or(LogLevel::Info);
    r.category = o.value(QLatin1String("category")).toString();
    r.message = o.value(kMessage).toString();
    return r;
}

QJsonArray LogPush::linesJson(const QList<LogRecord> &lines)
{
    QJsonArray a;
    for (const LogRecord &r : lines)
        a.append(r.toJson());
    return a;
}

QJsonObject LogPush::toJson() const
{
    return typed(MessageType::Log, {{QStringLiteral("lines"), linesJson(lines)}});
}

LogPush LogPush::fromJson(const QJsonObject &o)
{
    LogPush p;
    for (const QJsonValue &v : o.value(QLatin1String("lines")).toArray())
        p.lines << LogRecord::fromJson(v.toObject());
    return p;
}

QJsonObject AdminVoicePush::toJson() const
{
    QJsonObject o;
    for (auto it = texts.cbegin(); it != texts.cend(); ++it) {
        QJsonObject perLanguage;
        for (auto t = it.value().cbegin(); t != it.value().cend(); ++t)
            perLanguage.insert(t.key(), t.value());
        o.insert(it.key(), perLanguage);
    }
    if (!logo.isEmpty())
        o.insert(QLatin1String("logo"), QString::fromLatin1(logo.toBase64()));
    return typed(MessageType::AdminVoice, o);
}

AdminVoicePush AdminVoicePush::fromJson(const QJsonObject &o)
{
    AdminVoicePush p;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isObject())
            continue;
        const QJsonObject perLanguage = it.value().toObject();
        for (auto t = perLanguage.begin(); t != perLanguage.end(); ++t)
            if (t.value().isString())
                p.texts[it.key()].insert(t.key(), t.value().toString());
    }
    p.logo = QByteArray::fromBase64(o.value(QLatin1String("logo")).toString().toLatin1());
    return p;
}

} // namespace oco::control
