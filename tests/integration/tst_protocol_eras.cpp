// Every OCO server generation end to end with `[server] protocol = auto`: the real oco-agent binary against the
// test server as v0.12.1 (2021), v0.16.3 (2021 and dotted names), v1.0.2 / v1.1.6 (plain) and v1.2.2 (current):
// detection and pinning on the first contact, registration, inventory, a job with a download and a restart
// post action, events and passwords where the server has them, and every upgrade step in between.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

#include <unistd.h>

using namespace oco::test;

namespace {

const QString kHost = QStringLiteral("pc1");
const QString kUid = QStringLiteral("4c4c4544-0042-3510-8052-b3c04f4d4e32");
const QString kRegistration = QStringLiteral("ernesto");
const qint64 T0 = 1700000000; // 2023-11-14 22:13:20 UTC

int runTool(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return -1;
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

struct Era
{
    TestServer::Generation generation;
    bool passwords;   // oco.agent.passwords (v1.1.3+)
    QString pinned;   // what protocol = auto settles on
    bool hasFeatures; // events (and passwords) reach the server in that dialect
};

// The `--check` line with this label ("OK   dialect: ...").
QString checkLine(const QString &out, const QString &label)
{
    for (const QString &l : out.split(QLatin1Char('\n')))
        if (l.mid(5).startsWith(label + QLatin1Char(':')))
            return l;
    return {};
}

Era era(const QString &name)
{
    if (name == QLatin1String("v0.12.1"))
        return {TestServer::Generation::Legacy2021, false, QStringLiteral("2021"), false};
    if (name == QLatin1String("v0.16.3"))
        return {TestServer::Generation::Era016, false, QStringLiteral("2021"), false};
    if (name == QLatin1String("v1.0.2"))
        return {TestServer::Generation::Era11, false, QStringLiteral("plain"), true};
    if (name == QLatin1String("v1.1.6"))
        return {TestServer::Generation::Era11, true, QStringLiteral("plain"), true};
    return {TestServer::Generation::Current, true, QStringLiteral("current"), true};
}

} // namespace

class TstProtocolEras : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    int m_nextJob = 40;

    void setEra(const QString &name)
    {
        const Era e = era(name);
        m_server->dialect = e.generation;
        m_server->plainPasswords = e.passwords;
    }

    QString recordFile() const { return m_tmp->filePath(QStringLiteral("power.log")); }

    void writeAutoConfig()
    {
        const QString script = m_tmp->filePath(QStringLiteral("record.sh"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\necho \"$@\" >> '" + recordFile().toUtf8() + "'\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QFile sessions(m_tmp->filePath(QStringLiteral("sessions.json")));
        QVERIFY(sessions.open(QIODevice::WriteOnly));
        sessions.write("[]"); // nobody logged in: a restart happens at once
        sessions.close();
        m_agent->environment.insert(QStringLiteral("OCO_TEST_SESSIONS_FILE"), sessions.fileName());
        m_agent->writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nmachine-uid = %2\n"
                                            "connection-timeout = 5\nread-timeout = 20\nservice-checks = %3\n"
                                            "\n[server]\napi-url = %4\nserver-key =\nprotocol = auto\n"
                                            "\n[power]\nrestart-command = %5 reboot\n")
                                 .arg(kRegistration, kUid, m_tmp->filePath(QStringLiteral("checks")),
                                      m_server->apiUrl().toString(), script));
    }

    QString pinned() const { return m_agent->configValue(QStringLiteral("server"), QStringLiteral("protocol")); }

    // Accepted requests that carried `key` in plaintext (params or download query).
    int requestsWithKey(const QString &key) const
    {
        int n = 0;
        for (const RecordedRequest &r : m_server->requests) {
            if (r.status != 200)
                continue;
            const QJsonObject params = r.json.value(QStringLiteral("params")).toObject();
            const QUrlQuery q(QString::fromLatin1(r.path.mid(r.path.indexOf('?') + 1)));
            if (params.value(QStringLiteral("agent-key")).toString() == key ||
                q.queryItemValue(QStringLiteral("agent-key"), QUrl::FullyDecoded) == key)
                ++n;
        }
        return n;
    }

