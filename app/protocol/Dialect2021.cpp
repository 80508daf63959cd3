#include "Dialect2021.h"

#include "DialectCurrent.h"
#include "config/Config.h"
#include "core/Log.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace oco {

Dialect2021::Dialect2021(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity)
    : Dialect(config, state, http, std::move(identity))
    , m_keys(config, state)
{}

QByteArray Dialect2021::buildRequest(const QString &method, const QJsonObject &data) const
{
    const QJsonObject params{{QStringLiteral("hostname"), m_identity.hostname},
                             {QStringLiteral("agent-key"), m_config.agentKey},
                             {QStringLiteral("data"), data}};
    return requestBody(method, params);
}

QString describeLegacyHttpError(const QString &method, int status, const QByteArray &reason, const QString &hostname)
{
    const QString r = QString::fromLatin1(reason).trimmed();
    const QString code =
        r.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("HTTP %1 %2").arg(status).arg(r);
    switch (status) {
    case 400:
        if (r.contains(QLatin1String("Content Type"), Qt::CaseInsensitive))
            return QStringLiteral("the server refused the request's content type (%1)").arg(code);
        if (r.contains(QLatin1String("Job Not Found"), Qt::CaseInsensitive))
            return QStringLiteral("the server does not know this job any more (%1)").arg(code);
        if (r.compare(QLatin1String("Unknown Method"), Qt::CaseInsensitive) == 0)
            return QStringLiteral("the server does not know %1 (%2): it is v1.0.2 or newer and no longer speaks the "
                                  "2021 dialect. With [server] protocol = auto the agent moves to the right dialect "
                                  "by itself; otherwise set plain (v1.0.2-v1.1.6) or current (v1.1.7+)")
                .arg(method, code);
        if (r.compare(QLatin1String("Parameter Mismatch"), Qt::CaseInsensitive) == 0)
            return QStringLiteral("the server misses parameters of %1 (%2): it expects another protocol dialect "
                                  "(check [server] protocol)")
                .arg(method, code);
        return QStringLiteral("the server refused %1 as malformed (%2)").arg(method, code);
    case 401:
        if (r.compare(QLatin1String("No Active Job"), Qt::CaseInsensitive) == 0)
            return QStringLiteral("the server has no active job for this package any more (%1)").arg(code);
        return QStringLiteral("the server does not accept this computer's agent key (%1). A new computer needs the "
                              "server's registration key in [agent] agent-key; a registered one needs its own key, "
                              "or an admin must clear the key of '%2' on the server")
            .arg(code, hostname);
    case 403:
        if (r.contains(QLatin1String("Registration"), Qt::CaseInsensitive))
            return QStringLiteral("the server does not know the computer '%1' and self-registration is disabled "
                                  "(%2): create it in the OCO web console or enable agent self-registration")
                .arg(hostname, code);
        return QStringLiteral("the server forbids this (%1): the job belongs to another computer").arg(code);
    case 404:
        return QStringLiteral("the server does not know the computer '%1' (%2)").arg(hostname, code);
    default:
        if (status >= 500)
            return QStringLiteral("the server failed internally (%1); see the server's error log").arg(code);
        return QStringLiteral("unexpected answer to %1: %2").arg(method, code);
    }
}

Failure describeLegacyRefusal(const QString &method, int status, const QByteArray &reason, const QByteArray &body,
                              const QString &hostname)
{
    if (isCurrentServerErrorText(status, body)) { // only v1.1.7+ answer with a text body
        Failure f = describeCurrentHttpError(method, status, body, hostname, {}, {});
        f.message += QStringLiteral(". The server is v1.1.7 or newer: set [server] protocol = auto or current");
        return f;
    }
    const bool keyProblem = status == 401 && reason.trimmed().compare("No Active Job", Qt::CaseInsensitive) != 0;
    return {keyProblem ? FailureKind::Auth : FailureKind::Http, status,
            describeLegacyHttpError(method, status, reason, hostname)};
}

void parseJobs(const QJsonValue &v, HelloResult *out)
{
    QJsonArray items;
    if (v.isArray())
        items = v.toArray();
    else if (v.isObject())
        items.append(v);
    for (const QJsonValue &item : qAsConst(items)) {
        Job job;
        QString reason;
        if (Job::fromJson(item, &job, &reason))
            out->jobs.append(job);
        else
            out->invalidJobs.append(reason);
    }
}

