// Settings changed through the control socket while the real service is in the middle of a contact with the test
// server: during a package download, during a procedure, during the service checks. The service's blocking steps
// serve the socket meanwhile; the running contact must go on with the settings it started with, and the change
// takes effect when that contact has ended.
#include "AgentHarness.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace oco::test;

namespace {

const QString kHost = QStringLiteral("settingspc");

// A root client of the control socket. It waits with an event loop, so the test server keeps answering.
class ControlClient : public QObject
{
public:
    explicit ControlClient(const QString &path)
    {
        connect(&m_socket, &QLocalSocket::readyRead, this, [this] {
            m_buffer += m_socket.readAll();
            qsizetype nl;
            while ((nl = m_buffer.indexOf('\n')) >= 0) {
                received << QJsonDocument::fromJson(m_buffer.left(nl)).object();
                m_buffer.remove(0, nl + 1);
            }
        });
        m_socket.connectToServer(path);
    }
    bool greeted()
    {
        if (!QTest::qWaitFor([&] { return m_socket.state() == QLocalSocket::ConnectedState; }, 20000))
            return false;
        send({{QStringLiteral("type"), QStringLiteral("hello")},
              {QStringLiteral("version"), 1},
              {QStringLiteral("client"), QStringLiteral("tst_settingsduringcontact")}});
        return QTest::qWaitFor([&] { return !last(QStringLiteral("welcome")).isEmpty(); }, 20000);
    }
    QJsonObject request(QJsonObject r)
    {
        const int id = ++m_lastId;
        r.insert(QStringLiteral("id"), id);
        send(r);
        QJsonObject reply;
        [[maybe_unused]] const bool answered = QTest::qWaitFor(
            [&] {
                for (const QJsonObject &o : std::as_const(received))
                    if (o.value(QStringLiteral("type")) == QLatin1String("reply") &&
                        o.value(QStringLiteral("id")) == id)
                        reply = o;
                return !reply.isEmpty();
            },
            30000);
        return reply;
    }
    QJsonObject last(const QString &type) const
    {
        for (auto it = received.crbegin(); it != received.crend(); ++it)
            if (it->value(QStringLiteral("type")).toString() == type)
                return *it;
        return {};
    }
    QList<QJsonObject> received;

private:
    void send(const QJsonObject &o) { m_socket.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n'); }
    QLocalSocket m_socket;
    QByteArray m_buffer;
    int m_lastId = 0;
};

} // namespace

class TestSettingsDuringContact : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_log;

    QString path(const QString &name) const { return m_tmp->filePath(name); }

    // A shell line that says it has started, then waits until the test writes a line into the gate.
    QString waitAtGate() const
    {
        return QStringLiteral("touch %1; read line < %2")
            .arg(path(QStringLiteral("started")), path(QStringLiteral("gate")));
    }

    void openGate()
    {
        QFile gate(path(QStringLiteral("gate")));
        QVERIFY(gate.open(QIODevice::WriteOnly)); // the reader is waiting: the open does not block for long
        gate.write("go\n");
    }

