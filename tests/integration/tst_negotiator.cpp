// DialectNegotiator in-process against the test server: what the probe tells for each server generation, and
// that a dry run (--check, the tray's connection test) decides for the contact only and writes nothing.
#include "TestServer.h"
#include "config/Config.h"
#include "core/StateStore.h"
#include "protocol/DialectNegotiator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace oco;
using namespace oco::test;

class TstNegotiator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeConfig(const QString &apiUrl, const QString &agentKey, const QString &protocol)
    {
        const QString path = m_dir.filePath(QStringLiteral("oco-agent.ini"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(QStringLiteral("[agent]\nagent-key = %1\nmachine-uid = uid-1\nconnection-timeout = 5\n"
                               "read-timeout = 20\n\n[server]\napi-url = %2\nserver-key =\nprotocol = %3\n")
                    .arg(agentKey, apiUrl, protocol)
                    .toUtf8());
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return path;
    }

private Q_SLOTS:
    void probe_data()
    {
        QTest::addColumn<int>("generation");
        QTest::addColumn<int>("era");
        QTest::addColumn<QString>("answer");
        QTest::newRow("v0.12.1") << int(TestServer::Generation::Legacy2021) << int(ServerEra::Legacy2021)
                                 << "HTTP 200 OK, \"{\"error\":\"Unknown Method\",\"id\":1,\"result\":null}\"";
        QTest::newRow("v0.16.3") << int(TestServer::Generation::Era016) << int(ServerEra::Transitional)
                                 << "HTTP 400 Unknown Method";
        QTest::newRow("v1.1.6") << int(TestServer::Generation::Era11) << int(ServerEra::Transitional)
                                << "HTTP 400 Unknown Method";
        QTest::newRow("v1.2.2") << int(TestServer::Generation::Current) << int(ServerEra::Current)
                                << "HTTP 400 Bad Request, \"Unknown method\"";
    }
    void probe()
    {
        QFETCH(int, generation);
        QFETCH(int, era);
        QFETCH(QString, answer);
        TestServer server;
        QVERIFY(server.listen());
        server.dialect = static_cast<TestServer::Generation>(generation);
        Config config;
        QString err;
        QVERIFY2(config.load(writeConfig(server.apiUrl().toString(), QStringLiteral("ernesto"), QStringLiteral("auto")),
                             &err),
                 qPrintable(err));
        StateStore state;
        QVERIFY2(state.open(m_dir.filePath(QStringLiteral("state")), &err), qPrintable(err));
        HttpClient http;
        DialectNegotiator n(config, state, http,
                            AgentIdentity{QStringLiteral("pc1"), QStringLiteral("uid-1"), QStringLiteral("1.3.0")});
        const ServerProbe p = n.probe();
        QCOMPARE(int(p.era), era);
        QCOMPARE(p.answer, answer);
        // No key, nothing created.
        QCOMPARE(server.requests.size(), 1);
        QVERIFY(!server.requests.first().body.contains("ernesto"));
        QVERIFY(server.computers.isEmpty());
    }

    // A dry contact with protocol = auto against v1.1.6: the hello goes out in the plain dialect, the config file
    // is not touched.
    void dryRunWritesNothing()
    {
        TestServer server;
        QVERIFY(server.listen());
        server.dialect = TestServer::Generation::Era11;
        server.addComputer(QStringLiteral("pc1"), QStringLiteral("individualkey0000000000000000a"),
                           QStringLiteral("serverkey000000000000000000000"));
        const QString path = writeConfig(server.apiUrl().toString(), QStringLiteral("individualkey0000000000000000a"),
                                         QStringLiteral("auto"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        Config config;
        QString err;
        QVERIFY2(config.load(path, &err), qPrintable(err));
        config.serverKey = QStringLiteral("serverkey000000000000000000000"); // in memory only: nothing to store
        StateStore state;
        QVERIFY2(state.open(m_dir.filePath(QStringLiteral("state2")), &err), qPrintable(err));
        HttpClient http;
        DialectNegotiator n(config, state, http,
                            AgentIdentity{QStringLiteral("pc1"), QStringLiteral("uid-1"), QStringLiteral("1.3.0")});
        n.setDryRun(true);
        const DialectNegotiator::Contact c = n.hello([] {
            return QJsonObject{{QStringLiteral("agent_version"), QStringLiteral("1.3.0")}};
        });
        QVERIFY2(c.hello.ok(), qPrintable(c.hello.failure.message));
        QCOMPARE(c.dialect->name(), QStringLiteral("plain"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        QVERIFY(state.value(QStringLiteral("protocol-detected")).toString().isEmpty());
        QCOMPARE(server.rpcMethods(), (QStringList{QStringLiteral("oco.agent.check"), QStringLiteral("oco.agent_hello"),
                                                   QStringLiteral("oco.agent.hello")}));
    }
};

QTEST_GUILESS_MAIN(TstNegotiator)
#include "tst_negotiator.moc"
