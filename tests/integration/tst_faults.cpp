// Network faults: the real oco-agent (2021 dialect) talks to a FaultServer that breaks one answer in a
// chosen way and otherwise forwards to the real TestServer. For each fault the agent must say what went
// wrong in words, leave its config and state dir consistent (keys, journal, staging) and work in the next
// cycle against the same server.
#include "AgentHarness.h"
#include "FaultServer.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sys/resource.h>

using namespace oco::test;
using Fault = FaultServer::Fault;

namespace {
const QString kHost = QStringLiteral("pc1");
const QString kAgentKey = QStringLiteral("individualkey0000000000000000a");
const QString kServerKey = QStringLiteral("serverkey000000000000000000000");
constexpr int kJob = 500;

bool sanitized()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#endif
#endif
    return qEnvironmentVariableIsSet("ASAN_OPTIONS");
}
} // namespace

class TestFaults : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    std::unique_ptr<FaultServer> m_faults;

    void writeConfig(const QString &apiUrl)
    {
        // Short timeouts keep the stalled and trickling cases fast.
        m_agent->writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nconnection-timeout = 2\n"
                                            "read-timeout = 2\n\n[server]\napi-url = %2\npayload-url = %3\n"
                                            "server-key = %4\nprotocol = 2021\n")
                                 .arg(kAgentKey, apiUrl, m_faults->payloadUrl().toString(), kServerKey));
    }

    QJsonObject journal() const
    {
        QFile f(m_agent->stateDir() + QStringLiteral("/journal.json"));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    // Everything the agent keeps on disk is whole and consistent, and the config was not touched.
    void checkConsistent(const QString &configBefore)
    {
        QCOMPARE(m_agent->readConfig(), configBefore);
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), kAgentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), kServerKey);
        QDirIterator it(m_agent->dir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(!path.contains(QStringLiteral(".tmp-")), qPrintable(QStringLiteral("left behind: ") + path));
            if (path.endsWith(QStringLiteral(".json"))) {
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadOnly));
                QJsonParseError e;
                QVERIFY2(QJsonDocument::fromJson(f.readAll(), &e).isObject(), qPrintable(path + e.errorString()));
            }
        }
        QVERIFY2(!journal().contains(QStringLiteral("running")), "a job is still marked running");
        QVERIFY(QDir(m_agent->stateDir() + QStringLiteral("/staging"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
    }

private Q_SLOTS:
    // A 100 MB JSON answer is refused without holding it in memory. This function comes first: the peak
    // RSS is read with RUSAGE_CHILDREN, the largest child this process has waited for so far.
    void hugeReplyMemoryIsBounded_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<qint64>("maxPeakKiB");
        QTest::newRow("announced length: refused up front") << int(Fault::Huge) << qint64(48 * 1024);
        QTest::newRow("no length: refused at 64 MiB") << int(Fault::HugeNoLength) << qint64(128 * 1024);
    }
    void hugeReplyMemoryIsBounded()
    {
        QFETCH(int, fault);
        QFETCH(qint64, maxPeakKiB);
        writeConfig(m_faults->apiUrl().toString());
        m_faults->arm(Fault(fault), QStringLiteral("oco.agent_hello"));
        const auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains(QStringLiteral("larger than 64 MiB: refused")), qPrintable(run.output));
        if (sanitized())
            QSKIP("peak RSS is not meaningful under AddressSanitizer (shadow memory, quarantine)");
        rusage usage{};
        QCOMPARE(::getrusage(RUSAGE_CHILDREN, &usage), 0);
        qInfo("agent peak RSS: %ld KiB", usage.ru_maxrss);
        QVERIFY2(usage.ru_maxrss < maxPeakKiB,
                 qPrintable(QStringLiteral("agent peak RSS %1 KiB").arg(usage.ru_maxrss)));
    }

    void init()
    {
        QVERIFY(startServerAndAgent(kHost));
        m_faults = std::make_unique<FaultServer>(m_server->apiUrl());
        QVERIFY(m_faults->listen());
        m_server->addComputer(kHost, kAgentKey, kServerKey);
        m_server->addPackage(
            QStringLiteral("45"),
            ZipBuilder().file(QStringLiteral("install.sh"), "#!/bin/sh\necho installed\n", 0755).build());
        m_server->addJob(kHost, kJob, 12, 45, QStringLiteral("./install.sh"));
    }
    void cleanup()
    {
        m_faults.reset();
        stopServerAndAgent();
    }

    void faultIsReportedAndNextCycleWorks_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("times");
        QTest::addColumn<int>("skip");
        QTest::addColumn<int>("exitCode");     // of the faulty cycle
        QTest::addColumn<QString>("expected"); // in the agent's output or the job's message on the server
        QTest::addColumn<int>("jobState");     // on the server after the next cycle

        const QString hello = QStringLiteral("oco.agent_hello");
        const QString report = QStringLiteral("oco.update_deploy_status");
        const QString download = QStringLiteral("download");
        // clang-format off
        QTest::newRow("hello: dropped mid-headers") << int(Fault::DropMidHeaders) << hello << 3 << 0 << 1
            << QStringLiteral("the server closed the connection before the reply was complete") << 3;
        QTest::newRow("hello: dropped mid-body") << int(Fault::DropMidBody) << hello << 1 << 0 << 1
            << QStringLiteral("the reply broke off") << 3;
        QTest::newRow("hello: stalled") << int(Fault::Stall) << hello << 1 << 0 << 1
            << QStringLiteral("the server sent nothing for 2 s (read-timeout)") << 3;
        QTest::newRow("hello: 100 MB") << int(Fault::Huge) << hello << 1 << 0 << 1
            << QStringLiteral("is larger than 64 MiB: refused") << 3;
        QTest::newRow("hello: 100 MB without length") << int(Fault::HugeNoLength) << hello << 1 << 0 << 1
            << QStringLiteral("is larger than 64 MiB: refused") << 3;
        QTest::newRow("hello: truncated JSON") << int(Fault::TruncatedJson) << hello << 1 << 0 << 1
            << QStringLiteral("the reply to oco.agent_hello is not JSON") << 3;
        QTest::newRow("hello: HTML instead of JSON") << int(Fault::WrongContentType) << hello << 1 << 0 << 1
            << QStringLiteral("is not JSON (illegal value, starts with \"<html><head><title>Network login") << 3;
        QTest::newRow("hello: slow loris") << int(Fault::SlowLoris) << hello << 1 << 0 << 1
            << QStringLiteral("the reply was not complete within 4 s (twice read-timeout): the server sends too slowly") << 3;
        QTest::newRow("inventory: truncated JSON") << int(Fault::TruncatedJson) << QStringLiteral("oco.agent_update") << 1 << 0 << 1
            << QStringLiteral("inventory upload failed: the reply to oco.agent_update is not JSON") << 3;
        // A broken download is resumed where the file ends (JobEngine), so the job still succeeds.
        QTest::newRow("download: dropped mid-body") << int(Fault::DropMidBody) << download << 1 << 0 << 0
            << QStringLiteral("the download broke off after") << 3;
        QTest::newRow("download: stalled") << int(Fault::Stall) << download << 1 << 0 << 0
            << QStringLiteral("download failed: http://127.0.0.1") << -1;
        QTest::newRow("final report: stalled") << int(Fault::Stall) << report << 1 << 2 << 1
            << QStringLiteral("the final report failed") << 3;
        QTest::newRow("final report: dropped mid-headers") << int(Fault::DropMidHeaders) << report << 3 << 2 << 1
            << QStringLiteral("the final report failed") << 3;
        QTest::newRow("TLS: plain HTTP answer") << int(Fault::TlsPlainReply) << QStringLiteral("tls") << 3 << 0 << 1
            << QStringLiteral("TLS handshake failed") << 3;
        QTest::newRow("TLS: closed during handshake") << int(Fault::TlsCloseEarly) << QStringLiteral("tls") << 3 << 0 << 1
            << QStringLiteral("the server closed the connection before the reply was complete") << 3;
        // clang-format on
    }
    void faultIsReportedAndNextCycleWorks()
    {
        QFETCH(int, fault);
        QFETCH(QString, target);
        QFETCH(int, times);
        QFETCH(int, skip);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        QFETCH(int, jobState);
        const bool tls = target == QLatin1String("tls");
        writeConfig((tls ? m_faults->tlsApiUrl() : m_faults->apiUrl()).toString());
        const QString configBefore = m_agent->readConfig();
        m_faults->arm(Fault(fault), target, times, skip);

        const auto run = m_agent->run();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        QVERIFY(m_faults->faultsServed() >= 1);
        const QString seen = run.output + QStringLiteral("\n[job message] ") + m_server->job(kJob)->message;
        QVERIFY2(seen.contains(expected), qPrintable(seen));
        QVERIFY2(run.exitCode == exitCode, qPrintable(run.output));
        checkConsistent(configBefore);
        if (target == QLatin1String("oco.update_deploy_status")) {
            // The final report could not be delivered: it waits in the journal for the next cycle.
            const QJsonArray queued = journal().value(QStringLiteral("undelivered")).toArray();
            QCOMPARE(queued.size(), 1);
            QCOMPARE(queued.first().toObject().value(QStringLiteral("state")).toInt(), 3);
            QCOMPARE(queued.first().toObject().value(QStringLiteral("job-id")).toInt(), kJob);
        }

        // The next cycle against the same server works and finishes what was left.
        m_faults->disarm();
        QString configNow = configBefore;
        if (tls) {
            writeConfig(m_faults->apiUrl().toString());
            configNow = m_agent->readConfig();
        }
        const auto next = m_agent->run();
        QVERIFY2(next.exitCode == 0, qPrintable(next.output));
        QCOMPARE(m_server->job(kJob)->state, jobState);
        if (jobState == -1)
            QVERIFY2(m_server->job(kJob)->message.contains(QStringLiteral("download failed")),
                     qPrintable(m_server->job(kJob)->message));
        checkConsistent(configNow);
        QVERIFY(!journal().contains(QStringLiteral("undelivered")));
        if (target == QLatin1String("oco.update_deploy_status"))
            QVERIFY2(next.output.contains(QStringLiteral("delivered the queued final report of job 500")),
                     qPrintable(next.output));
    }

    // HTTP/1.0 with the body delimited by closing the connection is valid HTTP: the whole cycle works.
    void http10WithoutLengthWorks()
    {
        writeConfig(m_faults->apiUrl().toString());
        const QString configBefore = m_agent->readConfig();
        m_faults->arm(Fault::Http10NoLength, QStringLiteral("*"), 1000);
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_faults->faultsServed(), 0); // forwarded as HTTP/1.0, nothing broken
        QVERIFY(m_faults->log.contains(QStringLiteral("oco.agent_hello: http10-no-length")));
        QVERIFY(m_faults->log.contains(QStringLiteral("download: http10-no-length")));
        QCOMPARE(m_server->job(kJob)->state, 3);
        checkConsistent(configBefore);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
