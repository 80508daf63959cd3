#include "PasswordRotation.h"

#include "core/Clock.h"
#include "core/LazyLibrary.h"
#include "core/Log.h"

#include <QRandomGenerator>

#include <openssl/evp.h> // declarations only: libcrypto is loaded at run time (LibCrypto below)

#include <cstring>
#include <memory>

namespace oco {

namespace {

using platform::wipe;

// OpenSSL's AES, loaded the first time a password is rotated (core/LazyLibrary.h): linked, libcrypto was
// 1.4 MB of every idle service's memory (bench/idle). With a TLS server Qt has loaded it already.
struct LibCrypto
{
    decltype(&::EVP_CIPHER_CTX_new) ctxNew = nullptr;
    decltype(&::EVP_CIPHER_CTX_free) ctxFree = nullptr;
    decltype(&::EVP_CIPHER_CTX_set_padding) setPadding = nullptr;
    decltype(&::EVP_aes_256_cbc) aes256Cbc = nullptr;
    decltype(&::EVP_EncryptInit_ex) encryptInit = nullptr;
    decltype(&::EVP_EncryptUpdate) encryptUpdate = nullptr;
    decltype(&::EVP_EncryptFinal_ex) encryptFinal = nullptr;

    static const LibCrypto *get()
    {
        static const LibCrypto loaded = [] {
            LibCrypto c;
            QLibrary lib(QStringLiteral("crypto"), 3);
            if (!lib.load()) {
                qCWarning(lcSecurity).noquote() << "cannot load OpenSSL's libcrypto.so.3:" << lib.errorString();
                return c;
            }
            auto resolve = [&lib](auto &fn, const char *name) { return resolveInto(lib, fn, name); };
            if (!(resolve(c.ctxNew, "EVP_CIPHER_CTX_new") && resolve(c.ctxFree, "EVP_CIPHER_CTX_free") &&
                  resolve(c.setPadding, "EVP_CIPHER_CTX_set_padding") && resolve(c.aes256Cbc, "EVP_aes_256_cbc") &&
                  resolve(c.encryptInit, "EVP_EncryptInit_ex") && resolve(c.encryptUpdate, "EVP_EncryptUpdate") &&
                  resolve(c.encryptFinal, "EVP_EncryptFinal_ex"))) {
                qCWarning(lcSecurity).noquote() << "libcrypto.so.3 lacks an AES function:" << lib.errorString();
                c.ctxNew = nullptr;
            }
            return c;
        }();
        return loaded.ctxNew ? &loaded : nullptr;
    }
};

} // namespace

namespace PasswordCrypto {

quint32 uniform(quint32 bound)
{
    if (bound <= 1)
        return 0;
    // Reject the top partial range so every residue is equally likely.
    const quint64 range = quint64(1) << 32;
    const quint64 limit = range - (range % bound);
    for (;;) {
        const quint64 v = QRandomGenerator::system()->generate();
        if (v < limit)
            return static_cast<quint32>(v % bound);
    }
}

QString generate(const QString &alphabet, int length)
{
    const QList<uint> chars = alphabet.toUcs4();
    if (chars.isEmpty() || length <= 0 || length > PasswordRotation::MaxLength)
        return {};
    QList<uint> picked;
    picked.reserve(length);
    for (int i = 0; i < length; ++i)
        picked.append(chars.at(static_cast<qsizetype>(uniform(static_cast<quint32>(chars.size())))));
    QString out = QString::fromUcs4(reinterpret_cast<const char32_t *>(picked.constData()), picked.size());
    std::fill(picked.begin(), picked.end(), 0u);
    return out;
}

QByteArray aesKey(const QByteArray &agentKey)
{
    QByteArray key = agentKey.left(32);
    key.append(QByteArray(32 - key.size(), '\0'));
    return key;
}

QJsonObject encryptWithIv(const QByteArray &plain, const QByteArray &agentKey, const QByteArray &iv)
{
    if (iv.size() != 16)
        return {};
    const LibCrypto *crypto = LibCrypto::get();
    if (!crypto)
        return {};
    QByteArray key = aesKey(agentKey);
    std::unique_ptr<EVP_CIPHER_CTX, decltype(crypto->ctxFree)> ctx(crypto->ctxNew(), crypto->ctxFree);
    QByteArray out(plain.size() + 32, '\0');
    int len1 = 0, len2 = 0;
    const bool ok = ctx &&
                    crypto->encryptInit(ctx.get(), crypto->aes256Cbc(), nullptr,
                                        reinterpret_cast<const unsigned char *>(key.constData()),
                                        reinterpret_cast<const unsigned char *>(iv.constData())) == 1 &&
                    crypto->setPadding(ctx.get(), 1) == 1 && // PKCS#7 over the bytes, not the characters
                    crypto->encryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len1,
                                          reinterpret_cast<const unsigned char *>(plain.constData()),
                                          static_cast<int>(plain.size())) == 1 &&
                    crypto->encryptFinal(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + len1, &len2) == 1;
    wipe(key);
    if (!ok)
        return {};
    out.truncate(len1 + len2);
    return {{QStringLiteral("iv"), QString::fromLatin1(iv.toBase64())},
            {QStringLiteral("data"), QString::fromLatin1(out.toBase64())}};
}

QJsonObject encrypt(const QByteArray &plain, const QByteArray &agentKey)
{
    // The kernel's CSPRNG (getrandom), as Qt's system generator always uses it.
    QByteArray iv(16, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(iv.data()), iv.size() / 4);
    return encryptWithIv(plain, agentKey, iv);
}

} // namespace PasswordCrypto

