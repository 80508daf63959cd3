#pragma once

#include "Rpc.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace oco {

class Clock;

// Changes the password of a local account. The real one runs chpasswd; tests also use a recording fake.
class LocalPasswordChanger
{
public:
    virtual ~LocalPasswordChanger() = default;
    // Returns false with a reason (never containing the password) when the change did not happen.
    virtual bool change(const QString &username, const QString &password, QString *error) = 0;
};

// `chpasswd -e` by absolute path, "user:<SHA-512 crypt hash>" on its stdin (never in its arguments, which
// every local user can read), in serverProgramEnvironment(). `program` must be an absolute path (tests
// pass a recording stand-in).
class ChpasswdPasswordChanger : public LocalPasswordChanger
{
public:
    explicit ChpasswdPasswordChanger(QString program = defaultProgram(), double timeoutSecs = 60)
        : m_program(std::move(program))
        , m_timeoutSecs(timeoutSecs)
    {}
    bool change(const QString &username, const QString &password, QString *error) override;
    // /usr/sbin/chpasswd (or /sbin/chpasswd where only that exists).
    static QString defaultProgram();

private:
    QString m_program;
    double m_timeoutSecs;
};

namespace PasswordCrypto {
// `length` characters (Unicode code points) drawn uniformly and independently from the code points of
// `alphabet` with the system CSPRNG (rejection sampling, no modulo bias). Empty on bad input.
QString generate(const QString &alphabet, int length);
// A uniform number in [0, bound) from the system CSPRNG, without modulo bias.
quint32 uniform(quint32 bound);
// AES-256-CBC with PKCS#7 padding over the UTF-8 bytes of `plain`, as the server decrypts it
// (docs/server-protocol.md §4.9): key = `agentKey` bytes cut or NUL-padded to 32 bytes, random 16-byte IV.
// Returns {"iv": base64, "data": base64}; empty object when OpenSSL fails.
QJsonObject encrypt(const QByteArray &plain, const QByteArray &agentKey);
QJsonObject encryptWithIv(const QByteArray &plain, const QByteArray &agentKey, const QByteArray &iv);
QByteArray aesKey(const QByteArray &agentKey);
// SHA-512 crypt hash ("$6$<salt>$...") with a random salt; empty when libcrypt fails.
QByteArray sha512Crypt(const QByteArray &password);
} // namespace PasswordCrypto

// One `update-passwords` item of the hello reply.
struct PasswordRequest
{
    QString username;
    QString alphabet;
    int length = 0;
    static bool fromJson(const QJsonValue &v, PasswordRequest *out, QString *error);
};

struct RotationOutcome
{
    QStringList changed; // stored on the server and changed locally
    QStringList failed;  // with the reason, e.g. "localadmin: no such user"
    QStringList revoked; // server copy withdrawn after a local failure
    bool serverRefused = false;
};

// Local admin password rotation (docs/agent-behaviour.md §9, docs/server-protocol.md §4.9): generate, store on the
// server in ONE oco.agent.passwords request, and only when the server answered success change the
// local accounts; a local failure withdraws the server copy with `revoke: true` (the server accepts
// that for 5 minutes). Passwords never reach the log.
class PasswordRotation
{
public:
    static constexpr int MaxLength = 1024;
    static RotationOutcome rotate(const QJsonArray &requests, const QByteArray &agentKey, const RpcCall &call,
                                  LocalPasswordChanger &changer);
    static RotationOutcome rotate(const QJsonArray &requests, const QByteArray &agentKey, const RpcCall &call,
                                  LocalPasswordChanger &changer, const Clock &clock);
};

} // namespace oco
