// The features of current servers end to end (docs/agent-behaviour.md §6, §9-§12, docs/server-protocol.md §4.5-§4.9):
// the real oco-agent binary against the in-process test server in the current dialect, whose events and passwords go
// through FeatureServer (storage, decryption with the agent key, rotation rules, revoke window).
#include "AgentHarness.h"
#include "FeatureServer.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QtTest>

#include <unistd.h>

using namespace oco;
using namespace oco::test;

namespace {

const QString kHost = QStringLiteral("pc1");
const QString kUid = QStringLiteral("4c4c4544-0042-3510-8052-b3c04f4d4e32");
const QString kAlphabet = QStringLiteral("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!");
const qint64 T0 = 1700000000; // 2023-11-14 22:13:20 UTC

QString runTool(const QString &program, const QStringList &args, int *exitCode = nullptr, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput());
}

// The hash field of `user` in /etc/shadow; empty when the user is not there.
QString shadowHash(const QString &user)
{
    QFile f(QStringLiteral("/etc/shadow"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (const QString &l : lines) {
        const QStringList parts = l.split(QLatin1Char(':'));
        if (parts.size() > 1 && parts.at(0) == user)
            return parts.at(1);
    }
    return {};
}

// A throwaway local account, removed again at the end of the test.
class LocalUser
{
public:
    LocalUser()
        : m_name(QStringLiteral("ocotst%1").arg(QRandomGenerator::global()->bounded(100000, 999999)))
    {
        int rc = -1;
        runTool(QStringLiteral("useradd"),
                {QStringLiteral("-M"), QStringLiteral("-N"), QStringLiteral("-s"), QStringLiteral("/usr/sbin/nologin"),
                 m_name},
                &rc);
        m_created = rc == 0;
    }
    ~LocalUser()
    {
        if (m_created)
            runTool(QStringLiteral("userdel"), {m_name});
    }
    bool created() const { return m_created; }
    const QString &name() const { return m_name; }

private:
    QString m_name;
    bool m_created = false;
};

QJsonObject passwordRequest(const QString &user, int length = 16)
{
    return {{QStringLiteral("username"), user},
            {QStringLiteral("alphabet"), kAlphabet},
            {QStringLiteral("length"), length}};
}

} // namespace

class TstFeatures : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    FeatureServer m_features;

    // A registered computer whose keys the agent has; its inventory is fresh unless `inventoryDue`.
    TestServer::Computer &registered(bool inventoryDue = false, const QString &extraAgentConfig = {})
    {
        const QString agentKey = TestServer::randomKey();
        const QString serverKey = TestServer::randomKey();
        TestServer::Computer &c = m_server->addComputer(kHost, agentKey, serverKey);
        c.agentVersion = QStringLiteral("1.3.0");
        if (!inventoryDue)
            c.lastUpdate = QDateTime::currentDateTimeUtc();
        c.features = &m_features;
        m_agent->writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nmachine-uid = %2\n"
                                            "connection-timeout = 5\nread-timeout = 20\nquery-interval = 1\n"
                                            "service-checks = %5\n%6\n[server]\napi-url = %3\nserver-key = %4\n"
                                            "protocol = current\n")
                                 .arg(agentKey, kUid, m_server->apiUrl().toString(), serverKey,
                                      m_tmp->filePath(QStringLiteral("checks")), extraAgentConfig));
        return c;
    }

    AgentHarness::Run runAgent() { return m_agent->run({QStringLiteral("--once")}, 90000); }

    void writeCheck(const QString &name, const QByteArray &script)
    {
        QDir().mkpath(m_tmp->filePath(QStringLiteral("checks")));
        QFile f(m_tmp->filePath(QStringLiteral("checks/") + name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(script);
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                 QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther));
    }

    // A real journal file (systemd-journal-remote from the export format); empty when the tools are missing.
    QString writeJournal()
    {
        const QString remote = QStringLiteral("/usr/lib/systemd/systemd-journal-remote");
        if (!QFile::exists(remote) || QStandardPaths::findExecutable(QStringLiteral("journalctl")).isEmpty())
            return {};
        QByteArray exp;
        int mono = 1000;
        auto add = [&](qint64 secs, const QByteArray &msg, const QByteArray &unit, int prio) {
            exp += "__REALTIME_TIMESTAMP=" + QByteArray::number(secs * 1000000) + "\n";
            exp += "__MONOTONIC_TIMESTAMP=" + QByteArray::number(mono += 1000) + "\n";
            exp += "_BOOT_ID=0123456789abcdef0123456789abcdef\n";
            exp += "MESSAGE=" + msg + "\n_SYSTEMD_UNIT=" + unit + "\nPRIORITY=" + QByteArray::number(prio) + "\n";
            exp += "SYSLOG_IDENTIFIER=sshd\nSYSLOG_FACILITY=4\n\n";
        };
        add(T0 - 3600, "Failed password for root (before since)", "ssh.service", 3);
        add(T0 + 60, "Failed password for root", "ssh.service", 3);
        add(T0 + 120, "Accepted password for alice", "ssh.service", 6);
        add(T0 + 180, "Failed password for bob", "cron.service", 3);
        add(T0 + 240, "Failed password for carol", "ssh.service", 4);
        const QString file = m_tmp->filePath(QStringLiteral("fixture.journal"));
        int rc = -1;
        runTool(remote, {QStringLiteral("--output=") + file, QStringLiteral("-")}, &rc, exp);
        return rc == 0 ? file : QString();
    }

    static QJsonObject sshFailuresRule()
    {
        return {{QStringLiteral("since"), QStringLiteral("2023-11-14 22:13:20")},
                {QStringLiteral("log"), QStringLiteral("journalctl")},
                {QStringLiteral("query"), QJsonObject{{QStringLiteral("unit"), QStringLiteral("ssh")},
                                                      {QStringLiteral("grep"), QStringLiteral("^Failed password")}}}};
    }

    QList<QJsonObject> callsOf(const QString &method) const
    {
        QList<QJsonObject> out;
        for (const auto &c : m_features.calls)
            if (c.first == method)
                out << c.second;
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_features = FeatureServer();
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        QVERIFY(startServerAndAgent(kHost, TestServer::Generation::Current));
        // A zone far from UTC: every time on the wire must still be UTC (needs tzdata, else the zone is UTC).
        QVERIFY(QFile::exists(QStringLiteral("/usr/share/zoneinfo/America/New_York")));
        m_agent->environment.insert(QStringLiteral("TZ"), QStringLiteral("America/New_York"));
    }
    void cleanup()
    {
        stopServerAndAgent();
        m_tmp.reset();
    }

    // A good check and a hanging one (1 s timeout): hello carries the good entry with `metrics` and a
    // failed entry for the hanging one, and the cycle goes on to a job.
    void serviceChecksInHello()
    {
        writeCheck(QStringLiteral("good"), "#!/bin/sh\necho '0 \"Web server\" conns=12;100;200 all fine'\n");
        writeCheck(QStringLiteral("hangs"), "#!/bin/sh\nexec sleep 600\n");
        registered(false, QStringLiteral("service-check-timeout = 1\n"));
        m_server->addPackage(QStringLiteral("7"), ZipBuilder().file(QStringLiteral("x.sh"), "exit 0\n").build());
        m_server->addJob(kHost, 70, 700, 7, QStringLiteral("sh x.sh"));
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QJsonArray services = m_server->computer(kHost)->lastHello.value(QStringLiteral("services")).toArray();
        QCOMPARE(services.size(), 2);
        QJsonObject good, hung;
        for (const QJsonValue &v : services) {
            const QJsonObject s = v.toObject();
            QVERIFY2(s.contains(QStringLiteral("metrics")), qPrintable(QJsonDocument(s).toJson()));
            QVERIFY(!s.contains(QStringLiteral("merics")));
            (s.value(QStringLiteral("name")).toString() == QLatin1String("Web server") ? good : hung) = s;
        }
        QCOMPARE(good.value(QStringLiteral("status")).toInt(), 0);
        QCOMPARE(good.value(QStringLiteral("metrics")).toString(), QStringLiteral("conns=12;100;200"));
        QCOMPARE(good.value(QStringLiteral("details")).toString(), QStringLiteral("all fine"));
        QCOMPARE(hung.value(QStringLiteral("name")).toString(), QStringLiteral("hangs"));
        QCOMPARE(hung.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY(!hung.value(QStringLiteral("details")).toString().isEmpty());
        QCOMPARE(m_server->job(70)->state, 3); // the cycle was not stuck
    }

    // No checks directory: services is [] (not missing, not null).
    void noChecksGivesEmptyServices()
    {
        registered();
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QJsonValue services = m_server->computer(kHost)->lastHello.value(QStringLiteral("services"));
        QVERIFY(services.isArray());
        QCOMPARE(services.toArray().size(), 0);
    }

    // Journal events: filtered by the rule, timestamps in UTC (the agent runs in New York), `log` set.
    void journalEventsReachTheServer()
    {
        const QString journal = writeJournal();
        if (journal.isEmpty())
            QSKIP("systemd-journal-remote or journalctl missing (Debian packages systemd-journal-remote, systemd)");
        m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), journal);
        TestServer::Computer &c = registered();
        c.eventRules = QJsonArray{sshFailuresRule()};
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QStringList got;
        for (const FeatureServer::StoredEvent &e : qAsConst(m_features.events))
            got << QStringLiteral("%1 %2 %3 %4")
                       .arg(e.log, e.timestamp, e.provider,
                            e.data.toObject().value(QStringLiteral("message")).toString());
        QCOMPARE(got, (QStringList{QStringLiteral("ssh.service 2023-11-14 22:14:20 sshd Failed password for root"),
                                   QStringLiteral("ssh.service 2023-11-14 22:17:20 sshd Failed password for carol")}));
        QCOMPARE(m_features.events.first().level, 3);
        QCOMPARE(m_features.events.last().level, 4);
        QCOMPARE(m_server->rpcMethods().last(), QStringLiteral("oco.agent.events"));
    }

    // A journal that cannot be read is logged; the password rotation after it still happens.
    void unreadableJournalDoesNotStopRotation()
    {
        m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), m_tmp->filePath(QStringLiteral("none.journal")));
        TestServer::Computer &c = registered();
        c.eventRules = QJsonArray{sshFailuresRule()};
        c.updatePasswords = QJsonArray{passwordRequest(QStringLiteral("oco-no-such-user"))};
        m_features.rotationUsers = QStringList{QStringLiteral("oco-no-such-user")};
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(callsOf(QStringLiteral("oco.agent.events")).isEmpty());
        QCOMPARE(callsOf(QStringLiteral("oco.agent.passwords")).size(), 2);
    }

    // The server fails on oco.agent.events (HTTP 500): logged in words, the rotation still runs, the cycle
    // ends normally.
    void serverEventsFailureDoesNotStopRotation()
    {
        const QString journal = writeJournal();
        if (journal.isEmpty())
            QSKIP("systemd-journal-remote or journalctl missing (Debian packages systemd-journal-remote, systemd)");
        m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), journal);
        TestServer::Computer &c = registered();
        c.eventRules = QJsonArray{sshFailuresRule()};
        c.updatePasswords = QJsonArray{passwordRequest(QStringLiteral("oco-no-such-user"))};
        m_features.rotationUsers = QStringList{QStringLiteral("oco-no-such-user")};
        m_server->forcedReplies.insert(QStringLiteral("oco.agent.events"),
                                       errorReply(500, "Internal Server Error", "database gone"));
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->countRequests(QStringLiteral("oco.agent.events")), 1);
        QVERIFY2(r.output.contains(QStringLiteral("events:")) && r.output.contains(QStringLiteral("500")),
                 qPrintable(r.output));
        QCOMPARE(callsOf(QStringLiteral("oco.agent.passwords")).size(), 2);
    }

    // Rotation of a real local account: stored on the server (which decrypts it with the agent key), the
    // same password set in /etc/shadow. The ciphertext is also checked with `openssl enc`.
    void passwordRotationRoundTrip()
    {
        if (::geteuid() != 0)
            QSKIP("needs root (useradd, chpasswd)");
        LocalUser user;
        QVERIFY(user.created());
        const QString before = shadowHash(user.name());
        TestServer::Computer &c = registered();
        c.updatePasswords = QJsonArray{passwordRequest(user.name(), 20)};
        m_features.rotationUsers = QStringList{user.name()};
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_features.passwords.size(), 1);
        const QString password = m_features.passwords.first().password;
        QCOMPARE(password.size(), 20);
        for (const QChar ch : password)
            QVERIFY(kAlphabet.contains(ch));
        QVERIFY2(!r.output.contains(password), "the password reached the log");
        QCOMPARE(callsOf(QStringLiteral("oco.agent.passwords")).size(), 1); // no revoke

        // The shadow hash is a SHA-512 crypt of exactly that password.
        const QString after = shadowHash(user.name());
        QVERIFY(after != before);
        QVERIFY(after.startsWith(QLatin1String("$6$")));
        const QString salt = after.section(QLatin1Char('$'), 2, 2);
        QCOMPARE(runTool(QStringLiteral("openssl"),
                         {QStringLiteral("passwd"), QStringLiteral("-6"), QStringLiteral("-salt"), salt,
                          QStringLiteral("-stdin")},
                         nullptr, password.toUtf8() + "\n")
                     .trimmed(),
                 after);

        // Independent decryption of what went over the wire.
        const QJsonObject enc = callsOf(QStringLiteral("oco.agent.passwords"))
                                    .first()
                                    .value(QStringLiteral("passwords"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("password"))
                                    .toObject();
        QByteArray key = c.agentKey.toUtf8().left(32);
        key.append(QByteArray(32 - key.size(), '\0'));
        const QByteArray iv = QByteArray::fromBase64(enc.value(QStringLiteral("iv")).toString().toLatin1());
        QCOMPARE(iv.size(), 16);
        const QByteArray cipher = QByteArray::fromBase64(enc.value(QStringLiteral("data")).toString().toLatin1());
        int rc = -1;
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("enc"), QStringLiteral("-d"), QStringLiteral("-aes-256-cbc"), QStringLiteral("-K"),
                 QString::fromLatin1(key.toHex()), QStringLiteral("-iv"), QString::fromLatin1(iv.toHex())});
        QVERIFY(p.waitForStarted());
        p.write(cipher);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(10000));
        rc = p.exitCode();
        QCOMPARE(rc, 0);
        QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()), password);
    }

    // The server does not keep the password (no rotation rule for that user any more): nothing changes locally.
    void serverRefusalChangesNothing()
    {
        if (::geteuid() != 0)
            QSKIP("needs root (useradd)");
        LocalUser user;
        QVERIFY(user.created());
        const QString before = shadowHash(user.name());
        TestServer::Computer &c = registered();
        c.updatePasswords = QJsonArray{passwordRequest(user.name())};
        // m_features.rotationUsers stays empty: the server answers success false.
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(callsOf(QStringLiteral("oco.agent.passwords")).size(), 1);
        QVERIFY(m_features.passwords.isEmpty());
        QCOMPARE(shadowHash(user.name()), before);
    }

    // The local change fails (no such user): the server copy is revoked within the 5-minute window.
    void localFailureRevokes()
    {
        const QString user = QStringLiteral("oco-no-such-user");
        TestServer::Computer &c = registered();
        c.updatePasswords = QJsonArray{passwordRequest(user)};
        m_features.rotationUsers = QStringList{user};
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QList<QJsonObject> calls = callsOf(QStringLiteral("oco.agent.passwords"));
        QCOMPARE(calls.size(), 2);
        const QJsonObject stored = calls.at(0).value(QStringLiteral("passwords")).toArray().first().toObject();
        const QJsonObject revoke = calls.at(1).value(QStringLiteral("passwords")).toArray().first().toObject();
        QCOMPARE(revoke.value(QStringLiteral("username")).toString(), user);
        QCOMPARE(revoke.value(QStringLiteral("revoke")).toBool(), true);
        QVERIFY(!stored.value(QStringLiteral("revoke")).toBool());
        QVERIFY(m_features.passwords.isEmpty()); // stored, then withdrawn
    }

    // Policies: an update reply with a machine policy writes the key; the next update without it removes it,
    // keeping unrelated content. A bad definition next to it is skipped and the job still runs.
    void policyApplyAndRemove()
    {
        const QString file = m_tmp->filePath(QStringLiteral("policies.json"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"keep": {"me": 1}})");
        }
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        TestServer::Computer &c = registered(true);
        c.policies = QJsonObject{{QStringLiteral("machine"),
                                  QJsonObject{{QStringLiteral("JSON:%1:a\\b").arg(file), QStringLiteral("value-1")},
                                              {QStringLiteral("JSON:relative/x.json:a"), 1}}}};
        m_server->addPackage(QStringLiteral("7"), ZipBuilder().file(QStringLiteral("x.sh"), "exit 0\n").build());
        m_server->addJob(kHost, 70, 700, 7, QStringLiteral("sh x.sh"));
        AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(m_server->computer(kHost)->inventoryUploads, 1);
        QCOMPARE(m_server->job(70)->state, 3);
        auto read = [&] {
            QFile f(file);
            return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
        };
        QJsonObject doc = read();
        QCOMPARE(doc.value(QStringLiteral("a")).toObject().value(QStringLiteral("b")).toString(),
                 QStringLiteral("value-1"));
        QCOMPARE(doc.value(QStringLiteral("keep")).toObject().value(QStringLiteral("me")).toInt(), 1);
        // Mode kept (0640), owner bits as QFile reports them: 0x7000 owner, 0x0070 group, 0x0007 other.
        QCOMPARE(QFileInfo(file).permissions() & 0x7077, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);

        // Next inventory: the server no longer sends it.
        TestServer::Computer &again = *m_server->computer(kHost);
        again.lastUpdate = QDateTime();
        again.policies = QJsonObject{{QStringLiteral("machine"), QJsonArray()}};
        r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QCOMPARE(again.inventoryUploads, 2);
        doc = read();
        QVERIFY2(!doc.value(QStringLiteral("a")).toObject().contains(QStringLiteral("b")),
                 qPrintable(QJsonDocument(doc).toJson()));
        QCOMPARE(doc.value(QStringLiteral("keep")).toObject().value(QStringLiteral("me")).toInt(), 1);
    }

    // A machine with checks, journal events and a rotation rule: hello, inventory, events and the password
    // all reach the server in one cycle, in the order of docs/agent-behaviour.md §6.
    void completeMachineShowsUpOnTheServer()
    {
        const QString journal = writeJournal();
        if (journal.isEmpty())
            QSKIP("systemd-journal-remote or journalctl missing (Debian packages systemd-journal-remote, systemd)");
        if (::geteuid() != 0)
            QSKIP("needs root (useradd, chpasswd)");
        LocalUser user;
        QVERIFY(user.created());
        m_agent->environment.insert(QStringLiteral("OCO_JOURNAL"), journal);
        writeCheck(QStringLiteral("disk"), "#!/bin/sh\necho 'P Disk used=40;80;90 ok'\n");
        TestServer::Computer &c = registered(true);
        c.eventRules = QJsonArray{sshFailuresRule()};
        c.updatePasswords = QJsonArray{passwordRequest(user.name())};
        m_features.rotationUsers = QStringList{user.name()};
        const AgentHarness::Run r = runAgent();
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));

        QCOMPARE(m_server->rpcMethods(),
                 (QStringList{QStringLiteral("oco.agent.hello"), QStringLiteral("oco.agent.update"),
                              QStringLiteral("oco.agent.events"), QStringLiteral("oco.agent.passwords")}));
        const QJsonArray services = c.lastHello.value(QStringLiteral("services")).toArray();
        QCOMPARE(services.size(), 1);
        QCOMPARE(services.first().toObject().value(QStringLiteral("status")).toInt(), 0);
        QCOMPARE(services.first().toObject().value(QStringLiteral("metrics")).toString(),
                 QStringLiteral("used=40;80;90"));
        QCOMPARE(c.inventoryUploads, 1);
        QCOMPARE(c.uid, kUid);
        for (const char *k : {"os", "software", "partitions", "logins", "users", "devices", "uptime"})
            QVERIFY2(c.inventory.contains(QLatin1String(k)), k);
        QCOMPARE(m_features.events.size(), 2);
        QCOMPARE(m_features.passwords.size(), 1);
        QCOMPARE(m_features.passwords.first().username, user.name());
        QVERIFY(shadowHash(user.name()).startsWith(QLatin1String("$6$")));
    }
};

QTEST_GUILESS_MAIN(TstFeatures)
#include "tst_features.moc"
