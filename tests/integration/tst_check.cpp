// `oco-agent --check` against healthy and broken setups: one OK/FAIL line per step, exit 0 only if all pass.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestCa.h"
#include "TestServer.h"

#include <QTcpServer>
#include <QtTest>

using namespace oco::test;

namespace {
const QString kHost = QStringLiteral("pc1");

QString lineOf(const QString &out, const QString &label)
{
    const QStringList lines = out.split(QLatin1Char('\n'));
    for (const QString &l : lines)
        if (l.mid(5).startsWith(label + QLatin1Char(':')))
            return l;
    return {};
}
} // namespace

class TstCheck : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    std::unique_ptr<TestCa> m_ca;
    TestCa::Issued m_cert;

    void config(const QString &agentKey, const QString &serverKey, const QString &extra = {},
                const QString &protocol = QStringLiteral("auto"))
    {
        m_agent->writeConfig(
            QStringLiteral("[agent]\nagent-key = %1\nmachine-uid = check-uid\nconnection-timeout = 5\n"
                           "\n[server]\napi-url = %2\nserver-key = %3\nca-file = %4\nprotocol = %5\n%6")
                .arg(agentKey, m_server->apiUrl().toString(), serverKey, m_ca->caFile(), protocol, extra));
    }
    AgentHarness::Run check() { return m_agent->run({QStringLiteral("--check")}); }

