#include "Dialect.h"

#include "Dialect2021.h"
#include "config/Config.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace oco {

Dialect::Dialect(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity)
    : m_config(config)
    , m_state(state)
    , m_http(http)
    , m_identity(std::move(identity))
{}

QUrl Dialect::apiUrl() const
{
    return QUrl(m_config.apiUrl);
}

QByteArray Dialect::requestBody(const QString &method, const QJsonObject &params)
{
    const QJsonObject request{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                              {QStringLiteral("id"), 1},
                              {QStringLiteral("method"), method},
                              {QStringLiteral("params"), params}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

HelloResult Dialect::helloFromParams(const QJsonObject &params)
{
    HelloResult out;
    out.params = params;
    // 0/1 as a number, a numeric string (older PHP) or a bool
    const QJsonValue update = params.value(QStringLiteral("update"));
    out.update = update.isBool() ? update.toBool() : (update.toInt() == 1 || update.toString() == QLatin1String("1"));
    parseJobs(params.value(QStringLiteral("software-jobs")), &out);
    out.loginsSince = params.value(QStringLiteral("logins-since")).toString();
    out.events = params.value(QStringLiteral("events")).toArray();
    out.updatePasswords = params.value(QStringLiteral("update-passwords")).toArray();
    return out;
}

Result<QJsonObject> Dialect::parseEnvelope(const QString &method, const HttpResponse &res, QJsonObject *result)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(res.body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        QString start = QString::fromUtf8(res.body.left(80)).simplified();
        return Result<QJsonObject>::fail(
            {FailureKind::Malformed, res.status,
             QStringLiteral("the reply to %1 is not JSON (%2%3)")
                 .arg(method,
                      perr.error != QJsonParseError::NoError ? perr.errorString() : QStringLiteral("not an object"),
                      start.isEmpty() ? QString() : QStringLiteral(", starts with \"%1\"").arg(start))});
    }
    const QJsonObject root = doc.object();
    const QJsonValue err = root.value(QStringLiteral("error"));
    if (!err.isNull() && !err.isUndefined()) {
        const QString text = err.isString()
                                 ? err.toString()
                                 : QString::fromUtf8(QJsonDocument(err.toObject()).toJson(QJsonDocument::Compact));
        if (text.compare(QLatin1String("Unknown Method"), Qt::CaseInsensitive) == 0)
            return Result<QJsonObject>::fail(
                {FailureKind::Http, res.status,
                 QStringLiteral("the server does not know the method %1: it speaks another protocol dialect "
                                "(check [server] protocol)")
                     .arg(method)});
        return Result<QJsonObject>::fail(
            {FailureKind::Http, res.status,
             QStringLiteral("the server answered %1 with an error: %2").arg(method, text)});
    }
    const QJsonValue resultValue = root.value(QStringLiteral("result"));
    if (!resultValue.isObject())
        return Result<QJsonObject>::fail(
            {FailureKind::Malformed, res.status, QStringLiteral("the reply to %1 has no result object").arg(method)});
    *result = resultValue.toObject();
    const QJsonValue params = result->value(QStringLiteral("params"));
    if (params.isObject())
        return Result<QJsonObject>::success(params.toObject());
    if ((params.isArray() && params.toArray().isEmpty()) || params.isUndefined() || params.isNull())
        return Result<QJsonObject>::success(QJsonObject());
    return Result<QJsonObject>::fail(
        {FailureKind::Malformed, res.status, QStringLiteral("the reply to %1 has malformed params").arg(method)});
}

Result<QJsonObject> Dialect::callResult(const QString &method, const QJsonObject &)
{
    return Result<QJsonObject>::fail(
        {FailureKind::Local, 0, QStringLiteral("%1 is not part of the %2 dialect").arg(method, name())});
}

} // namespace oco
