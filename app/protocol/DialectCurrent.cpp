#include "DialectCurrent.h"

#include "Dialect2021.h"
#include "DialectPlain.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "core/Log.h"
#include "core/StateStore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QTimeZone>

#include <cmath>

namespace oco {

namespace {

const QString kRequestTimestampFile = QStringLiteral("request-timestamp.json");
const QString kServerTimestampFile = QStringLiteral("server-timestamp.json");
const QString kLast = QStringLiteral("last");

double roundTo4(double v)
{
    return std::round(v * 10000.0) / 10000.0;
}

// Byte-wise comparison whose duration does not depend on where the first difference is.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (int i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

QDateTime parseHttpDate(const QByteArray &value)
{
    // RFC 7231 IMF-fixdate, e.g. "Thu, 26 Nov 2026 07:55:57 GMT".
    QDateTime t = QLocale::c().toDateTime(QString::fromLatin1(value).trimmed(),
                                          QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!t.isValid())
        return {};
    t.setTimeZone(QTimeZone::utc());
    return t;
}

QString bodyText(const QByteArray &body)
{
    QString t = QString::fromUtf8(body.left(300)).simplified();
    if (t.startsWith(QLatin1Char('<'))) // an HTML error page from a proxy or web server: do not quote it
        return QString();
    return t;
}

double timestampValue(const QJsonValue &v, bool *ok)
{
    *ok = true;
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        const double d = v.toString().toDouble(ok);
        return *ok ? d : 0;
    }
    *ok = false;
    return 0;
}

} // namespace

QString clockText(const QDateTime &t)
{
    if (!t.isValid())
        return QStringLiteral("unknown");
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

DialectCurrent::DialectCurrent(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity)
    : Dialect(config, state, http, std::move(identity))
    , m_keys(config, state)
{}

QByteArray DialectCurrent::sign(const QByteArray &key, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, key, QCryptographicHash::Sha256).toHex();
}

double DialectCurrent::nextRequestTimestamp(QString *error)
{
    QJsonObject doc;
    QString err;
    if (!m_state.readJsonFile(kRequestTimestampFile, &doc, &err))
        qCWarning(lcProtocol).noquote() << err << "- starting the request timestamps from the clock";
    const double last = doc.value(kLast).toDouble(0);
    double ts = roundTo4(static_cast<double>(Clock::system().msecsSinceEpoch()) / 1000.0);
    if (ts <= last) {
        ts = roundTo4(last + 0.0001);
        if (ts <= last) // rounding could eat the step on absurd values
            ts = last + 0.001;
        qCDebug(lcProtocol).noquote() << QStringLiteral(
                                             "the clock is behind the last request timestamp (%1): sending %2")
                                             .arg(last, 0, 'f', 4)
                                             .arg(ts, 0, 'f', 4);
    }
    // Persist before sending: a crash after the request must not let the next one reuse the value.
    if (!m_state.writeJsonFile(kRequestTimestampFile, QJsonObject{{kLast, ts}}, &err)) {
        if (error)
            *error = QStringLiteral("cannot record the request timestamp: %1").arg(err);
        return -1;
    }
    return ts;
}

double DialectCurrent::lastAcceptedServerTimestamp() const
{
    QJsonObject doc;
    QString err;
    if (!m_state.readJsonFile(kServerTimestampFile, &doc, &err))
        qCWarning(lcSecurity).noquote() << err;
    return doc.value(kLast).toDouble(0);
}

QByteArray DialectCurrent::buildRequest(const QString &method, const QJsonObject &extraParams, QString *error)
{
    const double ts = nextRequestTimestamp(error);
    if (ts < 0)
        return {};
    QJsonObject params = extraParams;
    params.insert(QStringLiteral("uid"), m_identity.uid);
    params.insert(QStringLiteral("hostname"), m_identity.hostname);
    params.insert(QStringLiteral("timestamp"), ts);
    return requestBody(method, params);
}

HttpResponse DialectCurrent::post(const QByteArray &body)
{
    // The header name must be lowercase: the server looks it up case-sensitively (docs/server-protocol.md §4.2).
    const HttpClient::Headers headers{{"Content-Type", "application/json"},
                                      {"x-oco-agent-signature", sign(m_config.agentKey.toUtf8(), body)}};
    qCDebug(lcProtocol).noquote() << "->" << apiUrl().toString() << maskSecrets(body);
    HttpResponse res = m_http.post(apiUrl(), body, headers);
    m_lastLocalTime = Clock::system().nowUtc();
    if (res.failure.ok())
        qCDebug(lcProtocol).noquote() << "<-" << res.status << res.reason << maskSecrets(res.body);
    return res;
}