private Q_SLOTS:
    void initTestCase()
    {
        m_ca = std::make_unique<TestCa>();
        QVERIFY2(m_ca->ok(), qPrintable(m_ca->error()));
        m_cert = m_ca->issue(QStringLiteral("oco.test"), QStringLiteral("IP:127.0.0.1,DNS:localhost"));
        QVERIFY(!m_cert.cert.isNull());
    }
    void init()
    {
        QVERIFY(startServer(TestServer::Generation::Current, m_cert.cert, m_cert.key));
        startAgent(kHost);
    }
    void cleanup() { stopServerAndAgent(); }

    void healthy_data()
    {
        QTest::addColumn<bool>("legacy");
        QTest::newRow("current") << false;
        QTest::newRow("2021") << true;
    }
    void healthy()
    {
        QFETCH(bool, legacy);
        if (legacy)
            m_server->dialect = TestServer::Generation::Legacy2021;
        TestServer::Computer &c = m_server->addComputer(kHost, TestServer::randomKey(), TestServer::randomKey());
        c.agentVersion = QStringLiteral("1.3.0");
        m_server->addJob(kHost, 5, 1, 1, QStringLiteral("touch should-not-run"), false);
        config(c.agentKey, c.serverKey);
        const QString before = m_agent->readConfig();
        const AgentHarness::Run r = check();
        qInfo().noquote() << r.stdoutText;
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        for (const char *label : {"config", "server URL", "DNS", "TCP", "TLS", "dialect", "keys", "hello", "clock"}) {
            const QString l = lineOf(r.stdoutText, QLatin1String(label));
            QVERIFY2(l.startsWith(QLatin1String("OK  ")),
                     qPrintable(QStringLiteral("%1 in\n%2").arg(label, r.stdoutText)));
        }
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("server URL")).contains(QLatin1String("from the config")));
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("TLS")).contains(QLatin1String("issuer \"OCO Test CA\"")));
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("TLS")).contains(QLatin1String("subject \"oco.test\"")));
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("TLS")).contains(QLatin1String("expires")));
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("dialect"))
                    .contains(legacy ? QLatin1String("speaks 2021") : QLatin1String("speaks current")));
        QVERIFY(lineOf(r.stdoutText, QStringLiteral("hello")).contains(QLatin1String("1 job(s) waiting")));
        // No job ran, the config is untouched (not even the protocol pinned), the hello did reach the server.
        QCOMPARE(m_server->job(5)->state, 0);
        QVERIFY(m_server->job(5)->reports.isEmpty());
        QCOMPARE(m_agent->readConfig(), before);
        QCOMPARE(
            m_server->countRequests(legacy ? QStringLiteral("oco.agent_hello") : QStringLiteral("oco.agent.hello")), 1);
    }

    void broken_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("failLine");
        QTest::addColumn<QString>("words");
        QTest::newRow("wrong agent key") << "key"
                                         << "hello"
                                         << "Invalid agent signature";
        QTest::newRow("no server key yet") << "fresh"
                                           << "keys"
                                           << "first contact pending";
        QTest::newRow("wrong CA") << "ca"
                                  << "TLS"
                                  << "unknown authority";
        QTest::newRow("server down") << "down"
                                     << "TCP"
                                     << "cannot connect";
        QTest::newRow("unresolvable name") << "dns"
                                           << "DNS"
                                           << "does not resolve";
        QTest::newRow("clock off") << "clock"
                                   << "clock"
                                   << "more than 60 s";
        QTest::newRow("dialect mismatch") << "dialect"
                                          << "dialect"
                                          << "but [server] protocol = 2021";
        QTest::newRow("bad config") << "config"
                                    << "config"
                                    << "query-interval";
        QTest::newRow("plain http") << "http"
                                    << "TLS"
                                    << "plain http";
    }
    void broken()
    {
        QFETCH(QString, what);
        QFETCH(QString, failLine);
        QFETCH(QString, words);
        TestServer::Computer &c = m_server->addComputer(kHost, TestServer::randomKey(), TestServer::randomKey());
        c.agentVersion = QStringLiteral("1.3.0");
        config(c.agentKey, c.serverKey);
        if (what == QLatin1String("key")) {
            config(QStringLiteral("wrong"), c.serverKey);
        } else if (what == QLatin1String("fresh")) {
            config(m_server->registrationKey, QString());
        } else if (what == QLatin1String("ca")) {
            TestCa other(QStringLiteral("Other CA"));
            QVERIFY(other.ok());
            m_agent->writeConfig(m_agent->readConfig().replace(m_ca->caFile(), other.caFile()));
            const AgentHarness::Run r = check();
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(lineOf(r.stdoutText, failLine).startsWith(QLatin1String("FAIL")), qPrintable(r.stdoutText));
            QVERIFY2(lineOf(r.stdoutText, failLine).contains(words), qPrintable(r.stdoutText));
            return;
        } else if (what == QLatin1String("down")) {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            const quint16 freePort = probe.serverPort();
            probe.close();
            m_agent->writeConfig(m_agent->readConfig().replace(QStringLiteral(":%1/").arg(m_server->port()),
                                                               QStringLiteral(":%1/").arg(freePort)));
        } else if (what == QLatin1String("dns")) {
            m_agent->writeConfig(
                m_agent->readConfig().replace(QStringLiteral("127.0.0.1"), QStringLiteral("no-such-host.invalid")));
        } else if (what == QLatin1String("clock")) {
            const QString clockFile = m_agent->dir() + QStringLiteral("/clock");
            QFile f(clockFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::number(QDateTime::currentDateTimeUtc().addSecs(-600).toMSecsSinceEpoch()));
            f.close();
            m_agent->environment.insert(QStringLiteral("OCO_TEST_CLOCK_FILE"), clockFile);
        } else if (what == QLatin1String("dialect")) {
            config(c.agentKey, c.serverKey, {}, QStringLiteral("2021"));
        } else if (what == QLatin1String("config")) {
            m_agent->writeConfig(m_agent->readConfig() + QStringLiteral("\n[agent]\nquery-interval = soon\n"));
        } else if (what == QLatin1String("http")) {
            m_server = std::make_unique<TestServer>();
            m_server->dialect = TestServer::Generation::Current;
            QVERIFY(m_server->listen());
            TestServer::Computer &c2 = m_server->addComputer(kHost, TestServer::randomKey(), TestServer::randomKey());
            c2.agentVersion = QStringLiteral("1.3.0");
            config(c2.agentKey, c2.serverKey);
        }
        const AgentHarness::Run r = check();
        QCOMPARE(r.exitCode, 1);
        const QString l = lineOf(r.stdoutText, failLine);
        QVERIFY2(l.startsWith(QLatin1String("FAIL")), qPrintable(r.stdoutText));
        QVERIFY2(l.contains(words), qPrintable(r.stdoutText));
        QVERIFY(m_server->job(5) == nullptr);
        if (what == QLatin1String("fresh")) // the hello is not even tried: the keys would be lost
            QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.hello")), 0);
    }
};

QTEST_MAIN(TstCheck)
#include "tst_check.moc"
