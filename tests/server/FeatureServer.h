#pragma once

#include "features/Rpc.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace oco::test {

// What the OCO server (v1.2.2) does with oco.agent.events and oco.agent.passwords for one computer
// (docs/server-protocol.md §4.8, §4.9): validation, storage, AES-256-CBC decryption with the computer's agent key,
// rotation rules and the 5-minute revoke window. Used as the server side of the feature tests, and
// meant to be called by the test server's current-dialect handler for these two methods.
class FeatureServer
{
public:
    struct StoredEvent
    {
        QString log, timestamp, provider;
        int level = -1, eventId = -1;
        QJsonValue data;
        bool operator==(const StoredEvent &o) const
        {
            return log == o.log && timestamp == o.timestamp && provider == o.provider && level == o.level &&
                   eventId == o.eventId && data == o.data;
        }
    };
    struct StoredPassword
    {
        QString username;
        QString password;
        QDateTime storedAt;
    };
    struct Reply
    {
        int status = 200;
        QString error;      // plain-text body for non-200
        QJsonObject result; // {"success": .., "params": []}
    };

    QByteArray agentKey;       // the computer's individual key
    QStringList rotationUsers; // user names a password rotation rule applies to
    QDateTime now = QDateTime::currentDateTimeUtc();
    QList<StoredEvent> events;
    QList<StoredPassword> passwords;
    QList<QPair<QString, QJsonObject>> calls; // every request as received

    Reply handle(const QString &method, const QJsonObject &data);
    // The agent side's view: a verified call that returns the result object.
    RpcCall rpc();

    // Decrypts {"iv","data"} the way the server does (key cut or NUL-padded to 32 bytes).
    static bool decrypt(const QJsonObject &encrypted, const QByteArray &agentKey, QString *plain);

private:
    Reply storeEvents(const QJsonObject &data);
    Reply storePasswords(const QJsonObject &data);
};

} // namespace oco::test
