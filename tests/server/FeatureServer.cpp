#include "FeatureServer.h"

#include <QJsonArray>
#include <QStringDecoder>

#include <openssl/evp.h>

#include <memory>

namespace oco::test {

namespace {

FeatureServer::Reply invalid(const QString &message)
{
    FeatureServer::Reply r;
    r.status = 400;
    r.error = message;
    return r;
}

FeatureServer::Reply ok(bool success)
{
    FeatureServer::Reply r;
    r.result = QJsonObject{{QStringLiteral("success"), success}, {QStringLiteral("params"), QJsonArray()}};
    return r;
}

// PHP intval() of a JSON scalar; the server stores 0 and empty values as -1.
int storedInt(const QJsonValue &v)
{
    int n = 0;
    if (v.isDouble())
        n = static_cast<int>(v.toDouble());
    else if (v.isString())
        n = v.toString().trimmed().toInt();
    return n == 0 ? -1 : n;
}

} // namespace

bool FeatureServer::decrypt(const QJsonObject &encrypted, const QByteArray &agentKey, QString *plain)
{
    const QByteArray iv = QByteArray::fromBase64(encrypted.value(QStringLiteral("iv")).toString().toLatin1());
    const QByteArray data = QByteArray::fromBase64(encrypted.value(QStringLiteral("data")).toString().toLatin1());
    if (iv.size() != 16 || data.isEmpty())
        return false;
    QByteArray key = agentKey.left(32);
    key.append(QByteArray(32 - key.size(), '\0'));
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray out(data.size() + 32, '\0');
    int n1 = 0, n2 = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr,
                           reinterpret_cast<const unsigned char *>(key.constData()),
                           reinterpret_cast<const unsigned char *>(iv.constData())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &n1,
                          reinterpret_cast<const unsigned char *>(data.constData()),
                          static_cast<int>(data.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + n1, &n2) != 1)
        return false;
    out.truncate(n1 + n2);
    // A wrong key still yields valid padding about once in 256 tries; real servers would store that garbage.
    // Generated passwords are text, so garbage is refused here too and tests of a wrong key stay deterministic.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *plain = utf8(out);
    return !utf8.hasError() && !plain->contains(QChar(0));
}

FeatureServer::Reply FeatureServer::handle(const QString &method, const QJsonObject &data)
{
    calls.append({method, data});
    if (data.isEmpty())
        return invalid(QStringLiteral("Invalid JSON data"));
    if (method == QLatin1String("oco.agent.events"))
        return storeEvents(data);
    if (method == QLatin1String("oco.agent.passwords"))
        return storePasswords(data);
    return invalid(QStringLiteral("Unknown method"));
}

FeatureServer::Reply FeatureServer::storeEvents(const QJsonObject &data)
{
    if (!data.value(QStringLiteral("events")).isArray())
        return invalid(QStringLiteral("Invalid JSON data"));
    for (const QJsonValue &v : data.value(QStringLiteral("events")).toArray()) {
        const QJsonObject e = v.toObject();
        if (!e.value(QStringLiteral("log")).isString() || !e.value(QStringLiteral("timestamp")).isString())
            continue; // the server skips these silently
        StoredEvent s;
        s.log = e.value(QStringLiteral("log")).toString();
        s.timestamp = e.value(QStringLiteral("timestamp")).toString();
        s.provider = e.value(QStringLiteral("provider")).toString();
        s.level = storedInt(e.value(QStringLiteral("level")));
        s.eventId = storedInt(e.value(QStringLiteral("event_id")));
        s.data = e.value(QStringLiteral("data"));
        if (!events.contains(s)) // exact duplicates are not inserted again
            events.append(s);
    }
    return ok(true);
}

FeatureServer::Reply FeatureServer::storePasswords(const QJsonObject &data)
{
    if (!data.value(QStringLiteral("passwords")).isArray())
        return invalid(QStringLiteral("Invalid JSON data"));
    bool success = false;
    for (const QJsonValue &v : data.value(QStringLiteral("passwords")).toArray()) {
        const QJsonObject p = v.toObject();
        const QString user = p.value(QStringLiteral("username")).toString();
        const QJsonValue pw = p.value(QStringLiteral("password"));
        QString plain;
        if (pw.isObject()) {
            if (!decrypt(pw.toObject(), agentKey, &plain))
                return invalid(QStringLiteral("Invalid password data"));
        } else {
            plain = pw.toString();
        }
        if (user.isEmpty() || plain.isEmpty())
            continue;
        if (p.value(QStringLiteral("revoke")).toBool()) {
            for (qsizetype i = passwords.size() - 1; i >= 0; --i) {
                const StoredPassword &s = passwords.at(i);
                if (s.username == user && s.password == plain && s.storedAt.secsTo(now) < 5 * 60) {
                    passwords.removeAt(i);
                    success = true;
                }
            }
            continue;
        }
        if (!rotationUsers.contains(user))
            continue;
        passwords.append({user, plain, now});
        success = true;
    }
    return ok(success);
}

RpcCall FeatureServer::rpc()
{
    return [this](const QString &method, const QJsonObject &data) {
        const Reply r = handle(method, data);
        if (r.status != 200)
            return Result<QJsonObject>::fail(
                {r.status == 401 ? FailureKind::Auth : FailureKind::Http, r.status,
                 QStringLiteral("the server answered HTTP %1: %2").arg(r.status).arg(r.error)});
        return Result<QJsonObject>::success(r.result);
    };
}

} // namespace oco::test
