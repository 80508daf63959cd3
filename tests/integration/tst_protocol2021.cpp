// The 2021 dialect end to end: the real oco-agent binary against the test server on 127.0.0.1.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>

using namespace oco::test;

namespace {
const QString kHost = QStringLiteral("pc1");
// The seed's example key: emoji decoded as Windows-1252. Keys are arbitrary UTF-8 text.
const QString kSeedKey = QStringLiteral("ðŸŒˆðŸ’œðŸ‘†ðŸš§ðŸ›¸ðŸ’©");
} // namespace

class TestProtocol2021 : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    // A computer that is already registered, with its individual key and the server key stored locally.
    void registered(const QString &agentKey = QStringLiteral("individualkey0000000000000000a"))
    {
        m_server->addComputer(kHost, agentKey, QStringLiteral("serverkey000000000000000000000"));
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), agentKey, m_server->payloadUrl().toString(),
                                   QString());
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("server-key =\n"), QStringLiteral("server-key = serverkey000000000000000000000\n"));
        m_agent->writeConfig(text);
    }

    QList<QJsonObject> rpc(const QString &method) const
    {
        QList<QJsonObject> out;
        for (const RecordedRequest &r : m_server->requests)
            if (r.rpcMethod == method)
                out << r.json;
        return out;
    }

