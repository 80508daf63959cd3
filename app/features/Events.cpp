#include "Events.h"

#include "core/Log.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QMutex>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimeZone>

namespace oco {

namespace {

const QString TimeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

QStringList commaList(const QJsonValue &v)
{
    QStringList out;
    const QStringList parts = v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (!p.trimmed().isEmpty())
            out << p.trimmed();
    return out;
}

// journalctl's priority names and numbers; "a..b" ranges as in `journalctl -p`.
int priorityNumber(const QString &text)
{
    static const QStringList names{QStringLiteral("emerg"), QStringLiteral("alert"),   QStringLiteral("crit"),
                                   QStringLiteral("err"),   QStringLiteral("warning"), QStringLiteral("notice"),
                                   QStringLiteral("info"),  QStringLiteral("debug")};
    bool ok = false;
    const int n = text.toInt(&ok);
    if (ok)
        return n >= 0 && n <= 7 ? n : -1;
    return static_cast<int>(names.indexOf(text.toLower()));
}

bool parsePriorities(const QString &text, QSet<int> *out)
{
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString p : parts) {
        p = p.trimmed();
        if (p.isEmpty())
            continue;
        const qsizetype dots = p.indexOf(QLatin1String(".."));
        if (dots >= 0) {
            const int a = priorityNumber(p.left(dots)), b = priorityNumber(p.mid(dots + 2));
            if (a < 0 || b < 0)
                return false;
            for (int i = std::min(a, b); i <= std::max(a, b); ++i)
                out->insert(i);
        } else {
            const int n = priorityNumber(p);
            if (n < 0)
                return false;
            out->insert(n);
        }
    }
    return true;
}

bool unitMatches(const QStringList &wanted, const QString &unit)
{
    for (const QString &w : wanted)
        if (unit == w || (!w.contains(QLatin1Char('.')) && unit == w + QLatin1String(".service")))
            return true;
    return false;
}

} // namespace

bool EventRule::fromJson(const QJsonValue &v, EventRule *rule, QString *error)
{
    *rule = EventRule();
    if (!v.isObject()) {
        *error = QStringLiteral("an events rule is not an object");
        return false;
    }
    const QJsonObject o = v.toObject();
    rule->log = o.value(QStringLiteral("log")).toString();
    if (rule->log.isEmpty()) {
        *error = QStringLiteral("an events rule has no `log`");
        return false;
    }
    const QString since = o.value(QStringLiteral("since")).toString().trimmed();
    rule->since = QDateTime::fromString(since, TimeFormat);
    rule->since.setTimeZone(QTimeZone::utc());
    if (!rule->since.isValid()) {
        *error = QStringLiteral("events rule for %1: `since` '%2' is not YYYY-MM-DD HH:MM:SS").arg(rule->log, since);
        return false;
    }
    QJsonValue q = o.value(QStringLiteral("query"));
    if (q.isString() && !q.toString().trimmed().isEmpty()) { // tolerate a JSON-encoded query
        const QJsonDocument doc = QJsonDocument::fromJson(q.toString().toUtf8());
        q = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(false);
    }
    // An absent or empty query (PHP sends an empty map as []) means: no filter.
    const bool empty = q.isNull() || q.isUndefined() || (q.isString() && q.toString().trimmed().isEmpty()) ||
                       (q.isArray() && q.toArray().isEmpty());
    if (!q.isObject() && !empty) {
        *error = QStringLiteral("events rule for %1: `query` is not a JSON object").arg(rule->log);
        return false;
    }
    const QJsonObject query = q.toObject();
    rule->units = commaList(query.value(QStringLiteral("unit")));
    rule->identifiers = commaList(query.value(QStringLiteral("identifier")));
    const QString prio = query.value(QStringLiteral("priority")).toVariant().toString();
    if (!parsePriorities(prio, &rule->priorities)) {
        *error = QStringLiteral("events rule for %1: priority '%2' is not a list of 0-7 or names like err")
                     .arg(rule->log, prio);
        return false;
    }
    const QString grep = query.value(QStringLiteral("grep")).toString();
    if (!grep.isEmpty()) {
        rule->grep = QRegularExpression(grep);
        if (!rule->grep.isValid()) {
            *error = QStringLiteral("events rule for %1: grep '%2' is not a valid regular expression (%3)")
                         .arg(rule->log, grep, rule->grep.errorString());
            return false;
        }
        rule->hasGrep = true;
    }
    return true;
}

