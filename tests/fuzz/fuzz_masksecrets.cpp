// Log masking (app/core/Log maskSecrets): on any bytes it terminates; on JSON as the agent and PHP write
// it, the result is still JSON and every secret member ("agent-key", "server-key", "password", ...) with a
// string value reads "***".
#include "FuzzSupport.h"
#include "core/Log.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace oco;

namespace {
const QStringList kSecrets{QStringLiteral("agent-key"), QStringLiteral("server-key"), QStringLiteral("password"),
                           QStringLiteral("data"), QStringLiteral("iv")};

void checkMasked(const QJsonValue &v, const QString &where)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (kSecrets.contains(it.key()) && it.value().isString())
                FUZZ_CHECK(it.value().toString() == QLatin1String("***"),
                           where + QLatin1Char('.') + it.key() + QStringLiteral(" = ") + it.value().toString());
            checkMasked(it.value(), where + QLatin1Char('.') + it.key());
        }
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (const QJsonValue &e : a)
            checkMasked(e, where + QStringLiteral("[]"));
    }
}
} // namespace

OCO_FUZZ_TARGET
{
    const QByteArray raw = fuzz::bytes(data, size);
    (void)maskSecrets(raw);
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    if (doc.isNull())
        return 0;
    // What the agent logs: its own compact JSON and the server's replies (PHP escapes '/').
    const QByteArray compact = doc.toJson(QJsonDocument::Compact);
    for (const QByteArray &form :
         {compact, QByteArray(compact).replace("/", "\\/"), doc.toJson(QJsonDocument::Indented)}) {
        const QByteArray masked = maskSecrets(form);
        QJsonParseError error;
        const QJsonDocument back = QJsonDocument::fromJson(masked, &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError,
                   QStringLiteral("masking broke the JSON: ") + error.errorString());
        checkMasked(back.isObject() ? QJsonValue(back.object()) : QJsonValue(back.array()), QStringLiteral("$"));
    }
    return 0;
}
