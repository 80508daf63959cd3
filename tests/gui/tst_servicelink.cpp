// The protocol client against a stub service: handshake, pushes, requests and replies, refusals, a broken or
// vanished service, and reconnecting.
#include "GuiTest.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>

#include <sys/stat.h>
#include <unistd.h>

using oco::ui::ServiceClient;

class TestServiceLink : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helloAndPushes()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        const QJsonObject hello = s.stub.requests.value(0);
        QCOMPARE(hello.value(QStringLiteral("type")).toString(), QStringLiteral("hello"));
        QCOMPARE(hello.value(QStringLiteral("version")).toInt(), 1);
        QVERIFY(hello.value(QStringLiteral("client")).toString().startsWith(QStringLiteral("oco-tray/")));
        QCOMPARE(s.link->agentVersion(), QStringLiteral("1.3.0"));
        QCOMPARE(s.link->peer().user, QStringLiteral("jane"));
        QTRY_COMPARE_WITH_TIMEOUT(s.link->logLines().size(), 7, 5000);
        QCOMPARE(s.link->status().dialect, QStringLiteral("2021"));
        QCOMPARE(s.link->inventory().value(QStringLiteral("hostname")).toString(), QStringLiteral("pc-lab-07"));
        QCOMPARE(s.link->jobs().history.size(), 2);
        QCOMPARE(oco::control::wireName(s.link->powerPending().action), QStringLiteral("restart"));

        // Live updates arrive as pushes.
        QSignalSpy jobs(s.link.get(), &ServiceClient::jobsChanged);
        s.stub.setJobs(
            {{QStringLiteral("running"), QJsonObject{{QStringLiteral("id"), 5}, {QStringLiteral("progress"), 40}}}});
        QVERIFY(jobs.wait(5000));
        QCOMPARE(int(s.link->jobs().running.value_or(oco::control::RunningJob()).progress.value_or(-1)), 40);
        QSignalSpy power(s.link.get(), &ServiceClient::powerChanged);
        s.stub.setPower({});
        QVERIFY(power.wait(5000));
        QVERIFY(s.link->powerPending().isEmpty());
    }

    void requestGetsItsReply()
    {
        StubbedLink s;
        QVERIFY(s.start());
        QJsonObject reply;
        const qint64 id = s.link->request(oco::control::RequestType::TestConnection, {},
                                          [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 5000);
        QCOMPARE(reply.value(QStringLiteral("id")).toInteger(), id);
        QVERIFY(reply.value(QStringLiteral("ok")).toBool());
        QVERIFY(reply.value(QStringLiteral("result")).toString().contains(QStringLiteral("answered")));
        QCOMPARE(s.stub.lastRequest(QStringLiteral("test_connection")).value(QStringLiteral("id")).toInteger(), id);

        // Parameters travel next to type and id.
        s.link->request(oco::control::RequestType::Postpone, {{QStringLiteral("minutes"), 60}});
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("postpone")).isEmpty(), 5000);
        QCOMPARE(s.stub.lastRequest(QStringLiteral("postpone")).value(QStringLiteral("minutes")).toInt(), 60);
    }

    void refusalsAndTimeoutsAreWords()
    {
        StubbedLink s;
        QVERIFY(s.start());
        QJsonObject reply;
        s.link->request(oco::control::RequestType::SetSettings, {{QStringLiteral("settings"), QJsonObject{}}},
                        [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 5000);
        QVERIFY(!reply.value(QStringLiteral("ok")).toBool());
        QVERIFY(reply.value(QStringLiteral("reason")).toString().contains(QStringLiteral("ocoadmins")));

        s.stub.answer = false;
        reply = {};
        s.link->request(
            oco::control::RequestType::CheckNow, {}, [&reply](const QJsonObject &r) { reply = r; }, 100);
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 5000);
        QVERIFY(!reply.value(QStringLiteral("ok")).toBool());
        QVERIFY(reply.value(QStringLiteral("reason")).toString().contains(QStringLiteral("did not answer")));
    }

    void notRunningThenStartedLater()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("control.sock"));
        ServiceClient link(path);
        link.setRetryDelays(20, 100);
        link.start();
        QTRY_VERIFY_WITH_TIMEOUT(link.connectError().contains(QStringLiteral("not running")), 5000);
        QVERIFY(!link.isConnected());
        QJsonObject reply;
        link.request(oco::control::RequestType::CheckNow, {}, [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 5000);
        QVERIFY(!reply.value(QStringLiteral("ok")).toBool());
        QVERIFY(reply.value(QStringLiteral("reason")).toString().contains(path));

        ServiceStub stub; // the service comes up after the tray
        QVERIFY(stub.listen(path));
        QTRY_VERIFY_WITH_TIMEOUT(link.isConnected(), 5000);
    }

    void serviceGoneFailsPendingAndReconnects()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        s.stub.answer = false;
        QJsonObject reply;
        s.link->request(oco::control::RequestType::CheckNow, {}, [&reply](const QJsonObject &r) { reply = r; });
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("check_now")).isEmpty(), 5000);
        s.stub.close();
        QTRY_VERIFY_WITH_TIMEOUT(!reply.isEmpty(), 5000);
        QVERIFY(reply.value(QStringLiteral("reason")).toString().contains(QStringLiteral("lost")));
        QVERIFY(!s.link->isConnected());
        QVERIFY(s.link->powerPending().isEmpty()); // nobody can act on it without the service

        s.stub.answer = true;
        QVERIFY(s.stub.listen(s.stub.path()));
        QTRY_VERIFY_WITH_TIMEOUT(s.link->isConnected(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        // The log is sent again after the welcome; it must not be doubled.
        QTRY_COMPARE_WITH_TIMEOUT(s.link->logLines().size(), 7, 5000);
    }

    void refusedHandshake()
    {
        StubbedLink s;
        s.stub.refuseReason = QStringLiteral("protocol version 1 is not supported; this service speaks 2");
        QVERIFY(s.stub.listen(s.dir.filePath(QStringLiteral("control.sock"))));
        s.link = std::make_unique<ServiceClient>(s.stub.path());
        s.link->start();
        QTRY_COMPARE_WITH_TIMEOUT(s.link->connection(), ServiceClient::Connection::Refused, 5000);
        QVERIFY(s.link->connectError().contains(QStringLiteral("this service speaks 2")));
    }

    // Another user who serves the socket's path (the stub, run as uid 65534) is not the service: the tray
    // does not talk to it.
    void impostorIsNotTalkedTo()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the impostor runs as a second user id (setpriv)");
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0777) == 0);
        const QString path = dir.filePath(QStringLiteral("control.sock"));
        QProcess impostor;
        impostor.start(QStringLiteral("setpriv"),
                       {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                        QStringLiteral("--clear-groups"), QStringLiteral(OCO_CONTROL_STUB_BIN), path});
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(path); }, 10000));
        ServiceClient link(path);
        link.setRetryDelays(20, 200);
        link.start();
        QTRY_COMPARE_WITH_TIMEOUT(link.connection(), ServiceClient::Connection::Refused, 5000);
        QVERIFY2(link.connectError().contains(QStringLiteral("uid 65534")), qPrintable(link.connectError()));
        QVERIFY(!link.isConnected());
        QVERIFY(link.powerPending().isEmpty()); // the stub's made-up restart never reached the tray
        impostor.kill();
        impostor.waitForFinished();
    }

    void garbageFromServiceReconnects()
    {
        StubbedLink s;
        QVERIFY(s.start());
        s.stub.sendRaw("this is not json\n");
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->isConnected(), 5000);
        QVERIFY(s.link->connectError().contains(QStringLiteral("not a JSON object")));
        QTRY_VERIFY_WITH_TIMEOUT(s.link->isConnected(), 5000);
    }
};

QTEST_MAIN(TestServiceLink)
#include "tst_servicelink.moc"