namespace {
// 9999-12-31T23:59:59Z: later "timestamps" are garbage (and would not fit a QDateTime in milliseconds).
constexpr double kLastValidTimestamp = 253402300799.0;
} // namespace

void DialectCurrent::noteServerTime(const HttpResponse &res, double resultTimestamp)
{
    if (resultTimestamp > 0 && resultTimestamp <= kLastValidTimestamp)
        m_lastServerTime = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(resultTimestamp * 1000.0), Qt::UTC);
    else
        m_lastServerTime = parseHttpDate(res.header("Date"));
}

bool isCurrentServerErrorText(int status, const QByteArray &body)
{
    static const char *texts[] = {"Content type mismatch",
                                  "Invalid JSON data",
                                  "Unknown method",
                                  "Client self-registration is disabled",
                                  "Agent registration key mismatch",
                                  "Signature header missing",
                                  "Invalid agent signature",
                                  "Computer not found",
                                  "Agent key mismatch",
                                  "Agent timestamp too old",
                                  "Package not found",
                                  "No active job for this package",
                                  "Invalid password data",
                                  "Update refused",
                                  "Update not necessary"};
    if (status != 400 && status != 401)
        return false;
    const QByteArray b = body.trimmed();
    for (const char *t : texts)
        if (b.startsWith(t))
            return true;
    return b.startsWith("Job \xc2\xbb") || b.startsWith("Computer not allowed to update job");
}

Failure describeCurrentHttpError(const QString &method, int status, const QByteArray &body, const QString &hostname,
                                 const QDateTime &serverTime, const QDateTime &localTime)
{
    const QString text = bodyText(body);
    const QString code =
        text.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("HTTP %1 \"%2\"").arg(status).arg(text);
    auto has = [&](const char *s) { return text.startsWith(QLatin1String(s), Qt::CaseInsensitive); };
    if (status == 401) {
        if (has("Agent timestamp too old"))
            return {FailureKind::ClockSkew, status,
                    QStringLiteral("the server rejected the request's timestamp as too old (%1): it has seen a newer "
                                   "one for '%2'. This computer's clock is behind the time of an earlier request (the "
                                   "clock was stepped back before this agent recorded its timestamps, the agent was "
                                   "reinstalled), or another machine uses the same host name. Server clock %3, this "
                                   "computer %4. Fix the time (NTP); the agent keeps its timestamps increasing")
                        .arg(code, hostname, clockText(serverTime), clockText(localTime))};
        QString why;
        if (has("Client self-registration is disabled"))
            why = QStringLiteral("the server does not know the computer '%1' and agent self-registration is "
                                 "disabled: create the computer in the OCO web console or enable self-registration")
                      .arg(hostname);
        else if (has("Agent registration key mismatch"))
            why = QStringLiteral("the server does not know the computer '%1' and [agent] agent-key is not the "
                                 "server's registration key")
                      .arg(hostname);
        else if (has("Signature header missing"))
            why = QStringLiteral("the server did not receive the request signature (a proxy removing headers?)");
        else if (has("Invalid agent signature") || has("Agent key mismatch"))
            why = QStringLiteral("the server does not accept this computer's agent key for '%1': [agent] agent-key is "
                                 "neither the server's registration key (for a new computer) nor the individual key of "
                                 "'%1'. If the computer never received its individual key (a key hand-over whose reply "
                                 "was lost), an admin must clear the agent key of '%1' in the OCO web console, or put "
                                 "the server's key into [agent] agent-key")
                      .arg(hostname);
        else if (has("Computer not found"))
            why = QStringLiteral("the server does not know the computer '%1' (deleted or renamed?); its next hello "
                                 "registers it again if self-registration is enabled")
                      .arg(hostname);
        else if (has("Computer not allowed to update job"))
            why = QStringLiteral("the server says this job belongs to another computer");
        else
            why = QStringLiteral("the server refused the authentication");
        return {FailureKind::Auth, status, QStringLiteral("%1 (%2)").arg(why, code)};
    }
    if (status == 400) {
        QString why;
        if (has("Content type mismatch"))
            why = QStringLiteral("the server refused the request's content type");
        else if (has("Unknown method"))
            why = QStringLiteral("the server does not know %1: it speaks another protocol dialect or is older "
                                 "(check [server] protocol)")
                      .arg(method);
        else if (has("Invalid JSON data"))
            why = QStringLiteral("the server found the %1 request incomplete or invalid").arg(method);
        else if (has("Job "))
            why = QStringLiteral("the server does not know this job any more");
        else if (has("Package not found"))
            why = QStringLiteral("the server has no file for this package (missing in the depot)");
        else if (has("No active job for this package"))
            why = QStringLiteral("the server has no active job for this package any more (cancelled or expired)");
        else if (has("Update refused") || has("Update not necessary"))
            why = QStringLiteral("the server refused the inventory (too often, or not due)");
        else if (has("Invalid password data"))
            why = QStringLiteral("the server could not decrypt the rotated password");
        else
            why = QStringLiteral("the server refused %1").arg(method);
        return {FailureKind::Http, status, QStringLiteral("%1 (%2)").arg(why, code)};
    }
    if (status >= 500)
        return {FailureKind::Http, status,
                QStringLiteral("the server failed internally (%1); see the server's error log. Trying again next "
                               "cycle")
                    .arg(code)};
    return {FailureKind::Http, status,
            QStringLiteral("unexpected answer to %1 (%2): is [server] api-url really the OCO api-agent.php?")
                .arg(method, code)};
}