    QString serviceLog(QProcess &p)
    {
        m_log += QString::fromUtf8(p.readAllStandardError());
        return m_log;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the service runs procedures and service checks as root, and only root and the admin "
                  "group change settings");
    }

    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        QVERIFY(::mkfifo(path(QStringLiteral("gate")).toLocal8Bit().constData(), 0600) == 0);
        QVERIFY(QDir().mkpath(path(QStringLiteral("checks"))));
        m_log.clear();
    }

    void runningContactKeepsItsSettings_data()
    {
        QTest::addColumn<QString>("phase");
        QTest::newRow("during a download") << QStringLiteral("download");
        QTest::newRow("during a procedure") << QStringLiteral("procedure");
        QTest::newRow("during the service checks") << QStringLiteral("service checks");
    }

    // The contact starts with job-timeout = 60; in the middle of it root sets job-timeout = 1. A job of the same
    // contact that takes two seconds must still succeed; the next contact uses the new timeout.
    void runningContactKeepsItsSettings()
    {
        QFETCH(QString, phase);
        TestServer server;
        server.dialect = TestServer::Generation::Current;
        QVERIFY(server.listen());
        TestServer::Computer &pc = server.addComputer(kHost, TestServer::randomKey(), TestServer::randomKey());
        pc.agentVersion = QStringLiteral("1.3.0");
        pc.lastUpdate = QDateTime::currentDateTimeUtc(); // no inventory: the contact is hello, checks and jobs
        server.addPackage(QStringLiteral("7"), ZipBuilder().file(QStringLiteral("x.sh"), "exit 0\n").build());
        const QString twoSeconds = QStringLiteral("sleep 2");
        QList<int> jobsOfTheContact;
        if (phase == QLatin1String("download")) {
            server.addJob(kHost, 71, 700, 7, twoSeconds, true);
            jobsOfTheContact = {71};
        } else if (phase == QLatin1String("procedure")) {
            server.addJob(kHost, 71, 700, 7, waitAtGate(), false);
            server.addJob(kHost, 72, 700, 7, twoSeconds, false);
            jobsOfTheContact = {71, 72};
        } else {
            QFile check(path(QStringLiteral("checks/gate")));
            QVERIFY(check.open(QIODevice::WriteOnly));
            check.write(("#!/bin/sh\n" + waitAtGate() + "\necho '0 gate - passed'\n").toUtf8());
            check.close();
            QVERIFY(check.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
            server.addJob(kHost, 71, 700, 7, twoSeconds, false);
            jobsOfTheContact = {71};
        }

        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), kHost);
        const QString sock = h.dir() + QStringLiteral("/control.sock");
        h.writeConfig(
            QStringLiteral("[agent]\nagent-key = %1\nquery-interval = 3600\nconnection-timeout = 5\n"
                           "read-timeout = 30\njob-timeout = 60\nservice-checks = %2\ncontrol-socket = %3\n"
                           "[server]\napi-url = %4\nserver-key = %5\nprotocol = current\n")
                .arg(pc.agentKey, path(QStringLiteral("checks")), sock, server.apiUrl().toString(), pc.serverKey));
        ControlClient *client = nullptr;
        std::unique_ptr<ControlClient> owner;
        QJsonObject changed;
        auto changeSettings = [&] {
            if (!client) {
                owner = std::make_unique<ControlClient>(sock);
                client = owner.get();
                if (!client->greeted())
                    return;
            }
            changed = client->request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                                       {QStringLiteral("settings"), QJsonObject{{QStringLiteral("job-timeout"), 1}}}});
        };
        // The download waits for the test server's answer, which waits for the change.
        server.interceptor = [&](const RecordedRequest &req, HttpReply *) {
            if (phase == QLatin1String("download") && req.rpcMethod == QLatin1String("oco.agent.download") &&
                changed.isEmpty())
                changeSettings();
            return false;
        };

        auto svc = h.start({QStringLiteral("--daemon")});
        QVERIFY(svc->waitForStarted(10000));
        auto stop = qScopeGuard([&] {
            svc->terminate();
            if (!QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000)) {
                svc->kill();
                svc->waitForFinished(5000);
            }
        });
        if (phase != QLatin1String("download")) {
            QVERIFY2(QTest::qWaitFor([&] { return QFile::exists(path(QStringLiteral("started"))); }, 30000),
                     qPrintable(serviceLog(*svc)));
            changeSettings();
            openGate();
        }
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         for (int id : std::as_const(jobsOfTheContact))
                             if (server.job(id)->state != 3 && server.job(id)->state != -1)
                                 return false;
                         return true;
                     },
                     60000),
                 qPrintable(serviceLog(*svc)));

        // The contact's jobs ran with the settings it started with (a job-timeout of 1 s would have stopped
        // the two-second job).
        for (int id : std::as_const(jobsOfTheContact))
            QVERIFY2(server.job(id)->state == 3, qPrintable(QStringLiteral("job %1: state %2, %3")
                                                                .arg(id)
                                                                .arg(server.job(id)->state)
                                                                .arg(server.job(id)->message)));
        // Saved at once, and the one who asked is told when it takes effect.
        QVERIFY2(changed.value(QStringLiteral("ok")).toBool(), qPrintable(QJsonDocument(changed).toJson()));
        QCOMPARE(changed.value(QStringLiteral("effect")).toString(), QStringLiteral("after_contact"));
        QCOMPARE(changed.value(QStringLiteral("message")).toString(),
                 QStringLiteral("saved: job-timeout; takes effect after the running contact"));
        QCOMPARE(changed.value(QStringLiteral("settings")).toObject().value(QStringLiteral("job-timeout")).toInt(), 1);
        QCOMPARE(h.configValue(QStringLiteral("agent"), QStringLiteral("job-timeout")), QStringLiteral("1"));

        // When the contact has ended the service takes the change over, says so and pushes its status.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return serviceLog(*svc).contains(
                             QStringLiteral("settings changed during the contact are in effect now: job-timeout"));
                     },
                     30000),
                 qPrintable(serviceLog(*svc)));
        QTRY_COMPARE_WITH_TIMEOUT(client->last(QStringLiteral("status")).value(QStringLiteral("state")).toString(),
                                  QStringLiteral("idle"), 10000);
        const QJsonObject settings = client->request({{QStringLiteral("type"), QStringLiteral("get_settings")}});
        QCOMPARE(settings.value(QStringLiteral("settings")).toObject().value(QStringLiteral("job-timeout")).toInt(), 1);

        // The next contact uses it: the same two-second job is stopped after one second.
        QFile::remove(path(QStringLiteral("checks/gate")));
        server.addJob(kHost, 73, 700, 7, twoSeconds, false);
        client->request({{QStringLiteral("type"), QStringLiteral("check_now")}});
        QVERIFY2(QTest::qWaitFor([&] { return server.job(73)->state == -1; }, 60000), qPrintable(serviceLog(*svc)));
        QVERIFY2(server.job(73)->message.contains(QStringLiteral("job-timeout")), qPrintable(server.job(73)->message));
    }
};

QTEST_GUILESS_MAIN(TestSettingsDuringContact)
#include "tst_settingsduringcontact.moc"
