// The tray's protocol client against the real service: oco-agent --daemon with its control socket in a
// temporary dir (server unreachable on purpose). Handshake, the pushed state, settings and a refusal.
#include "ServiceClient.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using oco::ui::ServiceClient;

class TestRealService : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_agent;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("state"))));
        QFile config(m_dir.filePath(QStringLiteral("oco-agent.ini")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("[agent]\nquery-interval = 600\nagent-key = demo\ncontrol-socket = %1\n\n"
                                    "[server]\napi-url = http://127.0.0.1:9/api-agent.php\nserver-key =\n"
                                    "protocol = 2021\n")
                         .arg(m_dir.filePath(QStringLiteral("control.sock")))
                         .toUtf8());
        config.close();
        m_agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_agent.start(QStringLiteral(OCO_AGENT_BIN),
                      {QStringLiteral("--daemon"), QStringLiteral("--config"), config.fileName(),
                       QStringLiteral("--state-dir"), m_dir.filePath(QStringLiteral("state"))});
        QVERIFY(m_agent.waitForStarted(5000));
    }

    void cleanupTestCase()
    {
        m_agent.terminate();
        if (!m_agent.waitForFinished(10000))
            m_agent.kill();
    }

    void talksToTheService()
    {
        ServiceClient link(m_dir.filePath(QStringLiteral("control.sock")));
        link.setRetryDelays(50, 200); // the service may still be starting
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 15000);
        QVERIFY(!link.agentVersion().isEmpty());
        QCOMPARE(int(link.peer().uid), int(getuid()));
        // The unreachable server shows up as an error with its kind.
        QTRY_COMPARE_WITH_TIMEOUT(oco::control::wireName(link.status().errorKind), QStringLiteral("unreachable"),
                                  15000);
        QCOMPARE(link.status().server, QStringLiteral("http://127.0.0.1:9/api-agent.php"));
        QVERIFY(link.powerPending().isEmpty());

        QJsonObject reply;
        link.request(oco::control::RequestType::GetSettings, {}, [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 10000);
        QVERIFY(reply.value(QStringLiteral("ok")).toBool());
        const QJsonObject settings = reply.value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("api-url")).toString(),
                 QStringLiteral("http://127.0.0.1:9/api-agent.php"));
        QVERIFY(settings.contains(QStringLiteral("agent_key_set")));
        QVERIFY(!settings.contains(QStringLiteral("agent-key"))); // keys never cross the socket

        reply = {};
        link.request(oco::control::RequestType::Postpone, {{QStringLiteral("minutes"), 60}},
                     [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 10000);
        QVERIFY(!reply.value(QStringLiteral("ok")).toBool());
        QVERIFY(!reply.value(QStringLiteral("reason")).toString().isEmpty());
    }
};

QTEST_MAIN(TestRealService)
#include "tst_realservice.moc"
