// The current (signed) dialect end to end: the real oco-agent binary against the in-process test server.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"
#include "config/Config.h"
#include "core/StateStore.h"
#include "protocol/DialectCurrent.h"

#include <QJsonDocument>
#include <QtTest>

using namespace oco;
using namespace oco::test;

namespace {

const QString kHost = QStringLiteral("pc1");
const QString kUid = QStringLiteral("4c4c4544-0042-3510-8052-b3c04f4d4e32");

void writeCurrentConfig(AgentHarness &h, const QString &apiUrl, const QString &agentKey, const QString &serverKey = {},
                        const QString &protocol = QStringLiteral("current"), const QString &extra = {})
{
    h.writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nmachine-uid = %2\nconnection-timeout = 5\n"
                                 "read-timeout = 20\nquery-interval = 1\n\n[server]\napi-url = %3\nserver-key = %4\n"
                                 "protocol = %5\n%6")
                      .arg(agentKey, kUid, apiUrl, serverKey, protocol, extra));
}

QJsonObject replyJson(const HttpReply &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

// Rewrites a reply's JSON and signs it again with `key` (a server that has the key but misbehaves).
void resign(HttpReply *r, const QJsonObject &o, const QString &key)
{
    r->body = TestServer::phpJson(o);
    for (auto &h : r->extraHeaders)
        if (h.first == "x-oco-server-signature")
            h.second = TestServer::hmacHex(key.toUtf8(), r->body);
}

} // namespace

class TstProtocolCurrent : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    AgentHarness::Run runAgent(const QStringList &args = {QStringLiteral("--once")})
    {
        return m_agent->run(args, 60000);
    }
    // A registered computer whose keys the agent already has.
    void registered(QString *agentKey, QString *serverKey)
    {
        *agentKey = TestServer::randomKey();
        *serverKey = TestServer::randomKey();
        TestServer::Computer &c = m_server->addComputer(kHost, *agentKey, *serverKey);
        c.agentVersion = QStringLiteral("1.3.0");
        c.lastUpdate = QDateTime::currentDateTimeUtc();
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), *agentKey, *serverKey);
    }