bool EventRule::matches(const QJsonObject &entry) const
{
    const QString message = EventCollector::fieldText(entry, QStringLiteral("MESSAGE"));
    if (message.isEmpty())
        return false;
    const QDateTime t = EventCollector::entryTimeUtc(entry);
    if (!t.isValid() || t < since)
        return false;
    if (!units.isEmpty() && !unitMatches(units, EventCollector::fieldText(entry, QStringLiteral("_SYSTEMD_UNIT"))))
        return false;
    if (!identifiers.isEmpty() &&
        !identifiers.contains(EventCollector::fieldText(entry, QStringLiteral("SYSLOG_IDENTIFIER"))))
        return false;
    if (!priorities.isEmpty()) {
        bool ok = false;
        const int p = EventCollector::fieldText(entry, QStringLiteral("PRIORITY")).toInt(&ok);
        if (!ok || !priorities.contains(p))
            return false;
    }
    if (hasGrep && !grep.match(message).hasMatch())
        return false;
    return true;
}

QStringList JournalctlSource::arguments(const EventRule &rule) const
{
    QStringList args{
        QStringLiteral("--output=json"), QStringLiteral("--all"),
        QStringLiteral("--no-pager"),    QStringLiteral("--quiet"),
        QStringLiteral("--utc"),         QStringLiteral("--since=%1 UTC").arg(rule.since.toUTC().toString(TimeFormat))};
    args << m_extraArgs;
    // Matches of one field are alternatives, different fields must all match (journalctl(1)).
    for (const QString &u : rule.units) {
        args << QStringLiteral("_SYSTEMD_UNIT=%1").arg(u);
        if (!u.contains(QLatin1Char('.')))
            args << QStringLiteral("_SYSTEMD_UNIT=%1.service").arg(u);
    }
    for (const QString &i : rule.identifiers)
        args << QStringLiteral("SYSLOG_IDENTIFIER=%1").arg(i);
    QList<int> prios = rule.priorities.values();
    std::sort(prios.begin(), prios.end());
    for (int p : prios)
        args << QStringLiteral("PRIORITY=%1").arg(p);
    return args;
}

bool JournalctlSource::read(const EventRule &rule, const std::function<bool(const QJsonObject &)> &sink, QString *error)
{
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("SYSTEMD_PAGER"), QString());
    proc.setProcessEnvironment(env);
    proc.setStandardInputFile(QProcess::nullDevice());
    proc.start(m_program, arguments(rule));
    if (!proc.waitForStarted(10000)) {
        *error = QStringLiteral("%1 could not be started: %2").arg(m_program, proc.errorString());
        return false;
    }
    QDeadlineTimer deadline(static_cast<qint64>(m_timeoutSecs * 1000));
    QByteArray pending;
    bool stopped = false;
    int badLines = 0;
    auto consume = [&] {
        pending += proc.readAllStandardOutput();
        qsizetype nl;
        while (!stopped && (nl = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(nl);
            pending.remove(0, nl + 1);
            if (line.trimmed().isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (!doc.isObject()) {
                ++badLines;
                continue;
            }
            if (!sink(doc.object()))
                stopped = true;
        }
    };
    while (!stopped && proc.state() != QProcess::NotRunning) {
        if (deadline.hasExpired()) {
            proc.kill();
            proc.waitForFinished(5000);
            *error = QStringLiteral("%1 did not finish within %2 s").arg(m_program).arg(m_timeoutSecs);
            return false;
        }
        proc.waitForReadyRead(static_cast<int>(std::min<qint64>(1000, std::max<qint64>(1, deadline.remainingTime()))));
        consume();
    }
    if (stopped) {
        proc.kill(); // enough for this cycle
        proc.waitForFinished(5000);
        return true;
    }
    proc.waitForFinished(5000);
    consume();
    if (!stopped && !pending.trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(pending);
        if (doc.isObject())
            sink(doc.object());
    }
    if (badLines > 0)
        qCWarning(lcInventory) << "journalctl printed" << badLines << "line(s) that are not JSON; skipped";
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        *error = QStringLiteral("%1 failed (exit code %2): %3")
                     .arg(m_program)
                     .arg(proc.exitCode())
                     .arg(QString::fromLocal8Bit(proc.readAllStandardError()).trimmed().left(500));
        return false;
    }
    return true;
}

QString EventCollector::fieldText(const QJsonObject &entry, const QString &name)
{
    const QJsonValue v = entry.value(name);
    if (v.isString())
        return v.toString();
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        if (!a.isEmpty() && a.first().isDouble()) { // bytes of a non-UTF-8 value
            QByteArray bytes;
            for (const QJsonValue &b : a)
                bytes.append(static_cast<char>(b.toInt()));
            return QString::fromUtf8(bytes);
        }
        if (!a.isEmpty()) // a field present several times: the first value
            return fieldText(QJsonObject{{name, a.first()}}, name);
    }
    return {};
}

