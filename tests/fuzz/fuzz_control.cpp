// Control-socket messages (app/control/ControlServer): whatever a local client sends, each line is either
// a JSON object of at most 64 KiB or refused in words, and a first message is accepted only when it is a
// hello of our protocol version.
#include "FuzzSupport.h"
#include "control/ControlServer.h"
#include "controlproto/Messages.h"

#include <QJsonObject>

using namespace oco;

OCO_FUZZ_TARGET
{
    const QByteArray input = fuzz::bytes(data, size);
    bool first = true;
    for (const QByteArray &line : input.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonObject msg;
        QString error;
        const bool ok = ControlServer::parseMessage(line, &msg, &error);
        FUZZ_CHECK(ok == error.isEmpty(), error);
        if (!ok) {
            FUZZ_CHECK(error.startsWith(QLatin1String("malformed message")) ||
                           error.startsWith(QLatin1String("message longer")),
                       error);
            continue;
        }
        FUZZ_CHECK(line.size() <= control::kMaxRequestLine, QString::number(line.size()));
        if (first) {
            QString helloError;
            control::Hello parsed;
            const bool hello = control::Hello::fromJson(msg, &parsed, &helloError);
            const bool expected = msg.value(QStringLiteral("type")).toString() == QLatin1String("hello") &&
                                  msg.value(QStringLiteral("version")).isDouble() &&
                                  msg.value(QStringLiteral("version")).toDouble() == control::kProtocolVersion;
            FUZZ_CHECK(hello == expected, helloError);
            FUZZ_CHECK(hello || !helloError.isEmpty(), QString());
            first = false;
        }
    }
    return 0;
}