Failure DialectCurrent::httpFailure(const QString &method, const HttpResponse &res) const
{
    // Servers before v1.1.7 say it in the reason phrase and send no body.
    if (res.body.trimmed().isEmpty() && isPlainServerReason(res.reason)) {
        Failure f = describePlainHttpError(method, res.status, res.reason, res.body, m_identity.hostname);
        if (res.status == 400)
            f.message += QStringLiteral(". Servers before v1.1.7 answer like this: they speak the 2021 or the plain "
                                        "dialect (set [server] protocol = auto, 2021 or plain)");
        return f;
    }
    return describeCurrentHttpError(method, res.status, res.body, m_identity.hostname, m_lastServerTime,
                                    m_lastLocalTime);
}

namespace {

// A 2021 server answers our method names with 200 and the JSON error "Unknown Method", unsigned.
bool isLegacyUnknownMethod(const HttpResponse &res)
{
    return QJsonDocument::fromJson(res.body)
               .object()
               .value(QStringLiteral("error"))
               .toString()
               .compare(QLatin1String("Unknown Method"), Qt::CaseInsensitive) == 0;
}

} // namespace

Failure DialectCurrent::checkSignature(const QString &method, const HttpResponse &res) const
{
    if (m_config.serverKey.isEmpty())
        return {};
    const QByteArray got = res.header("x-oco-server-signature").trimmed().toLower();
    if (got.isEmpty()) {
        qCCritical(lcSecurity).noquote() << "security: the reply to" << method
                                         << "carries no server signature: ignored";
        return {FailureKind::Security, 200,
                QStringLiteral("the reply to %1 is not signed although a server key is configured: reply ignored (an "
                               "impostor, or a proxy/server that is not the OCO server)")
                    .arg(method)};
    }
    if (!constantTimeEquals(got, sign(m_config.serverKey.toUtf8(), res.body))) {
        qCCritical(lcSecurity).noquote() << "security: the server signature of the reply to" << method
                                         << "is wrong: ignored";
        return {FailureKind::Security, 200,
                QStringLiteral("the server signature of the reply to %1 does not match [server] server-key: reply "
                               "ignored (an impostor, or the server's key changed; an admin must check and clear "
                               "server-key to trust a new one)")
                    .arg(method)};
    }
    return {};
}

Failure DialectCurrent::checkServerTimestamp(const QString &method, const HttpResponse &res, const QJsonObject &result,
                                             double *timestamp)
{
    bool tsOk = false;
    const double ts = timestampValue(result.value(QStringLiteral("timestamp")), &tsOk);
    noteServerTime(res, tsOk ? ts : 0);
    if (!tsOk || !std::isfinite(ts) || ts <= 0) {
        qCCritical(lcSecurity).noquote() << "security: the reply to" << method << "has no valid timestamp: ignored";
        return {FailureKind::Security, 200,
                QStringLiteral("the reply to %1 has no result.timestamp (servers before v1.1.10 omit it for some "
                               "replies; without it a replayed reply cannot be told from a fresh one): reply ignored")
                    .arg(method)};
    }
    if (ts > kLastValidTimestamp) {
        // Accepting it would lock every later reply out until that date.
        qCCritical(lcSecurity).noquote() << "security: the reply to" << method << "has an impossible timestamp:" << ts
                                         << "- ignored";
        return {FailureKind::Security, 200,
                QStringLiteral("the reply to %1 carries an impossible server timestamp (%2, after the year 9999): "
                               "reply ignored")
                    .arg(method)
                    .arg(ts, 0, 'g', 17)};
    }
    const double last = lastAcceptedServerTimestamp();
    if (ts <= last) {
        const QDateTime lastTime = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(last * 1000.0), Qt::UTC);
        qCCritical(lcSecurity).noquote() << "security: the reply to" << method << "is older than one already accepted";
        return {FailureKind::ClockSkew, 200,
                QStringLiteral("the reply to %1 is not newer than the last one accepted (server time %2, last accepted "
                               "%3, this computer %4): the server's clock went backwards, or the reply was replayed. "
                               "Nothing in it is used. If the server's clock was really corrected, delete %5 to accept "
                               "its time again")
                    .arg(method, clockText(m_lastServerTime), clockText(lastTime), clockText(m_lastLocalTime),
                         m_state.filePath(kServerTimestampFile))};
    }
    *timestamp = ts;
    return {};
}

