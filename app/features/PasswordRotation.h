#pragma once

#include "Rpc.h"
#include "platform/Accounts.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace oco {

class Clock;

// The seam rotate() changes local passwords through (platform/Accounts.h).
using platform::LocalPasswordChanger;

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