private Q_SLOTS:
    void init() { QVERIFY(startServerAndAgent(kHost, TestServer::Generation::Current)); }
    void cleanup() { stopServerAndAgent(); }

    // Pre-registered computer: registration key -> individual key, server key TOFU, inventory, a dynamic job
    // with a download, every report in the current shape.
    void fullCycleWithDynamicJob()
    {
        m_server->addComputer(kHost); // pre-registered in the web console: no keys yet
        m_server->addPackage(QStringLiteral("45"),
                             ZipBuilder().file(QStringLiteral("install.sh"), "echo installed-from-zip\n").build());
        TestServer::Job &j = m_server->addJob(kHost, QStringLiteral("dynamic-17"), QStringLiteral("deployment_rule::3"),
                                              45, QStringLiteral("sh install.sh"));
        Q_UNUSED(j);
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey);
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));

        const TestServer::Computer *c = m_server->computer(kHost);
        QVERIFY(c);
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), c->agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), c->serverKey);
        QCOMPARE(c->inventoryUploads, 1);
        QCOMPARE(c->uid, kUid);
        QVERIFY(!c->inventory.value(QStringLiteral("os")).toString().isEmpty());

        // Hello carries the current fields.
        const QJsonObject hello = c->lastHello;
        QCOMPARE(hello.value(QStringLiteral("agent_version")).toString(), QStringLiteral("1.3.0"));
        for (const char *k : {"networks", "uptime", "battery_level", "battery_status", "services", "force_update"})
            QVERIFY2(hello.contains(QLatin1String(k)), k);
        QVERIFY(hello.value(QStringLiteral("services")).isArray());
        QCOMPARE(hello.value(QStringLiteral("force_update")).toBool(), false);

        // Every request: lowercase signature header over the exact body, uid/hostname, increasing timestamps.
        double lastTs = 0;
        QString keyAtTheTime = m_server->registrationKey;
        for (const RecordedRequest &req : qAsConst(m_server->requests)) {
            QByteArray sig;
            for (const auto &h : req.headers)
                if (h.first == "x-oco-agent-signature")
                    sig = h.second;
            QVERIFY2(!sig.isEmpty(), qPrintable(req.rpcMethod));
            if (req.rpcMethod != QLatin1String("oco.agent.hello"))
                keyAtTheTime = c->agentKey;
            QCOMPARE(sig, TestServer::hmacHex(keyAtTheTime.toUtf8(), req.body));
            QCOMPARE(req.header("Content-Type"), QByteArray("application/json"));
            const QJsonObject params = req.json.value(QStringLiteral("params")).toObject();
            QCOMPARE(params.value(QStringLiteral("uid")).toString(), kUid);
            QCOMPARE(params.value(QStringLiteral("hostname")).toString(), kHost);
            QVERIFY(!params.contains(QStringLiteral("agent-key")));
            const double ts = params.value(QStringLiteral("timestamp")).toDouble();
            QVERIFY2(ts > lastTs, qPrintable(QString::number(ts, 'f', 4)));
            QCOMPARE(std::round(ts * 10000) / 10000, ts); // at most 4 decimals
            lastTs = ts;
        }
        QCOMPARE(m_server->rpcMethods().first(), QStringLiteral("oco.agent.hello"));
        QVERIFY(m_server->rpcMethods().contains(QStringLiteral("oco.agent.update")));
        QVERIFY(m_server->rpcMethods().contains(QStringLiteral("oco.agent.download")));

        // The job: id echoed as the string it was, intermediate states with return-code null, progress.
        const TestServer::Job *job = m_server->job(QStringLiteral("dynamic-17"));
        QVERIFY(job);
        QCOMPARE(job->state, 3);
        QVERIFY2(job->message.contains(QLatin1String("installed-from-zip")), qPrintable(job->message));
        QVERIFY(job->reports.size() >= 4);
        bool saw101 = false, sawExec = false;
        for (const QJsonObject &rep : job->reports) {
            QCOMPARE(rep.value(QStringLiteral("job-id")), QJsonValue(QStringLiteral("dynamic-17")));
            QVERIFY(rep.contains(QStringLiteral("return-code")));
            const int state = rep.value(QStringLiteral("state")).toInt();
            if (state == 1 || state == 2)
                QVERIFY(rep.value(QStringLiteral("return-code")).isNull());
            if (state == 1 && rep.value(QStringLiteral("download-progress")).toDouble() == 101)
                saw101 = true;
            if (state == 2)
                sawExec = true;
        }
        QVERIFY(saw101);
        QVERIFY(sawExec);
        QCOMPARE(job->reports.first().value(QStringLiteral("state")).toInt(), 1);
        QCOMPARE(job->reports.first().value(QStringLiteral("download-progress")).toDouble(), 0.0);
        QCOMPARE(job->reports.last().value(QStringLiteral("return-code")).toInt(), 0);

        // A second cycle: hello answers keys with null; the stored keys stay, replies verify with them.
        const QString agentKey = c->agentKey;
        const QString serverKey = c->serverKey;
        const AgentHarness::Run r2 = runAgent({QStringLiteral("--once"), QStringLiteral("--force")});
        QVERIFY2(r2.exitCode == 0, qPrintable(r2.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), serverKey);
        QCOMPARE(m_server->computer(kHost)->lastHello.value(QStringLiteral("force_update")).toBool(), true);
    }

    // Self-registration: the first reply carries both keys (signed with the new server key); numeric ids.
    void selfRegistrationAndNumericIds()
    {
        m_server->selfRegistration = true;
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey);
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        TestServer::Computer *c = m_server->computer(kHost);
        QVERIFY(c);
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), c->agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), c->serverKey);
        QCOMPARE(c->inventoryUploads, 1);

        m_server->addJob(kHost, 123, 12, 45, QStringLiteral("echo numeric"), false);
        m_server->idsAsStrings = false;
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const TestServer::Job *job = m_server->job(123);
        QCOMPARE(job->state, 3);
        for (const QJsonObject &rep : job->reports)
            QVERIFY(rep.value(QStringLiteral("job-id")).isDouble());

        // PHP < 8.1: ids as strings, echoed as strings.
        m_server->idsAsStrings = true;
        m_server->addJob(kHost, 124, 12, 45, QStringLiteral("echo string"), false);
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        for (const QJsonObject &rep : m_server->job(124)->reports)
            QCOMPARE(rep.value(QStringLiteral("job-id")), QJsonValue(QStringLiteral("124")));
    }

    void registrationRefusals_data()
    {
        QTest::addColumn<bool>("selfRegistration");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("self-registration off")
            << false << QStringLiteral("ernesto") << QStringLiteral("self-registration is disabled");
        QTest::newRow("wrong registration key")
            << true << QStringLiteral("wrong") << QStringLiteral("does not accept this computer's agent key");
    }
    void registrationRefusals()
    {
        QFETCH(bool, selfRegistration);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        m_server->selfRegistration = selfRegistration;
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), key);
        const AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(expected), qPrintable(r.output));
        QVERIFY(m_server->computers.isEmpty());
        QVERIFY(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")).isEmpty());
    }

    // A reply whose signature does not match, or that has none, is ignored entirely: no job runs.
    void forgedOrMissingServerSignature_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("body changed after signing") << QStringLiteral("tamper") << QStringLiteral("does not match");
        QTest::newRow("no signature header") << QStringLiteral("unsigned") << QStringLiteral("not signed");
        QTest::newRow("signed with another key") << QStringLiteral("otherkey") << QStringLiteral("does not match");
        QTest::newRow("uppercase hex is fine") << QStringLiteral("upper") << QString();
    }
    void forgedOrMissingServerSignature()
    {
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        m_server->addJob(kHost, 7, 1, 1, QStringLiteral("echo ran > ran.txt"), false);
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod != QLatin1String("oco.agent.hello"))
                return;
            if (mode == QLatin1String("tamper")) {
                reply->body.replace("echo ran", "echo pwn");
            } else if (mode == QLatin1String("unsigned")) {
                reply->extraHeaders.clear();
            } else if (mode == QLatin1String("otherkey")) {
                resign(reply, replyJson(*reply), TestServer::randomKey());
            } else {
                for (auto &h : reply->extraHeaders)
                    h.second = h.second.toUpper();
            }
        };
        const QString tsFile = m_agent->stateDir() + QStringLiteral("/server-timestamp.json");
        const AgentHarness::Run r = runAgent();
        if (expected.isEmpty()) {
            QVERIFY2(r.exitCode == 0, qPrintable(r.output));
            QCOMPARE(m_server->job(7)->state, 3);
            return;
        }
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(expected), qPrintable(r.output));
        QCOMPARE(m_server->job(7)->state, 0); // nothing acted on
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.update_job_state")), 0);
        QVERIFY(!QFile::exists(tsFile)); // nothing persisted from the rejected reply
    }

    // A valid, signed reply recorded earlier and played back, and a server whose clock stepped back.
    void replayedOrOlderServerTimestamp()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        HttpReply recorded;
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod == QLatin1String("oco.agent.hello") && recorded.body.isEmpty())
                recorded = *reply;
        };
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(!recorded.body.isEmpty());

        // Replay: the signature is right, the timestamp is not newer.
        m_server->addJob(kHost, 8, 1, 1, QStringLiteral("echo should-not-run"), false);
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod == QLatin1String("oco.agent.hello"))
                *reply = recorded;
        };
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("not newer than the last one accepted")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("replayed")), qPrintable(r.output));
        QCOMPARE(m_server->job(8)->state, 0);

        // The server's clock goes back one hour: same rejection, both clocks shown.
        m_server->afterDispatch = nullptr;
        m_server->clockOffsetSecs = -3600;
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("server's clock went backwards")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("this computer")), qPrintable(r.output));
        QCOMPARE(m_server->job(8)->state, 0);

        // A reply without result.timestamp (servers before v1.1.10) is not trusted either.
        m_server->clockOffsetSecs = 0;
        m_server->sendTimestamps = false;
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("no result.timestamp")), qPrintable(r.output));
        QCOMPARE(m_server->job(8)->state, 0);

        m_server->sendTimestamps = true;
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->job(8)->state, 3);
    }

    // The reply that hands over the keys sets the replay mark: a reply signed with the new server key but older
    // than the hand-over is refused in the next cycle, although nothing else was exchanged in between.
    void handOverReplySetsReplayMark()
    {
        TestServer::Computer &pre = m_server->addComputer(kHost); // pre-registered, no keys yet
        pre.agentVersion = QStringLiteral("1.3.0");
        pre.lastUpdate = QDateTime::currentDateTimeUtc(); // no inventory upload: the hello is the only reply
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey);
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->rpcMethods(), QStringList{QStringLiteral("oco.agent.hello")});
        const double handOverTs = m_server->lastReplyTimestamp();
        const QString serverKey = m_server->computer(kHost)->serverKey;
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), serverKey);

        // A genuinely signed reply from before the hand-over (recorded by an attacker), with a job in it.
        m_server->addJob(kHost, 9, 1, 1, QStringLiteral("echo should-not-run"), false);
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod != QLatin1String("oco.agent.hello"))
                return;
            QJsonObject o = replyJson(*reply);
            QJsonObject result = o.value(QStringLiteral("result")).toObject();
            result.insert(QStringLiteral("timestamp"), handOverTs - 10);
            o.insert(QStringLiteral("result"), result);
            resign(reply, o, serverKey);
        };
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("not newer than the last one accepted")), qPrintable(r.output));
        QCOMPARE(m_server->job(9)->state, 0);
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.update_job_state")), 0);

        // The server's own fresh reply is used.
        m_server->afterDispatch = nullptr;
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->job(9)->state, 3);
    }

    // Without a server key replies cannot be verified, so their timestamps do not move the stored mark: a forged
    // far-future timestamp cannot lock the agent out.
    void unverifiedTimestampDoesNotLockOut()
    {
        const QString agentKey = TestServer::randomKey();
        TestServer::Computer &c = m_server->addComputer(kHost, agentKey, TestServer::randomKey());
        c.agentVersion = QStringLiteral("1.3.0");
        c.lastUpdate = QDateTime::currentDateTimeUtc();
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), agentKey); // server key lost (reinstall)
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod != QLatin1String("oco.agent.hello"))
                return;
            QJsonObject o = replyJson(*reply);
            QJsonObject result = o.value(QStringLiteral("result")).toObject();
            result.insert(QStringLiteral("timestamp"), 4102444800.0); // year 2100
            o.insert(QStringLiteral("result"), result);
            reply->body = TestServer::phpJson(o);
        };
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")).isEmpty());
        m_server->afterDispatch = nullptr;
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    }

    // The agent's clock steps back a day between two runs: timestamps still increase, the server accepts.
    void agentClockGoesBackwards()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        const QString clockFile = m_agent->dir() + QStringLiteral("/clock");
        m_agent->environment.insert(QStringLiteral("OCO_TEST_CLOCK_FILE"), clockFile);
        auto setClock = [&](const QDateTime &t) {
            QFile f(clockFile);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray::number(t.toMSecsSinceEpoch()));
        };
        const QDateTime now = QDateTime::currentDateTimeUtc();
        setClock(now);
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const double first = m_server->computer(kHost)->agentTimestamp;
        QVERIFY(std::fabs(first - static_cast<double>(now.toMSecsSinceEpoch()) / 1000.0) < 0.001); // the agent's clock

        setClock(now.addDays(-1));
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(m_server->computer(kHost)->agentTimestamp > first);
        QVERIFY2(!r.output.contains(QLatin1String("too old")), qPrintable(r.output));

        // The server remembers a later timestamp than we ever sent (e.g. another agent install with a clock
        // in the future): "Agent timestamp too old", reported as a clock problem with both clocks.
        m_server->computer(kHost)->agentTimestamp = now.addDays(2).toMSecsSinceEpoch() / 1000.0;
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("clock is behind")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("Server clock")) && r.output.contains(QLatin1String("this computer")),
                 qPrintable(r.output));
    }

    // Server key rotation attempts: a new key in the reply (signed with the old one), or replies signed with a
    // new key: both refused, the stored key stays.
    void serverKeyRotationRefused()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        m_server->addJob(kHost, 9, 1, 1, QStringLiteral("echo x"), false);
        const QString newKey = TestServer::randomKey();
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (req.rpcMethod != QLatin1String("oco.agent.hello"))
                return;
            QJsonObject o = replyJson(*reply);
            QJsonObject result = o.value(QStringLiteral("result")).toObject();
            QJsonObject params = result.value(QStringLiteral("params")).toObject();
            params.insert(QStringLiteral("server-key"), newKey);
            result.insert(QStringLiteral("params"), params);
            o.insert(QStringLiteral("result"), result);
            resign(reply, o, serverKey);
        };
        AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("different server key")), qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), serverKey);
        QCOMPARE(m_server->job(9)->state, 0);

        m_server->afterDispatch = nullptr;
        m_server->serverKeyOverride = newKey; // the server now signs with another key
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("does not match [server] server-key")), qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), serverKey);
        QCOMPARE(m_server->job(9)->state, 0);
    }

    // Once the individual key was handed over, a second hand-over is refused.
    void individualKeyNotReplaced()
    {
        m_server->addComputer(kHost);
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey);
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QString individual = m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key"));
        QCOMPARE(individual, m_server->computer(kHost)->agentKey);
        m_server->agentKeyOverride = TestServer::randomKey();
        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("replace the individual agent key")), qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), individual);
    }

    // The hand-over reply is lost (a proxy answers 502 after the server generated the key). What happens
    // next, by design: the server holds a key the agent never saw, so every later hello is refused with 401
    // "Invalid agent signature". The agent cannot recover by itself (the key is sent once); it says so, backs
    // off, and succeeds as soon as an admin clears the computer's agent key on the server.
    void lostAgentKeyHandOver()
    {
        m_server->addComputer(kHost);
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey);
        bool lose = true;
        m_server->afterDispatch = [&](const RecordedRequest &req, HttpReply *reply) {
            if (lose && req.rpcMethod == QLatin1String("oco.agent.hello")) {
                *reply = errorReply(502, "Bad Gateway", "<html>proxy timeout</html>");
                lose = false;
            }
        };
        AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        const QString serverSide = m_server->computer(kHost)->agentKey;
        QVERIFY(!serverSide.isEmpty());
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), m_server->registrationKey);

        r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("Invalid agent signature")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("hand-over whose reply was lost")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("clear the agent key of 'pc1'")), qPrintable(r.output));

        m_server->computer(kHost)->agentKey.clear(); // the admin clears the key in the web console
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")),
                 m_server->computer(kHost)->agentKey);
        QVERIFY(m_server->computer(kHost)->agentKey != serverSide);
    }

    // protocol = auto: detection on the first contact, pinned in the config, never downgraded.
    void autoDetection_data()
    {
        QTest::addColumn<bool>("legacyServer");
        QTest::newRow("2021 server") << true;
        QTest::newRow("current server") << false;
    }
    void autoDetection()
    {
        QFETCH(bool, legacyServer);
        m_server->dialect = legacyServer ? TestServer::Generation::Legacy2021 : TestServer::Generation::Current;
        m_server->selfRegistration = true;
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey, {},
                           QStringLiteral("auto"));
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")),
                 legacyServer ? QStringLiteral("2021") : QStringLiteral("current"));
        QVERIFY(m_server->computer(kHost));
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")),
                 m_server->computer(kHost)->agentKey);
        if (legacyServer) {
            // The probe first (no key in it), then the hello in the dialect it found.
            QCOMPARE(m_server->rpcMethods().value(0), QStringLiteral("oco.agent.check"));
            QVERIFY(!m_server->requests.first()
                         .json.value(QStringLiteral("params"))
                         .toObject()
                         .contains(QStringLiteral("agent-key")));
            QCOMPARE(m_server->rpcMethods().value(1), QStringLiteral("oco.agent_hello"));
            QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.hello")), 0);
        } else {
            QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.hello")), 1);
        }
        // Pinned: the next run speaks the pinned dialect straight away.
        const int before = m_server->requests.size();
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->requests.at(before).rpcMethod,
                 legacyServer ? QStringLiteral("oco.agent_hello") : QStringLiteral("oco.agent.hello"));
    }

    // Detected 2021 automatically, then the server is upgraded: the agent moves up to the signed dialect by
    // itself (an upgrade, never a downgrade). An admin-chosen protocol = 2021 is left alone.
    void upgradeAfterServerUpgrade_data()
    {
        QTest::addColumn<bool>("detected");
        QTest::newRow("auto-detected 2021") << true;
        QTest::newRow("admin chose 2021") << false;
    }
    void upgradeAfterServerUpgrade()
    {
        QFETCH(bool, detected);
        m_server->dialect = TestServer::Generation::Legacy2021;
        m_server->selfRegistration = true;
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), m_server->registrationKey, {},
                           detected ? QStringLiteral("auto") : QStringLiteral("2021"));
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")), QStringLiteral("2021"));
        // The upgraded server keeps the computer and its keys; it only speaks the signed dialect now.
        m_server->dialect = TestServer::Generation::Current;
        m_server->computer(kHost)->agentVersion = QStringLiteral("1.3.0");
        m_server->computer(kHost)->lastUpdate = QDateTime::currentDateTimeUtc();
        r = runAgent();
        if (!detected) {
            QCOMPARE(r.exitCode, 1);
            QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")),
                     QStringLiteral("2021"));
            return;
        }
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")), QStringLiteral("current"));
        QVERIFY(r.output.contains(QLatin1String("server was upgraded")));
        QCOMPARE(m_server->rpcMethods().mid(m_server->rpcMethods().size() - 3),
                 (QStringList{QStringLiteral("oco.agent_hello"), QStringLiteral("oco.agent.check"),
                              QStringLiteral("oco.agent.hello")}));
    }

    // Pinned to current, the server suddenly answers like a 2021 server (or an impostor downgrading us):
    // no silent downgrade.
    void noDowngradeOncePinned()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        m_server->dialect = TestServer::Generation::Legacy2021;
        const AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("2021 dialect")), qPrintable(r.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")), QStringLiteral("current"));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent_hello")), 0);
    }

    // A current server answers the 2021 method names with 400 "Unknown method".
    void legacyAgentAgainstCurrentServer()
    {
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), m_server->registrationKey);
        const AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(m_server->requests.value(0).status, 400);
        QVERIFY2(r.output.contains(QLatin1String("400")), qPrintable(r.output));
    }

    // 401s in daemon mode: the first is an error with the server's text, then the delay doubles.
    void authBackoffInDaemonMode()
    {
        m_server->addComputer(kHost, TestServer::randomKey(), TestServer::randomKey());
        writeCurrentConfig(*m_agent, m_server->apiUrl().toString(), QStringLiteral("not-the-key"),
                           m_server->computer(kHost)->serverKey, QStringLiteral("current"),
                           QStringLiteral("[agent]\nauth-backoff-base = 1\n"));
        auto p = m_agent->start({QStringLiteral("--daemon")});
        QString out;
        auto collect = [&] {
            out += QString::fromUtf8(p->readAllStandardError());
            return out;
        };
        QTRY_VERIFY_WITH_TIMEOUT(collect().contains(QLatin1String("authentication failed again (2 in a row)")), 20000);
        p->terminate();
        QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 10000); // the server must keep answering
        collect();
        const QStringList lines = out.split(QLatin1Char('\n'));
        QString first, backoff1, backoff2;
        for (const QString &l : lines) {
            if (first.isEmpty() && l.contains(QLatin1String("authentication failed:")))
                first = l;
            if (l.contains(QLatin1String("backing off"))) {
                if (backoff1.isEmpty())
                    backoff1 = l;
                else if (backoff2.isEmpty())
                    backoff2 = l;
            }
        }
        QVERIFY2(first.contains(QLatin1String("CRITICAL")) || first.contains(QLatin1String("ERROR")) ||
                     first.contains(QLatin1String("critical")),
                 qPrintable(first));
        QVERIFY2(first.contains(QLatin1String("Invalid agent signature")), qPrintable(first));
        QVERIFY2(backoff1.contains(QLatin1String("next contact in 2 s")), qPrintable(out));
        QVERIFY2(backoff2.contains(QLatin1String("next contact in 4 s")), qPrintable(out));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.hello")), 2);
    }

    // 5xx and malformed replies fail the cycle with their own words; the next cycle works again.
    void serverErrorsAndMalformedReplies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("500") << 500 << QByteArray() << QStringLiteral("failed internally");
        QTest::newRow("unsigned html 200")
            << 200 << QByteArray("<html>maintenance</html>") << QStringLiteral("not signed");
        QTest::newRow("signed, not JSON") << 200 << QByteArray("{\"id\":1,\"result\":") << QStringLiteral("not JSON");
        QTest::newRow("signed, no result")
            << 200 << QByteArray("{\"id\":1,\"error\":null}") << QStringLiteral("no result object");
        QTest::newRow("proxy 404") << 404 << QByteArray("<html>nope</html>")
                                   << QStringLiteral("is [server] api-url really");
    }
    void serverErrorsAndMalformedReplies()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        HttpReply bad = errorReply(status, "X", body);
        if (body.startsWith('{'))
            bad.extraHeaders.append({"x-oco-server-signature", TestServer::hmacHex(serverKey.toUtf8(), body)});
        m_server->forcedReplies.insert(QStringLiteral("oco.agent.hello"), bad);
        AgentHarness::Run r = runAgent();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(expected), qPrintable(r.output));
        m_server->forcedReplies.clear();
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    }

    // Download failures of the current server (§4.11) end as a -1/-9999 report in words.
    void downloadErrors()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        m_server->addJob(kHost, 20, 2, 99, QStringLiteral("true"), true); // package 99 does not exist
        const AgentHarness::Run r = runAgent();
        Q_UNUSED(r);
        const TestServer::Job *j = m_server->job(20);
        QCOMPARE(j->state, -1);
        QCOMPARE(j->returnCode.toInt(), -9999);
        QVERIFY2(j->message.contains(QLatin1String("Package not found")), qPrintable(j->message));
        QVERIFY2(j->message.contains(QLatin1String("missing in the depot")), qPrintable(j->message));
    }

    // Other methods through call(), in process: events, and passwords encrypted with the agent key (AES-256-CBC,
    // key NUL-padded to 32 bytes) that the test server decrypts like the real one; --check's probe mode does not
    // persist the server timestamp.
    void callEventsAndPasswordsInProcess()
    {
        QString agentKey, serverKey;
        registered(&agentKey, &serverKey);
        Config config;
        QString err;
        QVERIFY2(config.load(m_agent->configPath(), &err), qPrintable(err));
        StateStore state;
        QVERIFY2(state.open(m_agent->stateDir(), &err), qPrintable(err));
        HttpClient http;
        DialectCurrent d(config, state, http, AgentIdentity{kHost, kUid, QStringLiteral("1.3.0")});

        const QJsonObject event{
            {QStringLiteral("log"), QStringLiteral("journalctl")},
            {QStringLiteral("timestamp"), QStringLiteral("2026-01-01 10:00:00")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("message"), QStringLiteral("x")}}}};
        Result<QJsonObject> r =
            d.call(QStringLiteral("oco.agent.events"), QJsonObject{{QStringLiteral("events"), QJsonArray{event}}});
        QVERIFY2(r.ok(), qPrintable(r.failure.message));
        QVERIFY(r.value->isEmpty()); // the server's [] for empty params
        QCOMPARE(m_server->computer(kHost)->events.size(), 1);

        // Encrypt "S3cret!" with the openssl command line.
        QByteArray key = agentKey.toUtf8().left(32);
        key.append(QByteArray(32 - key.size(), '\0'));
        const QByteArray iv = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
        QProcess enc;
        enc.start(QStringLiteral("openssl"),
                  {QStringLiteral("enc"), QStringLiteral("-aes-256-cbc"), QStringLiteral("-K"),
                   QString::fromLatin1(key.toHex()), QStringLiteral("-iv"), QString::fromLatin1(iv.toHex())});
        QVERIFY(enc.waitForStarted());
        enc.write("S3cret!");
        enc.closeWriteChannel();
        QVERIFY(enc.waitForFinished());
        const QByteArray cipher = enc.readAllStandardOutput();
        QCOMPARE(cipher.size(), 16);
        const QJsonObject good{{QStringLiteral("username"), QStringLiteral("localadmin")},
                               {QStringLiteral("password"),
                                QJsonObject{{QStringLiteral("iv"), QString::fromLatin1(iv.toBase64())},
                                            {QStringLiteral("data"), QString::fromLatin1(cipher.toBase64())}}}};
        r = d.call(QStringLiteral("oco.agent.passwords"), QJsonObject{{QStringLiteral("passwords"), QJsonArray{good}}});
        QVERIFY2(r.ok(), qPrintable(r.failure.message));
        QCOMPARE(m_server->computer(kHost)->passwords.size(), 1);
        QCOMPARE(m_server->computer(kHost)->passwords.first().toObject().value(QStringLiteral("password")).toString(),
                 QStringLiteral("S3cret!"));

        QJsonObject bad = good;
        bad.insert(QStringLiteral("password"),
                   QJsonObject{{QStringLiteral("iv"), QString::fromLatin1(iv.toBase64())},
                               // 15 bytes: never a whole AES block. (16 bytes of garbage decrypt to valid
                               // padding once in about 256 agent keys, and the key is new every run.)
                               {QStringLiteral("data"), QString::fromLatin1(QByteArray(15, 'x').toBase64())}});
        r = d.call(QStringLiteral("oco.agent.passwords"), QJsonObject{{QStringLiteral("passwords"), QJsonArray{bad}}});
        QVERIFY(!r.ok());
        QCOMPARE(r.failure.httpStatus, 400);
        QVERIFY2(r.failure.message.contains(QLatin1String("could not decrypt")), qPrintable(r.failure.message));

        // Probe mode (--check): replies are verified, but the accepted server time is not stored.
        const double before = d.lastAcceptedServerTimestamp();
        QVERIFY(before > 0);
        d.setProbeOnly(true);
        const Result<HelloResult> h = d.hello(QJsonObject());
        QVERIFY2(h.ok(), qPrintable(h.failure.message));
        QCOMPARE(h.value->loginsSince, QStringLiteral("2000-01-01 00:00:00"));
        QCOMPARE(d.lastAcceptedServerTimestamp(), before);
        QVERIFY(d.lastServerTime().isValid());
    }

    // Every error text of docs/server-protocol.md §4.11 gets its class and its own words.
    void errorClassification_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("words");
        const int auth = int(FailureKind::Auth), http = int(FailureKind::Http), skew = int(FailureKind::ClockSkew);
        QTest::newRow("ct") << 400 << QByteArray("Content type mismatch") << http << "content type";
        QTest::newRow("json") << 400 << QByteArray("Invalid JSON data") << http << "incomplete or invalid";
        QTest::newRow("method") << 400 << QByteArray("Unknown method") << http << "another protocol dialect";
        QTest::newRow("selfreg") << 401 << QByteArray("Client self-registration is disabled") << auth
                                 << "self-registration is disabled";
        QTest::newRow("regkey") << 401 << QByteArray("Agent registration key mismatch") << auth
                                << "not the server's registration key";
        QTest::newRow("sighdr") << 401 << QByteArray("Signature header missing") << auth << "proxy removing headers";
        QTest::newRow("sig") << 401 << QByteArray("Invalid agent signature") << auth << "clear the agent key";
        QTest::newRow("keymm") << 401 << QByteArray("Agent key mismatch") << auth << "clear the agent key";
        QTest::newRow("notfound") << 401 << QByteArray("Computer not found") << auth << "does not know the computer";
        QTest::newRow("tsold") << 401 << QByteArray("Agent timestamp too old") << skew << "clock is behind";
        QTest::newRow("job") << 400
                             << QByteArray("Job \xc2\xbb"
                                           "dynamic-3\xc2\xab not found")
                             << http << "does not know this job";
        QTest::newRow("jobother") << 401
                                  << QByteArray("Computer not allowed to update job \xc2\xbb"
                                                "5\xc2\xab")
                                  << auth << "belongs to another computer";
        QTest::newRow("refused") << 400 << QByteArray("Update refused (too often or invalid data)") << http
                                 << "refused the inventory";
        QTest::newRow("pkg") << 400 << QByteArray("Package not found") << http << "missing in the depot";
        QTest::newRow("nojob") << 400 << QByteArray("No active job for this package") << http << "no active job";
        QTest::newRow("pw") << 400 << QByteArray("Invalid password data") << http << "decrypt";
        QTest::newRow("500") << 500 << QByteArray() << http << "failed internally";
    }
    void errorClassification()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, words);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Failure f =
            describeCurrentHttpError(QStringLiteral("oco.agent.hello"), status, body, kHost, now, now.addSecs(-90));
        QCOMPARE(int(f.kind), kind);
        QCOMPARE(f.httpStatus, status);
        QVERIFY2(f.message.contains(words), qPrintable(f.message));
        if (status != 500)
            QVERIFY2(f.message.contains(QString::fromUtf8(body)), qPrintable(f.message)); // the server's own text
        QCOMPARE(isCurrentServerErrorText(status, body), status != 500);
    }
};

QTEST_MAIN(TstProtocolCurrent)
#include "tst_protocol_current.moc"