QDateTime EventCollector::entryTimeUtc(const QJsonObject &entry)
{
    bool ok = false;
    const qint64 usec = fieldText(entry, QStringLiteral("__REALTIME_TIMESTAMP")).toLongLong(&ok);
    if (!ok)
        return {};
    return QDateTime::fromMSecsSinceEpoch(usec / 1000, QTimeZone::utc());
}

QJsonObject EventCollector::toEvent(const QJsonObject &entry)
{
    const QString unit = fieldText(entry, QStringLiteral("_SYSTEMD_UNIT"));
    auto number = [&](const QString &field) -> QJsonValue {
        bool ok = false;
        const int n = fieldText(entry, field).toInt(&ok);
        return ok ? QJsonValue(n) : QJsonValue(QString());
    };
    return {{QStringLiteral("log"), unit.isEmpty() ? QStringLiteral("journalctl") : unit},
            {QStringLiteral("timestamp"), entryTimeUtc(entry).toString(TimeFormat)},
            {QStringLiteral("provider"), fieldText(entry, QStringLiteral("SYSLOG_IDENTIFIER"))},
            {QStringLiteral("level"), number(QStringLiteral("PRIORITY"))},
            {QStringLiteral("event_id"), number(QStringLiteral("SYSLOG_FACILITY"))},
            {QStringLiteral("data"),
             QJsonObject{{QStringLiteral("message"), fieldText(entry, QStringLiteral("MESSAGE"))}}}};
}

QList<QJsonArray> EventCollector::collect(const QJsonArray &rules)
{
    static QMutex warnedLock;
    static QSet<QString> warnedLogs; // one line per unsupported log type and process, not one per cycle

    // The server answers with one `since` for all rules (its newest stored event), so the events of all
    // rules go out merged in time order, and nothing newer than where a capped rule stopped is sent:
    // otherwise the next `since` would jump over that rule's remaining entries.
    QList<QPair<QDateTime, QJsonObject>> events;
    QDateTime cutoff;
    for (const QJsonValue &v : rules) {
        EventRule rule;
        QString err;
        if (!EventRule::fromJson(v, &rule, &err)) {
            qCWarning(lcInventory).noquote() << "events: skipped a rule:" << err;
            continue;
        }
        if (rule.log != QLatin1String("journalctl")) {
            QMutexLocker lock(&warnedLock);
            if (!warnedLogs.contains(rule.log)) {
                warnedLogs.insert(rule.log);
                qCWarning(lcInventory).noquote()
                    << "events: log type" << rule.log
                    << "is not available on Linux (only journalctl); rules for it are skipped";
            }
            continue;
        }
        int taken = 0;
        QDateTime last;
        const bool ok = m_source.read(
            rule,
            [&](const QJsonObject &entry) {
                if (!rule.matches(entry))
                    return true;
                last = entryTimeUtc(entry);
                events.append({last, toEvent(entry)});
                return ++taken < m_options.maxPerRule;
            },
            &err);
        if (!ok)
            qCWarning(lcInventory).noquote() << "events: reading the journal failed:" << err;
        if (taken >= m_options.maxPerRule) {
            qCInfo(lcInventory) << "events: sending the oldest" << taken << "matching entries now, the rest next time";
            if (!cutoff.isValid() || last < cutoff)
                cutoff = last;
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const auto &a, const auto &b) { return a.first < b.first; });

    QList<QJsonArray> batches;
    QJsonArray current;
    for (const auto &e : events) {
        if (cutoff.isValid() && e.first > cutoff)
            break;
        current.append(e.second);
        if (current.size() >= std::max(1, m_options.batchSize)) {
            batches.append(current);
            current = QJsonArray();
        }
    }
    if (!current.isEmpty())
        batches.append(current);
    return batches;
}

int EventCollector::send(const QList<QJsonArray> &batches, const RpcCall &call, QString *error)
{
    int sent = 0;
    for (const QJsonArray &batch : batches) {
        const Result<QJsonObject> r =
            call(QStringLiteral("oco.agent.events"), QJsonObject{{QStringLiteral("events"), batch}});
        if (!r.ok()) {
            if (error)
                *error = QStringLiteral("sending %1 event(s) failed: %2").arg(batch.size()).arg(r.failure.message);
            return sent;
        }
        sent += static_cast<int>(batch.size());
    }
    return sent;
}

} // namespace oco