bool PasswordRequest::fromJson(const QJsonValue &v, PasswordRequest *out, QString *error)
{
    const QJsonObject o = v.toObject();
    out->username = o.value(QStringLiteral("username")).toString();
    out->alphabet = o.value(QStringLiteral("alphabet")).toString();
    const QJsonValue len = o.value(QStringLiteral("length"));
    // The server may send the length as a number or a numeric string.
    bool ok = len.isDouble();
    double n = len.toDouble();
    if (len.isString())
        n = len.toString().toDouble(&ok);
    out->length = ok && n == static_cast<int>(n) ? static_cast<int>(n) : 0;
    if (!v.isObject() || out->username.isEmpty()) {
        *error = QStringLiteral("an update-passwords entry without a user name");
        return false;
    }
    if (out->alphabet.isEmpty()) {
        *error = QStringLiteral("%1: the alphabet is empty").arg(out->username);
        return false;
    }
    if (out->length <= 0 || out->length > PasswordRotation::MaxLength) {
        *error = QStringLiteral("%1: the length must be 1 to %2").arg(out->username).arg(PasswordRotation::MaxLength);
        return false;
    }
    return true;
}

RotationOutcome PasswordRotation::rotate(const QJsonArray &requests, const QByteArray &agentKey, const RpcCall &call,
                                         LocalPasswordChanger &changer)
{
    return rotate(requests, agentKey, call, changer, Clock::system());
}