Result<QJsonObject> DialectCurrent::verifyReply(const QString &method, const HttpResponse &res,
                                                QJsonObject *verifiedResult)
{
    m_lastDialect = ServerDialect::Unknown;
    m_unmarkedTimestamp = 0;
    if (!res.failure.ok())
        return Result<QJsonObject>::fail(res.failure);
    if (res.status != 200) {
        noteServerTime(res, 0);
        if (isCurrentServerErrorText(res.status, res.body))
            m_lastDialect = ServerDialect::Current;
        return Result<QJsonObject>::fail(httpFailure(method, res));
    }
    if (isLegacyUnknownMethod(res)) {
        m_lastDialect = ServerDialect::Legacy2021;
        return Result<QJsonObject>::fail(
            {FailureKind::Http, 200,
             QStringLiteral("the server does not know %1: it speaks the 2021 dialect (set [server] protocol = 2021, "
                            "or auto before the first contact)")
                 .arg(method)});
    }
    // 1. The signature over the exact bytes received, before anything in them is believed.
    const Failure forged = checkSignature(method, res);
    if (!forged.ok())
        return Result<QJsonObject>::fail(forged);
    // 2. The envelope.
    QJsonObject result;
    Result<QJsonObject> params = parseEnvelope(method, res, &result);
    if (!params.ok())
        return params;
    m_lastDialect = ServerDialect::Current;
    // 3. The server timestamp must move forward; it is persisted before the reply is used.
    double ts = 0;
    const Failure stale = checkServerTimestamp(method, res, result, &ts);
    if (!stale.ok())
        return Result<QJsonObject>::fail(stale);
    // Only a signed reply moves the mark: an unverifiable one (no server key yet) could otherwise push it into
    // the future and lock the agent out (the official agent's weakness, docs/agent-behaviour.md §14.6). A reply that
    // hands over the first server key is trusted like that key: hello() records its timestamp once it is stored.
    if (m_config.serverKey.isEmpty()) {
        m_unmarkedTimestamp = ts;
    } else {
        const Failure f = recordServerTimestamp(ts);
        if (!f.ok())
            return Result<QJsonObject>::fail(f);
    }
    if (verifiedResult)
        *verifiedResult = result;
    return params;
}

Failure DialectCurrent::recordServerTimestamp(double ts)
{
    if (m_probeOnly)
        return {};
    QString err;
    if (!m_state.writeJsonFile(kServerTimestampFile, QJsonObject{{kLast, ts}}, &err))
        return {FailureKind::Local, 200, QStringLiteral("cannot record the server timestamp: %1").arg(err)};
    return {};
}

Result<QJsonObject> DialectCurrent::call(const QString &method, const QJsonObject &data)
{
    QString err;
    const QByteArray body = buildRequest(method, QJsonObject{{QStringLiteral("data"), data}}, &err);
    if (body.isEmpty())
        return Result<QJsonObject>::fail({FailureKind::Local, 0, err});
    return verifyReply(method, post(body));
}

Result<QJsonObject> DialectCurrent::callResult(const QString &method, const QJsonObject &data)
{
    QString err;
    const QByteArray body = buildRequest(method, QJsonObject{{QStringLiteral("data"), data}}, &err);
    if (body.isEmpty())
        return Result<QJsonObject>::fail({FailureKind::Local, 0, err});
    QJsonObject result;
    const Result<QJsonObject> params = verifyReply(method, post(body), &result);
    if (!params.ok())
        return params;
    return Result<QJsonObject>::success(result);
}

