// A 2021-dialect reply as Dialect2021::call and ::hello use it: the JSON-RPC envelope
// (Dialect::parseEnvelope), the server-key check and agent-key hand-over (KeyKeeper), then the jobs
// (parseJobs / Job::fromJson). Invariants: garbage is refused in words; a refused reply changes no key;
// a stored key reads back exactly and nothing else in the config changes; every accepted job has an id
// and survives a round trip through the journal's JSON form.
#include "FuzzSupport.h"
#include "config/Config.h"
#include "core/StateStore.h"
#include "protocol/Dialect.h"
#include "protocol/Dialect2021.h"
#include "protocol/KeyKeeper.h"

#include <QDir>
#include <QFile>

using namespace oco;

namespace {
// parseEnvelope is protected: a subclass makes it reachable without an HTTP round trip.
struct EnvelopeProbe : Dialect
{
    using Dialect::parseEnvelope;
};

const QString kServerKey = QStringLiteral("serverkey000000000000000000000");
const QString kIndividual = QStringLiteral("individualkey0000000000000000a");
const QString kApiUrl = QStringLiteral("http://127.0.0.1:1/api-agent.php");
} // namespace

OCO_FUZZ_TARGET
{
    const QByteArray body = fuzz::bytes(data, size);
    HttpResponse res;
    res.status = 200;
    res.reason = "OK";
    res.body = body;
    QJsonObject result;
    const Result<QJsonObject> params = EnvelopeProbe::parseEnvelope(QStringLiteral("oco.agent_hello"), res, &result);
    if (!params.ok()) {
        FUZZ_CHECK(!params.failure.message.isEmpty(), QString());
        FUZZ_CHECK(params.failure.kind == FailureKind::Malformed || params.failure.kind == FailureKind::Http,
                   params.failure.message);
        return 0;
    }

    // Three agent situations, chosen by the input length so every seed reaches each of them over time:
    // first contact (no keys), registered with the registration key, registered with its own key.
    const int situation = static_cast<int>(size % 3);
    static const QString dir = fuzz::scratchDir();
    const QString configPath = dir + QStringLiteral("/reply.ini");
    const QString agentKey = situation == 2 ? kIndividual : QStringLiteral("ernesto");
    const QString serverKey = situation == 0 ? QString() : kServerKey;
    fuzz::writeFile(configPath, QStringLiteral("[agent]\nagent-key = %1\n\n[server]\napi-url = %2\nserver-key = %3\n")
                                    .arg(agentKey, kApiUrl, serverKey)
                                    .toUtf8());
    QFile::remove(dir + QStringLiteral("/state/state.json"));
    Config config;
    StateStore state;
    QString error;
    FUZZ_CHECK(config.load(configPath, &error), error);
    FUZZ_CHECK(state.open(dir + QStringLiteral("/state"), &error), error);
    if (situation == 2)
        FUZZ_CHECK(state.setValue(QStringLiteral("individual-agent-key-received"), true, &error), error);

    KeyKeeper keys(config, state);
    const QJsonValue sentServerKey = params.value->value(QStringLiteral("server-key"));
    const Failure serverCheck = keys.checkServerKey(sentServerKey, true);
    Config reread;
    if (!serverCheck.ok()) {
        FUZZ_CHECK(!serverCheck.message.isEmpty(), QString());
        FUZZ_CHECK(reread.load(configPath, &error) && reread.serverKey == serverKey && reread.agentKey == agentKey,
                   QStringLiteral("a refused reply changed the config: ") + error);
        return 0;
    }
    if (!serverKey.isEmpty())
        FUZZ_CHECK(sentServerKey.toString() == serverKey, sentServerKey.toString());

    const QJsonValue sentAgentKey = params.value->value(QStringLiteral("agent-key"));
    const Failure handOver = keys.takeAgentKey(sentAgentKey);
    FUZZ_CHECK(reread.load(configPath, &error), QStringLiteral("the stored config does not load: ") + error);
    FUZZ_CHECK(reread.apiUrl == kApiUrl, QStringLiteral("api-url became '%1'").arg(reread.apiUrl));
    FUZZ_CHECK(reread.ini().keys(QStringLiteral("agent")).size() == 1,
               reread.ini().keys(QStringLiteral("agent")).join(QLatin1Char(',')));
    if (!handOver.ok()) {
        FUZZ_CHECK(!handOver.message.isEmpty(), QString());
        FUZZ_CHECK(reread.agentKey == agentKey, QStringLiteral("a refused hand-over changed the agent key"));
    } else if (sentAgentKey.isString() && !sentAgentKey.toString().isEmpty()) {
        FUZZ_CHECK(situation != 2 || sentAgentKey.toString() == kIndividual, sentAgentKey.toString());
        FUZZ_CHECK(
            reread.agentKey == sentAgentKey.toString(),
            QStringLiteral("stored agent key '%1' reads back as '%2'").arg(sentAgentKey.toString(), reread.agentKey));
    }
    if (!sentServerKey.toString().isEmpty() && serverKey.isEmpty())
        FUZZ_CHECK(reread.serverKey == sentServerKey.toString(),
                   QStringLiteral("stored server key '%1' reads back as '%2'")
                       .arg(sentServerKey.toString(), reread.serverKey));

    HelloResult hello;
    parseJobs(params.value->value(QStringLiteral("software-jobs")), &hello);
    for (const QString &reason : qAsConst(hello.invalidJobs))
        FUZZ_CHECK(!reason.isEmpty(), QString());
    for (const Job &job : qAsConst(hello.jobs)) {
        FUZZ_CHECK(!job.idText().isEmpty(), QString());
        Job back;
        QString reason;
        FUZZ_CHECK(Job::fromJson(job.toJson(), &back, &reason), reason);
        FUZZ_CHECK(back.toJson() == job.toJson(), job.idText());
    }
    return 0;
}