Result<QJsonObject> Dialect2021::call(const QString &method, const QJsonObject &data)
{
    const QByteArray body = buildRequest(method, data);
    qCDebug(lcProtocol).noquote() << "->" << apiUrl().toString() << maskSecrets(body);
    const HttpResponse res = m_http.post(apiUrl(), body, {{"Content-Type", "application/json"}});
    if (!res.failure.ok())
        return Result<QJsonObject>::fail(res.failure);
    qCDebug(lcProtocol).noquote() << "<-" << res.status << res.reason << maskSecrets(res.body);
    if (res.status != 200)
        return Result<QJsonObject>::fail(
            describeLegacyRefusal(method, res.status, res.reason, res.body, m_identity.hostname));
    QJsonObject result;
    Result<QJsonObject> params = parseEnvelope(method, res, &result);
    if (!params.ok())
        return params;
    // Every 2021 reply echoes the server key: check it before anything else in the reply is used.
    const Failure keyCheck = m_keys.checkServerKey(params.value->value(QStringLiteral("server-key")), true);
    if (!keyCheck.ok())
        return Result<QJsonObject>::fail(keyCheck);
    return params;
}

Result<HelloResult> Dialect2021::hello(const QJsonObject &data)
{
    QJsonObject d{{QStringLiteral("agent_version"), data.value(QStringLiteral("agent_version"))},
                  {QStringLiteral("networks"), data.value(QStringLiteral("networks"))}};
    Result<QJsonObject> params = call(QStringLiteral("oco.agent_hello"), d);
    if (!params.ok())
        return Result<HelloResult>::fail(params.failure);
    const Failure handOver = m_keys.takeAgentKey(params.value->value(QStringLiteral("agent-key")));
    if (!handOver.ok())
        return Result<HelloResult>::fail(handOver);
    return Result<HelloResult>::success(helloFromParams(*params.value));
}

Result<QJsonObject> Dialect2021::update(const QJsonObject &inventory)
{
    return call(QStringLiteral("oco.agent_update"), inventory);
}

Result<bool> Dialect2021::reportJob(const JobReport &report)
{
    // The 2021 server needs a non-null integer return code and a string message in every report.
    const QJsonObject data{{QStringLiteral("job-id"), report.jobId},
                           {QStringLiteral("state"), report.state},
                           {QStringLiteral("return-code"), report.returnCode.value_or(0)},
                           {QStringLiteral("message"), report.message}};
    Result<QJsonObject> params = call(QStringLiteral("oco.update_deploy_status"), data);
    if (!params.ok())
        return Result<bool>::fail(params.failure);
    const QJsonValue ok = params.value->value(QStringLiteral("job-succeeded"));
    return Result<bool>::success(ok.isBool() ? ok.toBool() : true);
}

QUrl Dialect2021::payloadUrl(const QJsonValue &packageId) const
{
    QUrl url(m_config.payloadUrl);
    if (m_config.payloadUrl.isEmpty())
        url = apiUrl().resolved(QUrl(QStringLiteral("payloadprovider.php")));
    const QString id =
        packageId.isString() ? packageId.toString() : QString::number(static_cast<qint64>(packageId.toDouble()));
    // Percent-encode everything but unreserved characters ('+' would otherwise reach PHP as a space).
    const QByteArray query =
        "hostname=" + QUrl::toPercentEncoding(m_identity.hostname) +
        "&agent-key=" + QUrl::toPercentEncoding(m_config.agentKey) + "&id=" + QUrl::toPercentEncoding(id) +
        // payloadprovider.php then honours Range requests (docs/server-protocol.md §2.5): resumable.
        "&resumable=1";
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

Failure Dialect2021::download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                              qint64 resumeFrom)
{
    const QUrl url = payloadUrl(job.packageId);
    qCDebug(lcProtocol).noquote() << "-> GET" << url.adjusted(QUrl::RemoveQuery).toString() << "package"
                                  << job.packageId.toVariant().toString()
                                  << (resumeFrom > 0 ? QStringLiteral("from byte %1").arg(resumeFrom) : QString());
    const HttpResponse res = m_http.downloadToFile(url, "GET", {}, {}, filePath, progress, resumeFrom);
    const qint64 size = QFileInfo(filePath).size();
    if (!res.failure.ok())
        return res.failure;
    if (res.status != 200 && res.status != 206) {
        if (res.status == 404)
            return {FailureKind::Http, 404,
                    QStringLiteral("the server has no package %1 (HTTP 404): its ZIP is missing in the depot")
                        .arg(job.packageId.toVariant().toString())};
        return {res.status == 401 ? FailureKind::Auth : FailureKind::Http, res.status,
                describeLegacyHttpError(QStringLiteral("the package download"), res.status, res.reason,
                                        m_identity.hostname)};
    }
    if (size == 0)
        return {FailureKind::Malformed, 200,
                QStringLiteral("the server sent an empty package %1").arg(job.packageId.toVariant().toString())};
    return {};
}

} // namespace oco
