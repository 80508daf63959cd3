// A current-dialect reply as DialectCurrent checks it before anything in it is used: the server signature
// over the exact bytes (x-oco-server-signature), the envelope, the rolling server timestamp, the key rules.
// The first input byte chooses a correct signature, a wrong one or none; the rest is the body.
// Invariants: a refused reply changes neither the config nor the stored server timestamp; an accepted one
// was correctly signed and moved the stored timestamp forward.
#include "FuzzSupport.h"
#include "config/Config.h"
#include "core/StateStore.h"
#include "protocol/DialectCurrent.h"

#include <QDir>
#include <QFile>

using namespace oco;

namespace {
struct ReplyProbe : DialectCurrent
{
    using DialectCurrent::DialectCurrent;
    using DialectCurrent::verifyReply;
};

const QString kServerKey = QStringLiteral("serverkey000000000000000000000");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

OCO_FUZZ_TARGET
{
    if (size == 0)
        return 0;
    const int mode = data[0] % 3; // 0 signed correctly, 1 wrong signature, 2 unsigned
    const QByteArray body = fuzz::bytes(data + 1, size - 1);

    static const QString dir = fuzz::scratchDir();
    const QString configPath = dir + QStringLiteral("/current.ini");
    fuzz::writeFile(configPath, QStringLiteral("[agent]\nagent-key = individualkey0000000000000000a\n\n[server]\n"
                                               "api-url = http://127.0.0.1:1/api-agent.php\nserver-key = %1\n"
                                               "protocol = current\n")
                                    .arg(kServerKey)
                                    .toUtf8());
    QDir(dir + QStringLiteral("/state")).removeRecursively();
    Config config;
    StateStore state;
    QString error;
    FUZZ_CHECK(config.load(configPath, &error), error);
    FUZZ_CHECK(state.open(dir + QStringLiteral("/state"), &error), error);
    static HttpClient http;
    ReplyProbe dialect(config, state, http,
                       AgentIdentity{QStringLiteral("pc1"), QStringLiteral("uid-1"), QStringLiteral("1.3.0")});
    const double before = dialect.lastAcceptedServerTimestamp();
    const QByteArray configBefore = readAll(configPath);

    HttpResponse res;
    res.status = 200;
    res.reason = "OK";
    res.body = body;
    if (mode == 0)
        res.headers.append({"x-oco-server-signature", DialectCurrent::sign(kServerKey.toUtf8(), body)});
    else if (mode == 1)
        res.headers.append({"x-oco-server-signature", QByteArray(64, 'a')});
    QJsonObject result;
    const Result<QJsonObject> params = dialect.verifyReply(QStringLiteral("oco.agent.update"), res, &result);
    if (!params.ok()) {
        FUZZ_CHECK(!params.failure.message.isEmpty(), QString());
        FUZZ_CHECK(readAll(configPath) == configBefore, params.failure.message);
        FUZZ_CHECK(dialect.lastAcceptedServerTimestamp() == before, params.failure.message);
        return 0;
    }
    FUZZ_CHECK(mode == 0, QStringLiteral("a reply without the right signature was accepted"));
    FUZZ_CHECK(dialect.lastAcceptedServerTimestamp() > before, QStringLiteral("the timestamp did not move forward"));
    return 0;
}
