#include "DialectPlain.h"

#include "Dialect2021.h"
#include "DialectCurrent.h"
#include "config/Config.h"
#include "core/LazyLibrary.h"
#include "core/Log.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/evp.h> // declarations only: libcrypto is loaded at run time, like for the rotation itself

#include <memory>

namespace oco {

namespace {

struct LibCryptoDecrypt
{
    decltype(&::EVP_CIPHER_CTX_new) ctxNew = nullptr;
    decltype(&::EVP_CIPHER_CTX_free) ctxFree = nullptr;
    decltype(&::EVP_aes_256_cbc) aes256Cbc = nullptr;
    decltype(&::EVP_DecryptInit_ex) init = nullptr;
    decltype(&::EVP_DecryptUpdate) update = nullptr;
    decltype(&::EVP_DecryptFinal_ex) finish = nullptr;

    static const LibCryptoDecrypt *get()
    {
        static const LibCryptoDecrypt loaded = [] {
            LibCryptoDecrypt c;
            QLibrary lib(QStringLiteral("crypto"), 3);
            if (!lib.load())
                return c;
            auto resolve = [&lib](auto &fn, const char *name) { return resolveInto(lib, fn, name); };
            if (!(resolve(c.ctxNew, "EVP_CIPHER_CTX_new") && resolve(c.ctxFree, "EVP_CIPHER_CTX_free") &&
                  resolve(c.aes256Cbc, "EVP_aes_256_cbc") && resolve(c.init, "EVP_DecryptInit_ex") &&
                  resolve(c.update, "EVP_DecryptUpdate") && resolve(c.finish, "EVP_DecryptFinal_ex")))
                c.ctxNew = nullptr;
            return c;
        }();
        return loaded.ctxNew ? &loaded : nullptr;
    }
};

} // namespace

bool decryptPlainPassword(const QJsonObject &encrypted, const QByteArray &agentKey, QString *plain)
{
    const QByteArray iv = QByteArray::fromBase64(encrypted.value(QStringLiteral("iv")).toString().toLatin1());
    const QByteArray ct = QByteArray::fromBase64(encrypted.value(QStringLiteral("data")).toString().toLatin1());
    const LibCryptoDecrypt *c = LibCryptoDecrypt::get();
    if (!c || iv.size() != 16 || ct.isEmpty())
        return false;
    QByteArray key = agentKey.left(32);
    key.append(QByteArray(32 - key.size(), '\0'));
    std::unique_ptr<EVP_CIPHER_CTX, decltype(c->ctxFree)> ctx(c->ctxNew(), c->ctxFree);
    QByteArray out(ct.size() + 16, '\0');
    int n1 = 0;
    int n2 = 0;
    const bool ok =
        ctx &&
        c->init(ctx.get(), c->aes256Cbc(), nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                reinterpret_cast<const unsigned char *>(iv.constData())) == 1 &&
        c->update(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &n1,
                  reinterpret_cast<const unsigned char *>(ct.constData()), static_cast<int>(ct.size())) == 1 &&
        c->finish(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + n1, &n2) == 1;
    key.fill('\0');
    if (ok)
        *plain = QString::fromUtf8(out.constData(), n1 + n2);
    out.fill('\0');
    return ok;
}

DialectPlain::DialectPlain(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity)
    : Dialect(config, state, http, std::move(identity))
    , m_keys(config, state)
{}

QByteArray DialectPlain::buildRequest(const QString &method, const QJsonObject &data) const
{
    const QJsonObject params{{QStringLiteral("hostname"), m_identity.hostname},
                             {QStringLiteral("agent-key"), m_config.agentKey},
                             {QStringLiteral("uid"), m_identity.uid},
                             {QStringLiteral("data"), data}};
    return requestBody(method, params);
}

bool isPlainServerReason(const QByteArray &reason)
{
    static const char *texts[] = {"Unknown Method",       "Parameter Mismatch",
                                  "Payload Corrupt",      "Content Type Mismatch",
                                  "Update Not Necessary", "Client Not Authorized",
                                  "No Active Job",        "Computer Not Found",
                                  "Job Not Found",        "Client Self-Registration Disabled"};
    const QByteArray r = reason.trimmed();
    for (const char *t : texts)
        if (r.compare(t, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Failure describePlainHttpError(const QString &method, int status, const QByteArray &reason, const QByteArray &body,
                               const QString &hostname)
{
    // A text body comes from v1.1.7+ only: that server wants signed requests.
    if (isCurrentServerErrorText(status, body)) {
        if (body.trimmed().startsWith("Signature header missing"))
            return {FailureKind::Auth, status,
                    QStringLiteral("the server wants signed requests (HTTP %1 \"Signature header missing\"): it is "
                                   "v1.1.7 or newer. With [server] protocol = auto the agent moves up by itself, "
                                   "otherwise set protocol = current")
                        .arg(status)};
        Failure f = describeCurrentHttpError(method, status, body, hostname, {}, {});
        f.message += QStringLiteral(". The server is v1.1.7 or newer and speaks the signed dialect: with [server] "
                                    "protocol = auto the agent moves up by itself, otherwise set protocol = current");
        return f;
    }
    const QString r = QString::fromLatin1(reason).trimmed();
    const QString code =
        r.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("HTTP %1 %2").arg(status).arg(r);
    auto is = [&](const char *s) { return r.compare(QLatin1String(s), Qt::CaseInsensitive) == 0; };
    // "No Active Job" is a 401 of the download, not a key problem: no back-off for it.
    const FailureKind kind = status == 401 && !is("No Active Job") ? FailureKind::Auth : FailureKind::Http;
    QString why;
    switch (status) {
    case 400:
        if (is("Unknown Method"))
            why = QStringLiteral("the server does not know %1: it is older than v1.0 or speaks another dialect "
                                 "(check [server] protocol)")
                      .arg(method);
        else if (is("Parameter Mismatch"))
            why = QStringLiteral("the server misses parameters of %1: it expects another protocol dialect "
                                 "(check [server] protocol)")
                      .arg(method);
        else if (is("Update Not Necessary"))
            why = QStringLiteral("the server did not want the inventory now (not due)");
        else if (is("Content Type Mismatch"))
            why = QStringLiteral("the server refused the request's content type (a proxy changing it?)");
        else if (is("Payload Corrupt"))
            why = QStringLiteral("the server could not read the %1 request (a proxy changing it?)").arg(method);
        else
            why = QStringLiteral("the server refused %1").arg(method);
        break;
    case 401:
        if (is("No Active Job"))
            why = QStringLiteral("the server has no active job for this package any more (cancelled or expired)");
        else
            why = QStringLiteral("the server does not accept this computer's agent key for '%1': [agent] agent-key "
                                 "is neither the server's registration key (for a new computer) nor the individual "
                                 "key of '%1'. If the computer never received its individual key, an admin must "
                                 "clear the agent key of '%1' in the OCO web console")
                      .arg(hostname);
        break;
    case 403:
        if (r.contains(QLatin1String("Registration"), Qt::CaseInsensitive))
            why = QStringLiteral("the server does not know the computer '%1' and self-registration is disabled: "
                                 "create it in the OCO web console or enable agent self-registration")
                      .arg(hostname);
        else
            why = QStringLiteral("the server says this job belongs to another computer");
        break;
    case 404:
        if (is("Job Not Found"))
            why = QStringLiteral("the server does not know this job any more");
        else if (is("Computer Not Found"))
            why = QStringLiteral("the server does not know the computer '%1' (deleted or renamed?); its next hello "
                                 "registers it again if self-registration is enabled")
                      .arg(hostname);
        else
            why = QStringLiteral("the server has no file for this package (missing in the depot)");
        break;
    default:
        if (status >= 500)
            why = QStringLiteral("the server failed internally; see the server's error log. Trying again next cycle");
        else
            why = QStringLiteral("unexpected answer to %1: is [server] api-url really the OCO api-agent.php?")
                      .arg(method);
    }
    return {kind, status, QStringLiteral("%1 (%2)").arg(why, code)};
}

Result<QJsonObject> DialectPlain::send(const QString &method, const QJsonObject &data, QJsonObject *result)
{
    const QByteArray body = buildRequest(method, data);
    qCDebug(lcProtocol).noquote() << "->" << apiUrl().toString() << maskSecrets(body);
    const HttpResponse res = m_http.post(apiUrl(), body, {{"Content-Type", "application/json"}});
    if (!res.failure.ok())
        return Result<QJsonObject>::fail(res.failure);
    qCDebug(lcProtocol).noquote() << "<-" << res.status << res.reason << maskSecrets(res.body);
    m_newerServerRefused = res.status != 200 && isCurrentServerErrorText(res.status, res.body);
    if (res.status != 200)
        return Result<QJsonObject>::fail(
            describePlainHttpError(method, res.status, res.reason, res.body, m_identity.hostname));
    QJsonObject whole;
    Result<QJsonObject> params = parseEnvelope(method, res, &whole);
    if (!params.ok())
        return params;
    // Every reply of these servers echoes the server key: checked before anything else in it is used.
    const Failure keyCheck = m_keys.checkServerKey(params.value->value(QStringLiteral("server-key")), true);
    if (!keyCheck.ok())
        return Result<QJsonObject>::fail(keyCheck);
    if (result)
        *result = whole;
    return params;
}

Result<QJsonObject> DialectPlain::call(const QString &method, const QJsonObject &data)
{
    return send(method, data, nullptr);
}

Result<QJsonObject> DialectPlain::callResult(const QString &method, const QJsonObject &data)
{
    QJsonObject d = data;
    if (method == QLatin1String("oco.agent.passwords")) {
        // These servers store what they receive: the password itself, not the encrypted form.
        QJsonArray list = d.value(QStringLiteral("passwords")).toArray();
        for (int i = 0; i < list.size(); ++i) {
            QJsonObject entry = list.at(i).toObject();
            const QJsonValue pw = entry.value(QStringLiteral("password"));
            if (!pw.isObject())
                continue;
            QString plain;
            if (!decryptPlainPassword(pw.toObject(), m_config.agentKey.toUtf8(), &plain))
                return Result<QJsonObject>::fail(
                    {FailureKind::Local, 0, QStringLiteral("cannot prepare the password for the server (libcrypto)")});
            entry.insert(QStringLiteral("password"), plain);
            list.replace(i, entry);
        }
        d.insert(QStringLiteral("passwords"), list);
    }
    QJsonObject result;
    const Result<QJsonObject> params = send(method, d, &result);
    if (!params.ok())
        return params;
    return Result<QJsonObject>::success(result);
}

Result<HelloResult> DialectPlain::hello(const QJsonObject &data)
{
    QJsonObject d = data;
    if (!d.contains(QStringLiteral("agent_version")))
        d.insert(QStringLiteral("agent_version"), m_identity.agentVersion);
    Result<QJsonObject> params = call(QStringLiteral("oco.agent.hello"), d);
    if (!params.ok())
        return Result<HelloResult>::fail(params.failure);
    const Failure handOver = m_keys.takeAgentKey(params.value->value(QStringLiteral("agent-key")));
    if (!handOver.ok())
        return Result<HelloResult>::fail(handOver);
    return Result<HelloResult>::success(helloFromParams(*params.value));
}

Result<QJsonObject> DialectPlain::update(const QJsonObject &inventory)
{
    return call(QStringLiteral("oco.agent.update"), inventory);
}

Result<bool> DialectPlain::reportJob(const JobReport &report)
{
    // v1.0.2 and v1.0.3 refuse a null return-code: 0 for the intermediate states, as in the 2021 dialect.
    QJsonObject data{{QStringLiteral("job-id"), report.jobId},
                     {QStringLiteral("state"), report.state},
                     {QStringLiteral("return-code"), report.returnCode.value_or(0)},
                     {QStringLiteral("message"), report.message}};
    if (report.downloadProgress) // stored since v1.0.4, ignored before
        data.insert(QStringLiteral("download-progress"), *report.downloadProgress);
    Result<QJsonObject> params = call(QStringLiteral("oco.agent.update_job_state"), data);
    if (!params.ok())
        return Result<bool>::fail(params.failure);
    const QJsonValue ok = params.value->value(QStringLiteral("job-succeeded"));
    return Result<bool>::success(ok.isBool() ? ok.toBool() : true);
}

QUrl DialectPlain::downloadUrl(const QJsonValue &packageId) const
{
    QUrl url = apiUrl();
    const QString id =
        packageId.isString() ? packageId.toString() : QString::number(static_cast<qint64>(packageId.toDouble()));
    const QByteArray query = "id=" + QUrl::toPercentEncoding(id) +
                             "&hostname=" + QUrl::toPercentEncoding(m_identity.hostname) +
                             "&agent-key=" + QUrl::toPercentEncoding(m_config.agentKey);
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

Failure DialectPlain::download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                               qint64 resumeFrom)
{
    const QUrl url = downloadUrl(job.packageId);
    qCDebug(lcProtocol).noquote() << "-> GET" << url.adjusted(QUrl::RemoveQuery).toString() << "package"
                                  << job.packageId.toVariant().toString()
                                  << (resumeFrom > 0 ? QStringLiteral("from byte %1").arg(resumeFrom) : QString());
    // No Content-Type: that is how the server tells a download from an API call. It ignores Range and
    // sends the whole file, which downloadToFile handles by starting over.
    const HttpResponse res = m_http.downloadToFile(url, "GET", {}, {}, filePath, progress, resumeFrom);
    if (!res.failure.ok())
        return res.failure;
    if (res.status != 200 && res.status != 206)
        return describePlainHttpError(QStringLiteral("the package download"), res.status, res.reason, res.body,
                                      m_identity.hostname);
    if (QFileInfo(filePath).size() == 0)
        return {FailureKind::Malformed, 200,
                QStringLiteral("the server sent an empty package %1").arg(job.packageId.toVariant().toString())};
    return {};
}

} // namespace oco
