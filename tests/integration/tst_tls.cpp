// TLS and proxies with the real agent: a private CA made by openssl at test time, certificates that are
// right, expired, for another name or from another CA; public key pinning; a CONNECT proxy.
#include "AgentHarness.h"
#include "ConnectProxy.h"
#include "ServerAgentFixture.h"
#include "TestCa.h"
#include "TestServer.h"

#include <QtTest>

using namespace oco::test;

namespace {
const QString kHost = QStringLiteral("pc1");
}

class TstTls : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    std::unique_ptr<TestCa> m_ca;
    std::unique_ptr<TestCa> m_otherCa;
    TestCa::Issued m_good, m_expired, m_wrongName;

    void serve(const TestCa::Issued &cert)
    {
        QVERIFY(startServer(TestServer::Generation::Current, cert.cert, cert.key));
        m_server->selfRegistration = true;
    }
    void config(const QString &extra)
    {
        m_agent->writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nmachine-uid = tls-uid\n"
                                            "connection-timeout = 5\nread-timeout = 20\n\n[server]\napi-url = %2\n"
                                            "protocol = current\n%3")
                                 .arg(m_server->registrationKey, m_server->apiUrl().toString(), extra));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ca = std::make_unique<TestCa>();
        QVERIFY2(m_ca->ok(), qPrintable(m_ca->error()));
        m_otherCa = std::make_unique<TestCa>(QStringLiteral("Someone Else CA"));
        QVERIFY2(m_otherCa->ok(), qPrintable(m_otherCa->error()));
        m_good = m_ca->issue(QStringLiteral("oco.test"), QStringLiteral("IP:127.0.0.1,DNS:localhost"));
        QVERIFY2(!m_good.cert.isNull(), qPrintable(m_ca->error()));
        m_expired = m_ca->issue(QStringLiteral("old.test"), QStringLiteral("IP:127.0.0.1,DNS:localhost"),
                                QStringLiteral("20200101000000Z"), QStringLiteral("20210101000000Z"));
        QVERIFY2(!m_expired.cert.isNull(), qPrintable(m_ca->error()));
        m_wrongName = m_ca->issue(QStringLiteral("other.test"), QStringLiteral("DNS:other.example"));
        QVERIFY2(!m_wrongName.cert.isNull(), qPrintable(m_ca->error()));
    }
    void init() { startAgent(kHost); }
    void cleanup() { stopServerAndAgent(); }

    void certificates_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("expected"); // empty: success
        QTest::newRow("right CA") << "good"
                                  << "ca" << QString();
        QTest::newRow("no ca-file (system store only)") << "good"
                                                        << ""
                                                        << "unknown authority";
        QTest::newRow("wrong CA") << "good"
                                  << "other"
                                  << "unknown authority";
        QTest::newRow("expired") << "expired"
                                 << "ca"
                                 << "has expired";
        QTest::newRow("wrong name") << "wrongname"
                                    << "ca"
                                    << "not for this host name";
        QTest::newRow("missing ca-file") << "good"
                                         << "missing"
                                         << "unknown authority";
    }
    void certificates()
    {
        QFETCH(QString, which);
        QFETCH(QString, caFile);
        QFETCH(QString, expected);
        serve(which == QLatin1String("good") ? m_good : (which == QLatin1String("expired") ? m_expired : m_wrongName));
        QString ca;
        if (caFile == QLatin1String("ca"))
            ca = m_ca->caFile();
        else if (caFile == QLatin1String("other"))
            ca = m_otherCa->caFile();
        else if (caFile == QLatin1String("missing"))
            ca = m_agent->dir() + QStringLiteral("/nope.pem");
        config(ca.isEmpty() ? QString() : QStringLiteral("ca-file = %1\n").arg(ca));
        const AgentHarness::Run r = m_agent->run();
        if (expected.isEmpty()) {
            QVERIFY2(r.exitCode == 0, qPrintable(r.output));
            QVERIFY(m_server->computer(kHost));
            return;
        }
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(expected), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("TLS")), qPrintable(r.output));
        QVERIFY(m_server->requests.isEmpty()); // nothing was sent over the untrusted connection
        QVERIFY(m_server->computers.isEmpty());
    }

    void pinning_data()
    {
        QTest::addColumn<QString>("pin");
        QTest::addColumn<bool>("ok");
        QTest::newRow("right pin (base64)") << "good" << true;
        QTest::newRow("right pin (hex)") << "goodhex" << true;
        QTest::newRow("other key") << "other" << false;
        QTest::newRow("garbage") << "garbage" << false;
    }
    void pinning()
    {
        QFETCH(QString, pin);
        QFETCH(bool, ok);
        serve(m_good);
        QString value = m_good.pinBase64;
        if (pin == QLatin1String("goodhex"))
            value = QString::fromLatin1(QByteArray::fromBase64(m_good.pinBase64.toLatin1()).toHex());
        else if (pin == QLatin1String("other"))
            value = m_expired.pinBase64;
        else if (pin == QLatin1String("garbage"))
            value = QStringLiteral("not-a-pin");
        QVERIFY(!m_good.pinBase64.isEmpty());
        config(QStringLiteral("ca-file = %1\npin-sha256 = %2\n").arg(m_ca->caFile(), value));
        const AgentHarness::Run r = m_agent->run();
        if (ok) {
            QVERIFY2(r.exitCode == 0, qPrintable(r.output));
            return;
        }
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("does not match [server] pin-sha256")), qPrintable(r.output));
        QVERIFY2(r.output.contains(m_good.pinBase64), qPrintable(r.output)); // tells the admin the real pin
        QVERIFY(m_server->requests.isEmpty());
    }

    void proxy_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<bool>("env");
        QTest::addColumn<bool>("viaProxy");
        QTest::newRow("explicit URL") << "url" << false << true;
        QTest::newRow("system, https_proxy set") << "system" << true << true;
        QTest::newRow("none, https_proxy set") << "none" << true << false;
    }
    void proxy()
    {
        QFETCH(QString, setting);
        QFETCH(bool, env);
        QFETCH(bool, viaProxy);
        serve(m_good);
        ConnectProxy proxy;
        QVERIFY(proxy.listen());
        if (env) {
            m_agent->environment.insert(QStringLiteral("https_proxy"), proxy.url());
            m_agent->environment.insert(QStringLiteral("http_proxy"), proxy.url());
            m_agent->environment.remove(QStringLiteral("no_proxy"));
            m_agent->environment.remove(QStringLiteral("NO_PROXY"));
        }
        config(QStringLiteral("ca-file = %1\nproxy = %2\n")
                   .arg(m_ca->caFile(), setting == QLatin1String("url") ? proxy.url() : setting));
        const AgentHarness::Run r = m_agent->run();
        // On failure: what reached the proxy and what the agent said, so a rare failure shows its cause.
        const QByteArray seen = proxy.describe() + "\nagent output:\n" + r.output.right(3000).toUtf8();
        QVERIFY2(r.exitCode == 0, seen.constData());
        QVERIFY2(m_server->computer(kHost), seen.constData());
        if (viaProxy) {
            QVERIFY2(!proxy.targets.isEmpty(), seen.constData());
            QVERIFY2(proxy.targets.first() == QByteArray("127.0.0.1:") + QByteArray::number(m_server->port()),
                     seen.constData());
        } else {
            QVERIFY2(proxy.targets.isEmpty(), seen.constData());
        }
    }

    void proxyDown()
    {
        serve(m_good);
        config(QStringLiteral("ca-file = %1\nproxy = http://127.0.0.1:1\n").arg(m_ca->caFile()));
        const AgentHarness::Run r = m_agent->run();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("proxy")), qPrintable(r.output));
        QVERIFY(m_server->requests.isEmpty());
    }
};

QTEST_MAIN(TstTls)
#include "tst_tls.moc"