namespace {

struct NewPassword
{
    QString username;
    QString password;
};

// A new password per valid request (each user once) and its encrypted copy for the server.
QList<NewPassword> generatePasswords(const QJsonArray &requests, const QByteArray &agentKey, QJsonArray *entries,
                                     RotationOutcome *outcome)
{
    QList<NewPassword> items;
    for (const QJsonValue &v : requests) {
        PasswordRequest req;
        QString err;
        if (!PasswordRequest::fromJson(v, &req, &err)) {
            qCWarning(lcSecurity).noquote() << "password rotation: ignored an invalid request:" << err;
            outcome->failed << err;
            continue;
        }
        bool duplicate = false;
        for (const NewPassword &i : std::as_const(items))
            duplicate = duplicate || i.username == req.username;
        if (duplicate) {
            qCWarning(lcSecurity).noquote() << "password rotation: user" << req.username << "asked twice; once is done";
            continue;
        }
        NewPassword item{req.username, PasswordCrypto::generate(req.alphabet, req.length)};
        QByteArray plain = item.password.toUtf8();
        const QJsonObject enc = PasswordCrypto::encrypt(plain, agentKey);
        wipe(plain);
        if (item.password.isEmpty() || enc.isEmpty()) {
            qCCritical(lcSecurity).noquote()
                << "password rotation: could not generate or encrypt a password for" << req.username;
            outcome->failed << req.username + QStringLiteral(": could not generate or encrypt a password");
            continue;
        }
        entries->append(QJsonObject{{QStringLiteral("username"), item.username}, {QStringLiteral("password"), enc}});
        items.append(item);
    }
    return items;
}

// Changes each password locally; the ones that did not take effect are returned as revocations for the server.
QJsonArray changeLocally(QList<NewPassword> &items, const QByteArray &agentKey, LocalPasswordChanger &changer,
                         RotationOutcome *outcome, QStringList *revokeNames)
{
    QJsonArray revokes;
    for (NewPassword &i : items) {
        QString err;
        if (changer.change(i.username, i.password, &err)) {
            qCInfo(lcSecurity).noquote() << "password of local user" << i.username << "rotated";
            outcome->changed << i.username;
        } else {
            qCWarning(lcSecurity).noquote() << "password rotation for" << i.username << "failed locally:" << err;
            outcome->failed << i.username + QStringLiteral(": ") + err;
            QByteArray plain = i.password.toUtf8();
            const QJsonObject enc = PasswordCrypto::encrypt(plain, agentKey);
            wipe(plain);
            if (!enc.isEmpty()) {
                revokes.append(QJsonObject{{QStringLiteral("username"), i.username},
                                           {QStringLiteral("password"), enc},
                                           {QStringLiteral("revoke"), true}});
                *revokeNames << i.username;
            }
        }
        wipe(i.password);
    }
    return revokes;
}

void withdrawServerCopies(const QJsonArray &revokes, const QStringList &revokeNames, const RpcCall &call,
                          RotationOutcome *outcome)
{
    const Result<QJsonObject> revoked =
        call(QStringLiteral("oco.agent.passwords"), QJsonObject{{QStringLiteral("passwords"), revokes}});
    if (revoked.ok() && revoked.value->value(QStringLiteral("success")).toBool()) {
        outcome->revoked = revokeNames;
        qCInfo(lcSecurity).noquote() << "withdrew the unused server copy of the password of"
                                     << revokeNames.join(QStringLiteral(", "));
    } else {
        qCWarning(lcSecurity).noquote() << "could not withdraw the unused server copy of the password of"
                                        << revokeNames.join(QStringLiteral(", ")) << ":"
                                        << (revoked.ok() ? QStringLiteral("the server did not confirm")
                                                         : revoked.failure.message);
    }
}

} // namespace

RotationOutcome PasswordRotation::rotate(const QJsonArray &requests, const QByteArray &agentKey, const RpcCall &call,
                                         LocalPasswordChanger &changer, const Clock &clock)
{
    RotationOutcome outcome;
    if (requests.isEmpty())
        return outcome;
    if (agentKey.isEmpty()) {
        qCWarning(lcSecurity) << "password rotation skipped: there is no agent key to encrypt the passwords with";
        outcome.serverRefused = true;
        return outcome;
    }
    QJsonArray entries;
    QList<NewPassword> items = generatePasswords(requests, agentKey, &entries, &outcome);
    if (items.isEmpty())
        return outcome;

    // 1. The server keeps the new passwords first: a password changed only locally would be lost.
    const Result<QJsonObject> stored =
        call(QStringLiteral("oco.agent.passwords"), QJsonObject{{QStringLiteral("passwords"), entries}});
    const QDateTime storedAt = clock.nowUtc();
    if (!stored.ok() || stored.value->value(QStringLiteral("success")).toBool() != true) {
        outcome.serverRefused = true;
        const QString why = stored.ok()
                                ? QStringLiteral("the server did not confirm it stored them (success is not true)")
                                : stored.failure.message;
        qCWarning(lcSecurity).noquote() << "password rotation: nothing changed locally for" << items.size()
                                        << "account(s):" << why;
        for (NewPassword &i : items) {
            outcome.failed << i.username + QStringLiteral(": not stored on the server");
            wipe(i.password);
        }
        return outcome;
    }

    // 2. Local change; 3. withdraw the server copy of every password that did not take effect.
    QStringList revokeNames;
    const QJsonArray revokes = changeLocally(items, agentKey, changer, &outcome, &revokeNames);
    if (revokes.isEmpty())
        return outcome;
    if (storedAt.secsTo(clock.nowUtc()) >= 5 * 60)
        qCWarning(lcSecurity) << "password rotation: the local change took longer than 5 minutes; the server may no "
                                 "longer accept the revocation";
    withdrawServerCopies(revokes, revokeNames, call, &outcome);
    return outcome;
}

} // namespace oco
