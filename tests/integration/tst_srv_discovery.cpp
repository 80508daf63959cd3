// DNS SRV discovery with the real agent: a tiny DNS server on a loopback address answers _oco._tcp.
#include "AgentHarness.h"
#include "TestCa.h"
#include "TestServer.h"

#include <QUdpSocket>
#include <QtTest>

using namespace oco::test;

namespace {

struct Srv
{
    quint16 priority, weight, port;
    QByteArray target;
};

QByteArray encodeName(const QByteArray &name)
{
    QByteArray out;
    const QList<QByteArray> labels = name.split('.');
    for (const QByteArray &l : labels) {
        if (l.isEmpty())
            continue;
        out += char(l.size());
        out += l;
    }
    out += '\0';
    return out;
}

void put16(QByteArray &b, quint16 v)
{
    b += char(v >> 8);
    b += char(v & 0xff);
}

// Answers SRV questions for one name from a fixed record list; everything else NXDOMAIN.
class TinyDns : public QObject
{
public:
    QByteArray name; // e.g. "_oco._tcp.corp.test"
    QList<Srv> records;
    QList<QByteArray> questions;

    bool listen(const QHostAddress &addr) { return m_socket.bind(addr, 53); }
    TinyDns()
    {
        connect(&m_socket, &QUdpSocket::readyRead, this, [this] {
            while (m_socket.hasPendingDatagrams()) {
                QByteArray q(int(m_socket.pendingDatagramSize()), '\0');
                QHostAddress from;
                quint16 port = 0;
                m_socket.readDatagram(q.data(), q.size(), &from, &port);
                m_socket.writeDatagram(answer(q), from, port);
            }
        });
    }

private:
    QByteArray answer(const QByteArray &q)
    {
        int pos = 12;
        QByteArray qname;
        while (pos < q.size() && q.at(pos) != 0) {
            const int len = quint8(q.at(pos));
            if (!qname.isEmpty())
                qname += '.';
            qname += q.mid(pos + 1, len);
            pos += len + 1;
        }
        const QByteArray question = q.mid(12, pos + 5 - 12);
        questions << qname;
        const bool match = qname.toLower() == name.toLower();
        QByteArray r = q.left(2);
        put16(r, match ? 0x8180 : 0x8183);
        put16(r, 1);
        put16(r, match ? quint16(records.size()) : 0);
        put16(r, 0);
        put16(r, 0);
        r += question;
        if (!match)
            return r;
        for (const Srv &s : qAsConst(records)) {
            r += char(0xc0);
            r += char(12);
            put16(r, 33); // SRV
            put16(r, 1);  // IN
            put16(r, 0);
            put16(r, 60); // TTL
            const QByteArray target = encodeName(s.target);
            put16(r, quint16(6 + target.size()));
            put16(r, s.priority);
            put16(r, s.weight);
            put16(r, s.port);
            r += target;
        }
        return r;
    }
    QUdpSocket m_socket;
};

const QHostAddress kDnsAddress(QStringLiteral("127.53.0.1"));

} // namespace

class TstSrvDiscovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // api-url empty: the agent asks _oco._tcp.<search domain>, takes the best record (priority 10 before
    // 20; the trailing dot removed), pins https://<target>:<port>/api-agent.php and never asks again.
    void discoversAndPins()
    {
        TinyDns dns;
        if (!dns.listen(kDnsAddress))
            QSKIP("cannot bind a DNS server to 127.53.0.1:53 (needs root)");
        TestCa ca;
        QVERIFY2(ca.ok(), qPrintable(ca.error()));
        const TestCa::Issued cert = ca.issue(QStringLiteral("oco.test"), QStringLiteral("IP:127.0.0.1,DNS:localhost"));
        TestServer server;
        server.dialect = TestServer::Generation::Current;
        server.selfRegistration = true;
        QVERIFY(server.listenTls(cert.cert, cert.key));

        dns.name = "_oco._tcp.corp.test";
        dns.records = {{20, 0, 1, "unused.invalid."}, {10, 5, server.port(), "localhost."}};
        AgentHarness agent(QStringLiteral(OCO_AGENT_BIN));
        agent.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("pc1"));
        agent.environment.insert(QStringLiteral("OCO_TEST_DNS_SERVER"), kDnsAddress.toString());
        agent.environment.insert(QStringLiteral("OCO_TEST_DNS_DOMAIN"), QStringLiteral("corp.test"));
        agent.writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nmachine-uid = srv-uid\n\n[server]\n"
                                         "api-url =\nca-file = %2\n")
                              .arg(server.registrationKey, ca.caFile()));
        AgentHarness::Run r = agent.run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QString expected = QStringLiteral("https://localhost:%1/api-agent.php").arg(server.port());
        QCOMPARE(agent.configValue(QStringLiteral("server"), QStringLiteral("api-url")), expected);
        QCOMPARE(agent.configValue(QStringLiteral("server"), QStringLiteral("protocol")), QStringLiteral("current"));
        QVERIFY(server.computer(QStringLiteral("pc1")));
        QCOMPARE(dns.questions, QList<QByteArray>{"_oco._tcp.corp.test"});

        // Pinned: the next start does not ask DNS again (a rogue search domain cannot redirect the agent).
        dns.records = {{1, 0, 1, "evil.invalid."}};
        r = agent.run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(dns.questions.size(), 1);
        QCOMPARE(agent.configValue(QStringLiteral("server"), QStringLiteral("api-url")), expected);
    }

    void nothingFound()
    {
        TinyDns dns;
        if (!dns.listen(kDnsAddress))
            QSKIP("cannot bind a DNS server to 127.53.0.1:53 (needs root)");
        dns.name = "_oco._tcp.other.test";
        AgentHarness agent(QStringLiteral(OCO_AGENT_BIN));
        agent.environment.insert(QStringLiteral("OCO_TEST_DNS_SERVER"), kDnsAddress.toString());
        agent.environment.insert(QStringLiteral("OCO_TEST_DNS_DOMAIN"), QStringLiteral("corp.test"));
        agent.writeConfig(QStringLiteral("[agent]\nagent-key = x\n\n[server]\napi-url =\n"));
        const AgentHarness::Run r = agent.run();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(QLatin1String("DNS SRV discovery found no server")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("_oco._tcp.corp.test")), qPrintable(r.output));
        QVERIFY(agent.configValue(QStringLiteral("server"), QStringLiteral("api-url")).isEmpty());
    }
};

QTEST_MAIN(TstSrvDiscovery)
#include "tst_srv_discovery.moc"