Result<HelloResult> DialectCurrent::hello(const QJsonObject &data)
{
    QJsonObject d = data;
    if (!d.contains(QStringLiteral("agent_version")))
        d.insert(QStringLiteral("agent_version"), m_identity.agentVersion);
    Result<QJsonObject> params = call(QStringLiteral("oco.agent.hello"), d);
    if (!params.ok())
        return Result<HelloResult>::fail(params.failure);
    // Keys are sent once, in the reply that generated them; null on later hellos keeps what we have.
    // Order: a known server key is only compared (a different one rejects the reply); then the agent key
    // hand-over is stored before a first server key, because losing the agent key locks the computer out,
    // while a missing server key only leaves replies unverified.
    const QJsonValue serverKey = params.value->value(QStringLiteral("server-key"));
    const bool firstServerKey = m_config.serverKey.isEmpty();
    if (!firstServerKey) {
        const Failure f = m_keys.checkServerKey(serverKey, false);
        if (!f.ok())
            return Result<HelloResult>::fail(f);
    }
    const Failure handOver = m_keys.takeAgentKey(params.value->value(QStringLiteral("agent-key")));
    if (!handOver.ok())
        return Result<HelloResult>::fail(handOver);
    if (firstServerKey) {
        const Failure f = m_keys.checkServerKey(serverKey, false);
        if (!f.ok())
            return Result<HelloResult>::fail(f);
        // Replay protection from the hand-over on: no reply older than this one may be used later.
        if (!m_config.serverKey.isEmpty() && m_unmarkedTimestamp > 0) {
            const Failure mark = recordServerTimestamp(m_unmarkedTimestamp);
            if (!mark.ok())
                return Result<HelloResult>::fail(mark);
        }
    }
    return Result<HelloResult>::success(helloFromParams(*params.value));
}

Result<QJsonObject> DialectCurrent::update(const QJsonObject &inventory)
{
    return call(QStringLiteral("oco.agent.update"), inventory);
}

Result<bool> DialectCurrent::reportJob(const JobReport &report)
{
    // return-code must be present: null for the intermediate states (docs/server-protocol.md §4.7).
    QJsonObject data{{QStringLiteral("job-id"), report.jobId},
                     {QStringLiteral("state"), report.state},
                     {QStringLiteral("return-code"),
                      report.returnCode ? QJsonValue(*report.returnCode) : QJsonValue(QJsonValue::Null)},
                     {QStringLiteral("message"), report.message}};
    if (report.downloadProgress)
        data.insert(QStringLiteral("download-progress"), roundTo4(*report.downloadProgress));
    Result<QJsonObject> params = call(QStringLiteral("oco.agent.update_job_state"), data);
    if (!params.ok())
        return Result<bool>::fail(params.failure);
    const QJsonValue ok = params.value->value(QStringLiteral("job-succeeded"));
    return Result<bool>::success(ok.isBool() ? ok.toBool() : true);
}

Failure DialectCurrent::download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                                 qint64 resumeFrom)
{
    const QString method = QStringLiteral("oco.agent.download");
    QString err;
    // package-id sits directly in params; echoed with the JSON type the server used.
    const QByteArray body = buildRequest(method, QJsonObject{{QStringLiteral("package-id"), job.packageId}}, &err);
    if (body.isEmpty())
        return {FailureKind::Local, 0, err};
    const HttpClient::Headers headers{{"Content-Type", "application/json"},
                                      {"x-oco-agent-signature", sign(m_config.agentKey.toUtf8(), body)}};
    qCDebug(lcProtocol).noquote() << "->" << apiUrl().toString() << maskSecrets(body)
                                  << (resumeFrom > 0 ? QStringLiteral("from byte %1").arg(resumeFrom) : QString());
    // POST rather than the official agent's GET-with-body, which some proxies drop (the server accepts both).
    // The server streams the ZIP unsigned; a Range request is answered with the whole file (200), which
    // downloadToFile handles by starting over.
    HttpResponse res = m_http.downloadToFile(apiUrl(), "POST", body, headers, filePath, progress, resumeFrom);
    m_lastLocalTime = Clock::system().nowUtc();
    if (!res.failure.ok())
        return res.failure;
    if (res.status != 200 && res.status != 206) {
        noteServerTime(res, 0);
        return httpFailure(QStringLiteral("the package download"), res);
    }
    if (QFileInfo(filePath).size() == 0)
        return {FailureKind::Malformed, 200,
                QStringLiteral("the server sent an empty package %1").arg(job.packageId.toVariant().toString())};
    return {};
}

} // namespace oco