    // The keys of both sides agree: no hand-over was lost.
    void keysAgree()
    {
        const TestServer::Computer *c = m_server->computer(kHost);
        QVERIFY(c);
        QCOMPARE(m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), c->agentKey);
        QCOMPARE(m_agent->configValue(QStringLiteral("server"), QStringLiteral("server-key")), c->serverKey);
        QVERIFY(c->agentKey != kRegistration);
    }

    TestServer::Job &addJob()
    {
        const int id = ++m_nextJob;
        const QString package = QString::number(id + 100);
        m_server->addPackage(package, ZipBuilder().file(QStringLiteral("install.sh"), "echo installed\n").build());
        TestServer::Job &j = m_server->addJob(kHost, id, 7, id + 100, QStringLiteral("sh install.sh"), true);
        j.restart = 0;
        return j;
    }

    // Runs the agent once; the job (download, run, restart) must have gone through in `dialect`.
    void runJob(const QString &dialect)
    {
        QFile::remove(recordFile());
        const int jobId = addJob().id.toInt();
        const int before = m_server->requests.size();
        const AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const TestServer::Job *j = m_server->job(jobId);
        QCOMPARE(j->state, 3);
        QVERIFY2(j->message.contains(QStringLiteral("installed")), qPrintable(j->message));
        QList<int> states;
        for (const QJsonObject &rep : j->reports)
            states << rep.value(QStringLiteral("state")).toInt();
        QVERIFY(states.contains(1) && states.contains(2) && states.last() == 3);
        // The package came the way that generation serves it.
        bool downloaded = false;
        for (int i = before; i < m_server->requests.size(); ++i) {
            const RecordedRequest &req = m_server->requests.at(i);
            if (dialect == QLatin1String("current"))
                downloaded |= req.rpcMethod == QLatin1String("oco.agent.download");
            else if (dialect == QLatin1String("plain"))
                downloaded |= req.method == "GET" && req.path.contains("/api-agent.php?id=") &&
                              req.header("Content-Type").isEmpty() && req.status == 200;
            else
                downloaded |= req.method == "GET" && req.path.contains("/payloadprovider.php?") && req.status == 200;
        }
        QVERIFY2(downloaded, qPrintable(m_server->rpcMethods().join(QLatin1Char(' '))));
        QFile rec(recordFile());
        QVERIFY2(rec.open(QIODevice::ReadOnly), qPrintable(r.output));
        QCOMPARE(rec.readAll(), QByteArray("reboot\n"));
    }

    QString writeJournal()
    {
        const QString remote = QStringLiteral("/usr/lib/systemd/systemd-journal-remote");
        if (!QFile::exists(remote) || QStandardPaths::findExecutable(QStringLiteral("journalctl")).isEmpty())
            return {};
        QByteArray exp;
        exp += "__REALTIME_TIMESTAMP=" + QByteArray::number((T0 + 60) * 1000000) + "\n";
        exp += "__MONOTONIC_TIMESTAMP=2000\n_BOOT_ID=0123456789abcdef0123456789abcdef\n";
        exp += "MESSAGE=Failed password for root\n_SYSTEMD_UNIT=ssh.service\nPRIORITY=3\n";
        exp += "SYSLOG_IDENTIFIER=sshd\nSYSLOG_FACILITY=4\n\n";
        const QString file = m_tmp->filePath(QStringLiteral("fixture.journal"));
        return runTool(remote, {QStringLiteral("--output=") + file, QStringLiteral("-")}, exp) == 0 ? file : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        QVERIFY(QDir().mkpath(m_tmp->filePath(QStringLiteral("checks"))));
        QVERIFY(startServerAndAgent(kHost));
        m_server->selfRegistration = true;
        writeAutoConfig();
    }
    void cleanup()
    {
        stopServerAndAgent();
        m_tmp.reset();
    }

    void firstContact_data()
    {
        QTest::addColumn<QString>("release");
        QTest::addColumn<bool>("preRegistered");
        for (const char *r : {"v0.12.1", "v0.16.3", "v1.0.2", "v1.1.6", "v1.2.2"}) {
            QTest::newRow((QByteArray(r) + " self-registration").constData()) << QString::fromLatin1(r) << false;
            QTest::newRow((QByteArray(r) + " pre-registered").constData()) << QString::fromLatin1(r) << true;
        }
    }
    // protocol = auto on the first contact: the right dialect is found, pinned, and everything works in it.
    void firstContact()
    {
        QFETCH(QString, release);
        QFETCH(bool, preRegistered);
        setEra(release);
        const Era e = era(release);
        if (preRegistered) { // created in the web console: the registration key gets it its own key
            m_server->selfRegistration = false;
            m_server->addComputer(kHost);
        }
        const QString journal = writeJournal();
        if (!journal.isEmpty())
            m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), journal);

        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(pinned(), e.pinned);
        keysAgree();
        QCOMPARE(m_server->computers.size(), 1);
        // The registration key went out once, in the request that was answered with the hand-over.
        QCOMPARE(requestsWithKey(kRegistration), e.pinned == QLatin1String("current") ? 0 : 1);
        // One probe, no key in it.
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")), 1);
        const TestServer::Computer *c = m_server->computer(kHost);
        QCOMPARE(c->inventoryUploads, 1);
        if (e.pinned != QLatin1String("2021"))
            QCOMPARE(c->uid, kUid);

        // The next contact: no probe any more, a job with download and restart in the pinned dialect.
        TestServer::Computer *pc = m_server->computer(kHost);
        pc->eventRules = QJsonArray{
            QJsonObject{{QStringLiteral("since"), QStringLiteral("2023-11-14 22:13:20")},
                        {QStringLiteral("log"), QStringLiteral("journalctl")},
                        {QStringLiteral("query"), QJsonObject{{QStringLiteral("unit"), QStringLiteral("ssh")}}}}};
        runJob(e.pinned);
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")), 1);
        QCOMPARE(pinned(), e.pinned);
        keysAgree();
        if (!journal.isEmpty() && e.hasFeatures) {
            QCOMPARE(m_server->computer(kHost)->events.size(), 1);
            QCOMPARE(m_server->computer(kHost)->events.first().toObject().value(QStringLiteral("log")).toString(),
                     QStringLiteral("ssh.service"));
        }
        if (!e.hasFeatures)
            QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.events")), 0);
    }

    // Rotation on v1.1.3-v1.1.6: the server stores what it receives, so the password goes in plaintext.
    void plainPasswordRotation()
    {
        if (::geteuid() != 0)
            QSKIP("needs root (useradd, usermod)");
        const QString user = QStringLiteral("ocoera%1").arg(QRandomGenerator::global()->bounded(100000, 999999));
        QCOMPARE(runTool(QStringLiteral("useradd"), {QStringLiteral("-M"), QStringLiteral("-N"), QStringLiteral("-s"),
                                                     QStringLiteral("/usr/sbin/nologin"), user}),
                 0);
        auto removeUser = qScopeGuard([&] { runTool(QStringLiteral("userdel"), {user}); });
        setEra(QStringLiteral("v1.1.6"));
        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(pinned(), QStringLiteral("plain"));
        m_server->computer(kHost)->updatePasswords =
            QJsonArray{QJsonObject{{QStringLiteral("username"), user},
                                   {QStringLiteral("alphabet"), QStringLiteral("abcdef0123")},
                                   {QStringLiteral("length"), 18}}};
        r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QJsonArray stored = m_server->computer(kHost)->passwords;
        QCOMPARE(stored.size(), 1);
        const QString pw = stored.first().toObject().value(QStringLiteral("password")).toString();
        QCOMPARE(pw.size(), 18);
        QVERIFY2(!r.output.contains(pw), "the password reached the log");
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.passwords")), 1); // stored, so no revoke
    }

    // One computer through every server upgrade: 2021 stays pinned while the server takes it, then the agent
    // moves up by itself (2021 -> plain -> current), keeps its keys and never registers again.
    void upgradeSteps()
    {
        setEra(QStringLiteral("v0.12.1"));
        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(pinned(), QStringLiteral("2021"));
        keysAgree();
        runJob(QStringLiteral("2021"));

        struct Step
        {
            const char *release;
            const char *dialect;
            int probes; // probes this step needs
        };
        const Step steps[] = {
            {"v0.16.3", "2021", 0}, {"v1.0.2", "plain", 1}, {"v1.1.6", "plain", 0}, {"v1.2.2", "current", 1}};
        for (const Step &s : steps) {
            const QString release = QString::fromLatin1(s.release);
            setEra(release);
            const int probesBefore = m_server->countRequests(QStringLiteral("oco.agent.check"));
            const int uploadsBefore = m_server->computer(kHost)->inventoryUploads;
            m_server->computer(kHost)->lastUpdate = QDateTime::currentDateTimeUtc().addDays(-1); // inventory due
            runJob(QString::fromLatin1(s.dialect));
            QCOMPARE(m_server->computer(kHost)->inventoryUploads, uploadsBefore + 1);
            QVERIFY2(pinned() == QLatin1String(s.dialect), qPrintable(release + QStringLiteral(": ") + pinned()));
            QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")) - probesBefore, s.probes);
            keysAgree();
            QCOMPARE(m_server->computers.size(), 1);
            QCOMPARE(requestsWithKey(kRegistration), 1); // only the very first hello
        }
        QCOMPARE(m_server->computer(kHost)->uid, kUid);

        // Never down by itself: the server "downgraded" to v1.1.6 is refused with words, the pin stays.
        setEra(QStringLiteral("v1.1.6"));
        r = m_agent->run();
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(pinned(), QStringLiteral("current"));
        QVERIFY2(r.output.contains(QStringLiteral("HTTP 400 Parameter Mismatch")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("Servers before v1.1.7")), qPrintable(r.output));
    }

    // --check names the server generation, says hello in the pinned dialect, and after an upgrade says that the
    // agent will move up (it writes nothing itself).
    void checkNamesTheEra()
    {
        setEra(QStringLiteral("v1.1.6"));
        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        r = m_agent->run({QStringLiteral("--check")});
        QString l = checkLine(r.stdoutText, QStringLiteral("dialect"));
        QVERIFY2(l.startsWith(QLatin1String("OK")) && l.contains(QLatin1String("v0.13.2-v1.1.6")) &&
                     l.contains(QLatin1String("protocol = plain")),
                 qPrintable(r.stdoutText));
        l = checkLine(r.stdoutText, QStringLiteral("hello"));
        QVERIFY2(l.startsWith(QLatin1String("OK")) && l.contains(QLatin1String("plain dialect")),
                 qPrintable(r.stdoutText));

        setEra(QStringLiteral("v1.2.2"));
        r = m_agent->run({QStringLiteral("--check")});
        l = checkLine(r.stdoutText, QStringLiteral("dialect"));
        QVERIFY2(l.startsWith(QLatin1String("OK")) && l.contains(QLatin1String("moves up by itself")),
                 qPrintable(r.stdoutText));
        QCOMPARE(pinned(), QStringLiteral("plain"));
    }

    // A config taken over from the official agent (keys, no protocol key: auto) on v1.1.6: --check says hello in
    // the plain dialect the first contact would pick, and writes nothing.
    void checkWithAutoAndKeys()
    {
        setEra(QStringLiteral("v1.1.6"));
        m_server->addComputer(kHost, QStringLiteral("individualkey0000000000000000a"),
                              QStringLiteral("serverkey000000000000000000000"));
        m_server->addJob(kHost, 77, 7, 177, QStringLiteral("touch should-not-run"), false);
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("server-key =\n"), QStringLiteral("server-key = serverkey000000000000000000000\n"));
        text.replace(QStringLiteral("agent-key = ernesto"),
                     QStringLiteral("agent-key = individualkey0000000000000000a"));
        m_agent->writeConfig(text);
        const AgentHarness::Run r = m_agent->run({QStringLiteral("--check")});
        const QString l = checkLine(r.stdoutText, QStringLiteral("hello"));
        QVERIFY2(l.startsWith(QLatin1String("OK")) && l.contains(QLatin1String("plain dialect")) &&
                     l.contains(QLatin1String("1 job(s) waiting")),
                 qPrintable(r.stdoutText));
        QCOMPARE(m_agent->readConfig(), text);
        QCOMPARE(m_server->job(77)->state, 0);
    }

    // A server upgraded straight from v0.16.3 to v1.2.2: 2021 moves up to current in one step.
    void upgradeFrom016ToCurrent()
    {
        setEra(QStringLiteral("v0.16.3"));
        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(pinned(), QStringLiteral("2021"));
        setEra(QStringLiteral("v1.2.2"));
        runJob(QStringLiteral("current"));
        QCOMPARE(pinned(), QStringLiteral("current"));
        keysAgree();
    }

    // v0.15.2-v1.0.1 also take the plain dialect: set by hand it works there, with events.
    void plainByHandOn016()
    {
        setEra(QStringLiteral("v0.16.3"));
        m_server->addComputer(kHost, QStringLiteral("individualkey0000000000000000a"),
                              QStringLiteral("serverkey000000000000000000000"));
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("protocol = auto"), QStringLiteral("protocol = plain"));
        text.replace(QStringLiteral("agent-key = ernesto"),
                     QStringLiteral("agent-key = individualkey0000000000000000a"));
        m_agent->writeConfig(text);
        const QString journal = writeJournal();
        if (!journal.isEmpty())
            m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), journal);
        m_server->computer(kHost)->eventRules = QJsonArray{
            QJsonObject{{QStringLiteral("since"), QStringLiteral("2023-11-14 22:13:20")},
                        {QStringLiteral("log"), QStringLiteral("journalctl")},
                        {QStringLiteral("query"), QJsonObject{{QStringLiteral("unit"), QStringLiteral("ssh")}}}}};
        runJob(QStringLiteral("plain"));
        keysAgree();
        QCOMPARE(pinned(), QStringLiteral("plain"));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")), 0);
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent_hello")), 0);
        QCOMPARE(m_server->computer(kHost)->inventoryUploads, 1);
        if (!journal.isEmpty())
            QCOMPARE(m_server->computer(kHost)->events.size(), 1);
    }

    void wrongKeyInWords_data()
    {
        QTest::addColumn<QString>("release");
        QTest::addColumn<QString>("said");
        QTest::newRow("v0.12.1") << "v0.12.1"
                                 << "HTTP 401 Client Not Authorized";
        QTest::newRow("v0.16.3") << "v0.16.3"
                                 << "HTTP 401 Client Not Authorized";
        QTest::newRow("v1.1.6") << "v1.1.6"
                                << "HTTP 401 Client Not Authorized";
        QTest::newRow("v1.2.2") << "v1.2.2"
                                << "HTTP 401 \"Invalid agent signature\"";
    }
    // A wrong key after the first contact, in each generation: the log says what the server answered and what it
    // means; the dialect pinned by detection stays and no probe is spent on it (a refused key is no upgrade).
    void wrongKeyInWords()
    {
        QFETCH(QString, release);
        QFETCH(QString, said);
        setEra(release);
        AgentHarness::Run r = m_agent->run();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QString pin = pinned();
        const QString key = m_agent->configValue(QStringLiteral("agent"), QStringLiteral("agent-key"));
        m_agent->writeConfig(m_agent->readConfig().replace(key, QStringLiteral("wrongkey")));
        const int probes = m_server->countRequests(QStringLiteral("oco.agent.check"));
        r = m_agent->run();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(said), qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("does not accept this computer's agent key")), qPrintable(r.output));
        QCOMPARE(pinned(), pin);
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")), probes);
    }

    // An admin's explicit choice is never changed by the agent: pinned 2021 by hand against v1.1.6 stays 2021,
    // and the refusal says what the server said and what it means.
    void explicitChoiceStays()
    {
        setEra(QStringLiteral("v1.1.6"));
        m_server->addComputer(kHost, QStringLiteral("individualkey0000000000000000a"),
                              QStringLiteral("serverkey000000000000000000000"));
        QString text = m_agent->readConfig();
        text.replace(QStringLiteral("protocol = auto"), QStringLiteral("protocol = 2021"));
        text.replace(QStringLiteral("agent-key = ernesto"),
                     QStringLiteral("agent-key = individualkey0000000000000000a"));
        m_agent->writeConfig(text);
        const AgentHarness::Run r = m_agent->run();
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(pinned(), QStringLiteral("2021"));
        QVERIFY2(r.output.contains(QStringLiteral("HTTP 400 Unknown Method")), qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("no longer speaks the 2021 dialect")), qPrintable(r.output));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.check")), 0);
    }
};

QTEST_GUILESS_MAIN(TstProtocolEras)
#include "tst_protocol_eras.moc"