private Q_SLOTS:
    void init() { QVERIFY(startServerAndAgent(kHost)); }
    void cleanup() { stopServerAndAgent(); }

    void selfRegistrationOnFirstContact()
    {
        m_server->selfRegistration = true;
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), QStringLiteral("ernesto"),
                                   m_server->payloadUrl().toString(), QStringLiteral("# keep me\nunknown-key = 1\n"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));

        const TestServer::Computer *c = m_server->computer(kHost);
        QVERIFY(c);
        // Both keys were handed over and stored; unknown keys and comments survived the rewrite.
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), c->agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), c->serverKey);
        QVERIFY(m_agent->readConfig().contains(QStringLiteral("# keep me\nunknown-key = 1\n")));
        QCOMPARE(QFileInfo(m_agent->configPath()).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());

        // The requests are exactly the seed's: method names, params with hostname, agent-key and data.
        QCOMPARE(m_server->rpcMethods(),
                 (QStringList{QStringLiteral("oco.agent_hello"), QStringLiteral("oco.agent_update")}));
        for (const RecordedRequest &r : m_server->requests) {
            QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
            QCOMPARE(r.json.value(QStringLiteral("jsonrpc")).toString(), QStringLiteral("2.0"));
            QVERIFY(!r.json.value(QStringLiteral("id")).isNull());
            const QJsonObject params = r.json.value(QStringLiteral("params")).toObject();
            QCOMPARE(params.value(QStringLiteral("hostname")).toString(), kHost);
            QVERIFY(params.value(QStringLiteral("data")).isObject());
        }
        const QJsonObject hello = rpc(QStringLiteral("oco.agent_hello")).first();
        const QJsonObject helloParams = hello.value(QStringLiteral("params")).toObject();
        QCOMPARE(helloParams.value(QStringLiteral("agent-key")).toString(), QStringLiteral("ernesto"));
        const QJsonObject helloData = helloParams.value(QStringLiteral("data")).toObject();
        QCOMPARE(helloData.keys(), (QStringList{QStringLiteral("agent_version"), QStringLiteral("networks")}));
        QVERIFY(helloData.value(QStringLiteral("networks")).isArray());
        // The update uses the new individual key and carries every field the 2021 server requires.
        const QJsonObject update =
            rpc(QStringLiteral("oco.agent_update")).first().value(QStringLiteral("params")).toObject();
        QCOMPARE(update.value(QStringLiteral("agent-key")).toString(), c->agentKey);
        QCOMPARE(c->inventoryUploads, 1);
        for (const char *k :
             {"os",       "os_version",   "os_license", "os_language",   "kernel_version", "architecture",
              "cpu",      "gpu",          "ram",        "agent_version", "serial",         "manufacturer",
              "model",    "bios_version", "uptime",     "boot_type",     "secure_boot",    "domain",
              "networks", "screens",      "printers",   "partitions",    "software"})
            QVERIFY2(c->inventory.contains(QLatin1String(k)), k);
        QVERIFY(!c->inventory.value(QStringLiteral("os")).toString().isEmpty());
        QVERIFY(c->inventory.value(QStringLiteral("ram")).toDouble() > 0);
        QVERIFY(run.output.contains(QStringLiteral("stored the server key")));
    }

    void selfRegistrationDisabled()
    {
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), QStringLiteral("ernesto"));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("self-registration is disabled")), qPrintable(run.output));
        QVERIFY(run.output.contains(QStringLiteral("HTTP 403")));
        QVERIFY(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")).isEmpty());
    }

    void preRegisteredComputerWithRegistrationKey()
    {
        m_server->addComputer(kHost); // created in the web console: no keys yet
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), QStringLiteral("ernesto"),
                                   m_server->payloadUrl().toString());
        auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TestServer::Computer *c = m_server->computer(kHost);
        QCOMPARE(c->agentKey.size(), 30);
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), c->agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), c->serverKey);
        // The second contact authenticates with the individual key.
        run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const QJsonObject lastHello = rpc(QStringLiteral("oco.agent_hello")).last();
        QCOMPARE(lastHello.value(QStringLiteral("params")).toObject().value(QStringLiteral("agent-key")).toString(),
                 c->agentKey);
    }

    void wrongKeyIs401WithAdvice()
    {
        m_server->addComputer(kHost, QStringLiteral("rightkey"), QStringLiteral("srv"));
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), QStringLiteral("wrongkey"));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("HTTP 401 Client Not Authorized")), qPrintable(run.output));
        QVERIFY(run.output.contains(QStringLiteral("does not accept this computer's agent key")));
    }

    void seedKeyIsCarriedExactly()
    {
        registered(kSeedKey);
        m_server->addPackage(QStringLiteral("7"), ZipBuilder().file(QStringLiteral("a.txt"), "x").build());
        m_server->addJob(kHost, 5, 1, 7, QStringLiteral("cat a.txt"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_server->job(5)->state, 3); // the server compared the key in JSON and in the download URL
        const QJsonObject hello = rpc(QStringLiteral("oco.agent_hello")).first();
        QCOMPARE(hello.value(QStringLiteral("params")).toObject().value(QStringLiteral("agent-key")).toString(),
                 kSeedKey);
    }

    void serverKeyChangeIsRejected()
    {
        registered();
        m_server->serverKeyOverride = QStringLiteral("impostor00000000000000000000000");
        m_server->addJob(kHost, 9, 1, 1, QStringLiteral("touch should-not-exist"), false);
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("different server key")), qPrintable(run.output));
        QVERIFY(run.output.contains(QStringLiteral("security")));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.update_deploy_status")), 0); // its job not run
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent_update")), 0);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")),
                 QStringLiteral("serverkey000000000000000000000"));
    }

    void missingServerKeyIsRejected()
    {
        registered();
        HttpReply forged = jsonReply(QJsonObject{
            {QStringLiteral("id"), 1},
            {QStringLiteral("error"), QJsonValue::Null},
            {QStringLiteral("result"),
             QJsonObject{
                 {QStringLiteral("success"), true},
                 {QStringLiteral("params"),
                  QJsonObject{{QStringLiteral("update"), 0},
                              {QStringLiteral("software-jobs"),
                               QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                                      {QStringLiteral("procedure"), QStringLiteral("true")}}}}}}}}});
        m_server->forcedReplies.insert(QStringLiteral("oco.agent_hello"), forged);
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("no server key")), qPrintable(run.output));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.update_deploy_status")), 0);
    }

    void individualAgentKeyIsNotReplaced()
    {
        // First contact: the registration key is handed over to an individual key.
        m_server->addComputer(kHost);
        m_agent->writeLegacyConfig(m_server->apiUrl().toString(), QStringLiteral("ernesto"));
        QCOMPARE(m_agent->run().exitCode, 0);
        const QString individual = m_server->computer(kHost)->agentKey;
        // Later a reply tries to hand over another key: refused, nothing in the reply acted on.
        m_server->agentKeyOverride = QStringLiteral("attackerkey0000000000000000000");
        m_server->addJob(kHost, 11, 1, 1, QStringLiteral("true"), false);
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("tried to replace the individual agent key")),
                 qPrintable(run.output));
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), individual);
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.update_deploy_status")), 0);
    }

    void httpErrorsInWords_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QString>("expected");
        QTest::newRow("400") << "oco.agent_hello" << 400 << QByteArray("Payload Corrupt")
                             << "refused oco.agent_hello as malformed (HTTP 400 Payload Corrupt)";
        QTest::newRow("400 type") << "oco.agent_hello" << 400 << QByteArray("Content Type Mismatch") << "content type";
        QTest::newRow("401") << "oco.agent_hello" << 401 << QByteArray("Client Not Authorized")
                             << "does not accept this computer's agent key";
        QTest::newRow("403") << "oco.agent_hello" << 403 << QByteArray("Client Self-Registration Disabled")
                             << "self-registration is disabled";
        QTest::newRow("404") << "oco.agent_hello" << 404 << QByteArray("Computer Not Found")
                             << "does not know the computer 'pc1'";
        QTest::newRow("500") << "oco.agent_hello" << 500 << QByteArray("Internal Server Error")
                             << "failed internally (HTTP 500";
        QTest::newRow("update 500") << "oco.agent_update" << 500 << QByteArray("Internal Server Error")
                                    << "inventory upload failed";
    }
    void httpErrorsInWords()
    {
        QFETCH(QString, method);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        QFETCH(QString, expected);
        registered();
        m_server->forcedReplies.insert(method, errorReply(status, reason));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(expected), qPrintable(run.output));
        // The one-line reason on stderr.
        QVERIFY(run.output.contains(QStringLiteral("oco-agent: ")));
    }

    void unknownMethodIsExplained()
    {
        registered();
        m_server->forcedReplies.insert(
            QStringLiteral("oco.agent_hello"),
            jsonReply(QJsonObject{{QStringLiteral("id"), 1},
                                  {QStringLiteral("result"), QJsonValue::Null},
                                  {QStringLiteral("error"), QStringLiteral("Unknown Method")}}));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("another protocol dialect")), qPrintable(run.output));
    }

    void notJsonIsMalformed()
    {
        registered();
        HttpReply r;
        r.body = "<html>PHP Warning: something</html>";
        m_server->forcedReplies.insert(QStringLiteral("oco.agent_hello"), r);
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("is not JSON")), qPrintable(run.output));
    }

    void failedInventoryDoesNotStopJobs()
    {
        registered();
        m_server->forcedReplies.insert(QStringLiteral("oco.agent_update"), errorReply(500, "Internal Server Error"));
        m_server->addJob(kHost, 21, 1, 1, QStringLiteral("echo still runs"), false);
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);             // the cycle is reported as failed...
        QCOMPARE(m_server->job(21)->state, 3); // ...but the job ran and was reported
    }

    void unreachableServer()
    {
        m_agent->writeLegacyConfig(QStringLiteral("http://127.0.0.1:1/api-agent.php"), QStringLiteral("ernesto"));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("connection was refused")), qPrintable(run.output));
    }

    void daemonKeepsGoingAndStopsOnSigterm()
    {
        registered();
        m_server->forcedReplies.insert(QStringLiteral("oco.agent_hello"), errorReply(500, "Internal Server Error"));
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("[agent]\n"), QStringLiteral("[agent]\nquery-interval = 1\n"));
        m_agent->writeConfig(text);
        auto proc = m_agent->start({QStringLiteral("--daemon")});
        QVERIFY(proc->waitForStarted());
        // Failing contacts do not end the service: it tries again each interval.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->countRequests(QStringLiteral("oco.agent_hello")) >= 2, 20000);
        QCOMPARE(proc->state(), QProcess::Running);
        // And when the server is back, the next cycle works.
        m_server->forcedReplies.clear();
        const int before = m_server->countRequests(QStringLiteral("oco.agent_hello"));
        QTRY_VERIFY_WITH_TIMEOUT(m_server->countRequests(QStringLiteral("oco.agent_hello")) > before, 20000);
        QSignalSpy finished(proc.get(), &QProcess::finished);
        ::kill(static_cast<pid_t>(proc->processId()), SIGTERM);
        QVERIFY(finished.wait(10000));
        QCOMPARE(proc->exitStatus(), QProcess::NormalExit);
        QCOMPARE(proc->exitCode(), 0);
    }

    void jobIsDownloadedExtractedRunAndReported_data()
    {
        QTest::addColumn<bool>("idsAsStrings");
        QTest::addColumn<bool>("singleObject");
        QTest::newRow("numbers (PHP >= 8.1)") << false << false;
        QTest::newRow("strings (PHP < 8.1)") << true << false;
        QTest::newRow("the seed's single object") << false << true;
    }
    void jobIsDownloadedExtractedRunAndReported()
    {
        QFETCH(bool, idsAsStrings);
        QFETCH(bool, singleObject);
        registered();
        m_server->idsAsStrings = idsAsStrings;
        m_server->jobsAsSingleObject = singleObject;
        m_server->addPackage(
            QStringLiteral("45"),
            ZipBuilder()
                .file(QStringLiteral("install.sh"), "#!/bin/sh\necho \"hello from $(basename $PWD)\"\nexit 7\n", 0755)
                .file(QStringLiteral("sub/data.txt"), "payload\n")
                .build());
        TestServer::Job &job =
            m_server->addJob(kHost, 123, 12, 45, QStringLiteral("./install.sh && true; cat sub/data.txt; exit 7"));
        job.successCodes = {0, 7};
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));

        const TestServer::Job *j = m_server->job(123);
        QCOMPARE(j->state, 3);
        QCOMPARE(j->returnCode, QJsonValue(7));
        QVERIFY2(j->message.contains(QStringLiteral("hello from package")), qPrintable(j->message));
        QVERIFY(j->message.contains(QStringLiteral("payload")));
        // 1 -> 2 -> 3, each echoing the id with the type the server used, integer states and return codes.
        QCOMPARE(j->reports.size(), 3);
        const int expectedStates[] = {1, 2, 3};
        for (int i = 0; i < 3; ++i) {
            const QJsonObject r = j->reports.at(i);
            QCOMPARE(r.value(QStringLiteral("state")), QJsonValue(expectedStates[i]));
            QVERIFY(r.value(QStringLiteral("return-code")).isDouble());
            QVERIFY(r.value(QStringLiteral("message")).isString());
            QCOMPARE(r.value(QStringLiteral("job-id")).isString(), idsAsStrings);
            QCOMPARE(r.value(QStringLiteral("job-id")).toVariant().toString(), QStringLiteral("123"));
        }
        // The package came from payload-url with hostname, agent-key and id, and staging is gone.
        const RecordedRequest *download = nullptr;
        for (const RecordedRequest &r : m_server->requests)
            if (r.path.startsWith("/payloadprovider.php"))
                download = &r;
        QVERIFY(download);
        QCOMPARE(download->method, QByteArray("GET"));
        QVERIFY2(download->path.contains("hostname=pc1&agent-key=individualkey0000000000000000a&id=45"),
                 download->path.constData());
        QVERIFY(QDir(m_agent->stateDir() + QStringLiteral("/staging"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
    }

    void emptyProcedureIsDoneWithoutRunning()
    {
        registered();
        m_server->addJob(kHost, 31, 1, 45, QStringLiteral("   "));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TestServer::Job *j = m_server->job(31);
        QCOMPARE(j->state, 3);
        QCOMPARE(j->reports.size(), 1);
        QCOMPARE(j->reports.first().value(QStringLiteral("return-code")), QJsonValue(0));
        for (const RecordedRequest &r : m_server->requests)
            QVERIFY(!r.path.startsWith("/payloadprovider.php"));
    }

    void sequenceModeSkipsRestOfContainer()
    {
        registered();
        const QString marker = m_agent->dir() + QStringLiteral("/ran-");
        TestServer::Job &a = m_server->addJob(kHost, 41, QStringLiteral("7"), 1, QStringLiteral("exit 3"), false);
        a.sequenceMode = 1;
        a.successCodes = {0};
        TestServer::Job &b =
            m_server->addJob(kHost, 42, 7, 1, QStringLiteral("touch ") + marker + QStringLiteral("42"), false);
        b.sequenceMode = 1;
        // A job of another container still runs.
        m_server->addJob(kHost, 43, 8, 1, QStringLiteral("touch ") + marker + QStringLiteral("43"), false);
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_server->job(41)->state, -1);        // the server did not count 3 as success
        QVERIFY(m_server->job(42)->reports.isEmpty()); // "7" and 7 are the same container: skipped
        QVERIFY(!QFile::exists(marker + QStringLiteral("42")));
        QCOMPARE(m_server->job(43)->state, 3);
        QVERIFY(QFile::exists(marker + QStringLiteral("43")));
    }

    void hostilePackagesAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("zip-slip") << "dotdot";
        QTest::newRow("absolute path") << "absolute";
        QTest::newRow("symlink out") << "symlink";
        QTest::newRow("hard link out") << "hardlink";
    }
    void hostilePackagesAreRefused()
    {
        QFETCH(QString, kind);
        registered();
        const QString victim = m_agent->dir() + QStringLiteral("/victim");
        ZipBuilder zip;
        zip.file(QStringLiteral("ok.txt"), "fine");
        if (kind == QLatin1String("dotdot"))
            zip.file(QStringLiteral("../../../../../../../../") + victim.mid(1), "owned");
        else if (kind == QLatin1String("absolute"))
            zip.file(victim, "owned");
        else if (kind == QLatin1String("symlink"))
            zip.symlink(QStringLiteral("link"), m_agent->dir()).file(QStringLiteral("link/victim"), "owned");
        else
            zip.hardlink(QStringLiteral("hl"), QStringLiteral("../../../../../../etc/passwd"));
        m_server->addPackage(QStringLiteral("66"), kind == QLatin1String("hardlink") ? zip.buildTar() : zip.build());
        m_server->addJob(kHost, 51, 1, 66, QStringLiteral("touch ") + victim + QStringLiteral("-ran"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output)); // the failure was reported, the cycle is fine
        const TestServer::Job *j = m_server->job(51);
        QCOMPARE(j->state, -1);
        QCOMPARE(j->returnCode, QJsonValue(-9999));
        QVERIFY2(j->message.contains(QStringLiteral("refused a hostile package")), qPrintable(j->message));
        QVERIFY(!QFile::exists(victim));
        QVERIFY(!QFile::exists(victim + QStringLiteral("-ran"))); // the procedure did not run
        QVERIFY(QDir(m_agent->stateDir() + QStringLiteral("/staging"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
    }

    void missingPackageIsReported()
    {
        registered();
        m_server->addJob(kHost, 61, 1, 999, QStringLiteral("true"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_server->job(61)->state, -1);
        QVERIFY2(m_server->job(61)->message.contains(QStringLiteral("no package 999")),
                 qPrintable(m_server->job(61)->message));
    }

    void secondInstanceIsRefused()
    {
        registered();
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("[agent]\n"), QStringLiteral("[agent]\nquery-interval = 3600\n"));
        m_agent->writeConfig(text);
        auto first = m_agent->start({QStringLiteral("--daemon")});
        QVERIFY(first->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->countRequests(QStringLiteral("oco.agent_hello")) >= 1, 20000);
        const auto second = m_agent->run();
        QCOMPARE(second.exitCode, 3);
        QVERIFY2(second.output.contains(QStringLiteral("already running")), qPrintable(second.output));
        QVERIFY(second.output.contains(QString::number(first->processId())));
        ::kill(static_cast<pid_t>(first->processId()), SIGTERM);
        // Wait with an event loop: a cycle still under way needs the in-process server to answer.
        QTRY_VERIFY_WITH_TIMEOUT(first->state() == QProcess::NotRunning, 30000);
        // Once the first has gone, the lock is free again.
        QCOMPARE(m_agent->run().exitCode, 0);
    }

    void brokenConfigIsReported()
    {
        m_agent->writeConfig(QStringLiteral("[agent]\nagent-key = x\nquery-interval = soon\n"));
        auto run = m_agent->run();
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains(m_agent->configPath() + QStringLiteral(":3: key 'agent.query-interval'")),
                 qPrintable(run.output));
        m_agent->writeConfig(QStringLiteral("[agent\n"));
        run = m_agent->run();
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains(QStringLiteral(":1: malformed section header")), qPrintable(run.output));
        QCOMPARE(m_server->requests.size(), 0);
    }

    void inventoryOptionContactsNoServer()
    {
        registered();
        const auto run =
            m_agent->run({QStringLiteral("--inventory"), QStringLiteral("--dialect"), QStringLiteral("2021")});
        QCOMPARE(run.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(run.stdoutText.toUtf8());
        QVERIFY(doc.isObject());
        QVERIFY(doc.object().contains(QStringLiteral("os")));
        QVERIFY(doc.object().contains(QStringLiteral("software")));
        QCOMPARE(m_server->requests.size(), 0);
    }

    void debugLogMasksKeys()
    {
        registered(QStringLiteral("secretkey00000000000000000000x"));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.output.contains(QStringLiteral("oco.agent_hello"))); // debug = 1 logs the requests
        QVERIFY2(!run.output.contains(QStringLiteral("secretkey0000")), qPrintable(run.output));
        QVERIFY(!run.output.contains(QStringLiteral("serverkey0000")));
    }
};

QTEST_GUILESS_MAIN(TestProtocol2021)
#include "tst_protocol2021.moc"
