// Password rotation (docs/agent-behaviour.md §9, docs/server-protocol.md §4.9): generation, encryption checked with the
// openssl command, SHA-512 crypt checked with `openssl passwd`, the server-first order, revocation, the
// real chpasswd path against a throwaway account, and that no password reaches the log.
#include "features/PasswordRotation.h"
#include "jobs/Procedure.h"
#include "platform/linux/PasswordChange.h"

#include "FeatureServer.h"
#include "core/Clock.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace oco;

namespace {

QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &ctx, const QString &msg)
{
    g_log << QStringLiteral("[%1] %2").arg(QLatin1String(ctx.category ? ctx.category : ""), msg);
}

// Decrypts with the openssl command, an implementation independent of ours.
QByteArray opensslDecrypt(const QJsonObject &enc, const QByteArray &agentKey, bool *ok)
{
    QByteArray key = agentKey.left(32);
    key.append(QByteArray(32 - key.size(), '\0'));
    const QByteArray iv = QByteArray::fromBase64(enc.value(QStringLiteral("iv")).toString().toLatin1());
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("enc"), QStringLiteral("-d"), QStringLiteral("-aes-256-cbc"), QStringLiteral("-K"),
             QString::fromLatin1(key.toHex()), QStringLiteral("-iv"), QString::fromLatin1(iv.toHex())});
    p.waitForStarted();
    p.write(QByteArray::fromBase64(enc.value(QStringLiteral("data")).toString().toLatin1()));
    p.closeWriteChannel();
    *ok = p.waitForFinished(30000) && p.exitCode() == 0 && iv.size() == 16;
    return p.readAllStandardOutput();
}

QByteArray opensslPasswd6(const QByteArray &password, const QByteArray &salt)
{
    QProcess p;
    p.start(QStringLiteral("openssl"), {QStringLiteral("passwd"), QStringLiteral("-6"), QStringLiteral("-salt"),
                                        QString::fromLatin1(salt), QStringLiteral("-stdin")});
    p.waitForStarted();
    p.write(password + "\n");
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return p.readAllStandardOutput().trimmed();
}

class RecordingChanger : public LocalPasswordChanger
{
public:
    QList<QPair<QString, QString>> calls;
    QSet<QString> failFor;
    bool change(const QString &username, const QString &password, QString *error) override
    {
        calls.append({username, password});
        if (failFor.contains(username)) {
            *error = QStringLiteral("no such user");
            return false;
        }
        return true;
    }
};

struct RecordingServer
{
    QList<QJsonObject> requests;
    QList<Result<QJsonObject>> answers; // one per call; default success:true
    RpcCall call()
    {
        return [this](const QString &method, const QJsonObject &data) {
            if (method != QLatin1String("oco.agent.passwords"))
                return Result<QJsonObject>::fail({FailureKind::Malformed, 0, QStringLiteral("wrong method")});
            requests << data;
            if (!answers.isEmpty())
                return answers.takeFirst();
            return Result<QJsonObject>::success(
                {{QStringLiteral("success"), true}, {QStringLiteral("params"), QJsonArray()}});
        };
    }
    QJsonArray entries(int i) const { return requests.at(i).value(QStringLiteral("passwords")).toArray(); }
};

const QByteArray AgentKey = "abcdefghijklmnopqrstuvwxyz0123"; // 30 chars like the server's keys

QJsonArray oneRequest(const QString &user, const QString &alphabet = QStringLiteral("abcdefghijkmnpqrstuvwxyz23456789"),
                      int length = 20)
{
    return {QJsonObject{{QStringLiteral("username"), user},
                        {QStringLiteral("alphabet"), alphabet},
                        {QStringLiteral("length"), length}}};
}

} // namespace

class TestPasswords : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void uniformStaysInRange()
    {
        for (quint32 bound : {1u, 2u, 3u, 7u, 62u, 0x80000001u, 0xffffffffu})
            for (int i = 0; i < 200; ++i)
                QVERIFY(PasswordCrypto::uniform(bound) < bound);
        QCOMPARE(PasswordCrypto::uniform(0), 0u);
    }

    void generatesCharactersNotBytes()
    {
        // Two-byte, three-byte and four-byte UTF-8 characters (the last one outside the BMP).
        const QString alphabet = QString::fromUtf8("\xc3\xa4\xe2\x82\xac\xf0\x9d\x84\x9e"
                                                   "a");
        const QList<uint> allowed = alphabet.toUcs4();
        const QString pw = PasswordCrypto::generate(alphabet, 400);
        const QList<uint> cps = pw.toUcs4();
        QCOMPARE(cps.size(), 400);
        QSet<uint> seen;
        for (uint c : cps) {
            QVERIFY(allowed.contains(c));
            seen.insert(c);
        }
        QCOMPARE(seen.size(), 4); // each has probability 1/4 per draw; missing one in 400 draws is ~1e-50
        QVERIFY(PasswordCrypto::generate(QString(), 10).isEmpty());
        QVERIFY(PasswordCrypto::generate(QStringLiteral("ab"), 0).isEmpty());
        QVERIFY(PasswordCrypto::generate(QStringLiteral("ab"), PasswordRotation::MaxLength + 1).isEmpty());
        QVERIFY(PasswordCrypto::generate(QStringLiteral("ab"), 32) !=
                PasswordCrypto::generate(QStringLiteral("ab"), 32));
    }

    void encryptionMatchesOpenssl_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("password");
        QTest::newRow("30-char key, ascii") << AgentKey << QStringLiteral("S3cret-pass");
        QTest::newRow("non-ascii, not block aligned in bytes")
            << AgentKey
            << QString::fromUtf8("\xc3\xa4\xc3\xb6\xc3\xbc\xe2\x82\xac\xf0\x9d\x84\x9e"
                                 "abc");
        QTest::newRow("exactly one block") << AgentKey << QStringLiteral("0123456789abcdef");
        QTest::newRow("long key is cut") << QByteArray("0123456789012345678901234567890123456789")
                                         << QStringLiteral("x");
        QTest::newRow("short key is padded") << QByteArray("k") << QStringLiteral("pw");
    }

    void encryptionMatchesOpenssl()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, password);
        const QJsonObject enc = PasswordCrypto::encrypt(password.toUtf8(), key);
        QCOMPARE(QByteArray::fromBase64(enc.value(QStringLiteral("iv")).toString().toLatin1()).size(), 16);
        const QByteArray data = QByteArray::fromBase64(enc.value(QStringLiteral("data")).toString().toLatin1());
        QCOMPARE(data.size() % 16, 0);
        QVERIFY(data.size() > password.toUtf8().size());
        bool ok = false;
        QCOMPARE(QString::fromUtf8(opensslDecrypt(enc, key, &ok)), password);
        QVERIFY(ok);
        // A fresh IV every time.
        QVERIFY(PasswordCrypto::encrypt(password.toUtf8(), key).value(QStringLiteral("iv")) !=
                enc.value(QStringLiteral("iv")));
    }

    void sha512CryptMatchesOpensslPasswd()
    {
        const QByteArray pw = QString::fromUtf8("p\xc3\xa4ss w$rd").toUtf8();
        const QByteArray hash = platform::sha512Crypt(pw);
        QVERIFY2(hash.startsWith("$6$"), hash.constData());
        const QByteArray salt = hash.split('$').value(2);
        QVERIFY(salt.size() >= 8);
        QCOMPARE(opensslPasswd6(pw, salt), hash);
        QVERIFY(platform::sha512Crypt(pw) != hash); // random salt
    }

    void storesOnServerThenChangesLocally()
    {
        RecordingServer server;
        RecordingChanger changer;
        QJsonArray reqs = oneRequest(QStringLiteral("localadmin"));
        reqs.append(oneRequest(QStringLiteral("second"), QStringLiteral("xyz"), 8).first());
        g_log.clear();
        auto old = qInstallMessageHandler(captureLog);
        const RotationOutcome out = PasswordRotation::rotate(reqs, AgentKey, server.call(), changer);
        qInstallMessageHandler(old);

        QCOMPARE(server.requests.size(), 1); // ONE request for all accounts
        QCOMPARE(server.entries(0).size(), 2);
        QCOMPARE(changer.calls.size(), 2);
        QCOMPARE(out.changed, (QStringList{QStringLiteral("localadmin"), QStringLiteral("second")}));
        for (int i = 0; i < 2; ++i) {
            const QJsonObject e = server.entries(0).at(i).toObject();
            QCOMPARE(e.value(QStringLiteral("username")).toString(), changer.calls.at(i).first);
            QVERIFY(!e.contains(QStringLiteral("revoke")));
            bool ok = false;
            // What the server keeps is exactly what was set locally.
            QCOMPARE(QString::fromUtf8(opensslDecrypt(e.value(QStringLiteral("password")).toObject(), AgentKey, &ok)),
                     changer.calls.at(i).second);
            QVERIFY(ok);
        }
        QCOMPARE(changer.calls.at(0).second.size(), 20);
        QCOMPARE(changer.calls.at(1).second.size(), 8);
        QVERIFY(!g_log.isEmpty());
        for (const auto &c : std::as_const(changer.calls))
            for (const QString &line : std::as_const(g_log))
                QVERIFY2(!line.contains(c.second), qPrintable(line));
    }

    void serverRefusalChangesNothing_data()
    {
        QTest::addColumn<int>("answer");
        QTest::newRow("success false") << 0;
        QTest::newRow("success missing") << 1;
        QTest::newRow("HTTP error") << 2;
    }

    void serverRefusalChangesNothing()
    {
        QFETCH(int, answer);
        RecordingServer server;
        if (answer == 0)
            server.answers << Result<QJsonObject>::success({{QStringLiteral("success"), false}});
        else if (answer == 1)
            server.answers << Result<QJsonObject>::success({{QStringLiteral("params"), QJsonArray()}});
        else
            server.answers << Result<QJsonObject>::fail(
                {FailureKind::Http, 400, QStringLiteral("Invalid password data")});
        RecordingChanger changer;
        const RotationOutcome out =
            PasswordRotation::rotate(oneRequest(QStringLiteral("localadmin")), AgentKey, server.call(), changer);
        QVERIFY(out.serverRefused);
        QVERIFY(changer.calls.isEmpty());
        QCOMPARE(server.requests.size(), 1); // and no revoke for something never stored
        QVERIFY(out.changed.isEmpty());
    }

    void localFailureRevokesTheServerCopy()
    {
        RecordingServer server;
        RecordingChanger changer;
        changer.failFor << QStringLiteral("ghost");
        QJsonArray reqs = oneRequest(QStringLiteral("ghost"));
        reqs.append(oneRequest(QStringLiteral("real")).first());
        ManualClock clock;
        const RotationOutcome out = PasswordRotation::rotate(reqs, AgentKey, server.call(), changer, clock);
        QCOMPARE(server.requests.size(), 2);
        const QJsonArray revoke = server.entries(1);
        QCOMPARE(revoke.size(), 1);
        const QJsonObject r = revoke.first().toObject();
        QCOMPARE(r.value(QStringLiteral("username")).toString(), QStringLiteral("ghost"));
        QCOMPARE(r.value(QStringLiteral("revoke")).toBool(), true);
        bool ok1 = false, ok2 = false;
        const QByteArray stored = opensslDecrypt(
            server.entries(0).at(0).toObject().value(QStringLiteral("password")).toObject(), AgentKey, &ok1);
        const QByteArray revoked = opensslDecrypt(r.value(QStringLiteral("password")).toObject(), AgentKey, &ok2);
        QVERIFY(ok1 && ok2);
        QCOMPARE(revoked, stored); // the server deletes it only when it is the same password
        QVERIFY(r.value(QStringLiteral("password")).toObject().value(QStringLiteral("iv")) !=
                server.entries(0)
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("password"))
                    .toObject()
                    .value(QStringLiteral("iv")));
        QCOMPARE(out.revoked, QStringList{QStringLiteral("ghost")});
        QCOMPARE(out.changed, QStringList{QStringLiteral("real")});
    }

    void invalidRequestsAreSkipped()
    {
        RecordingServer server;
        RecordingChanger changer;
        const QJsonArray reqs{
            QJsonObject{{QStringLiteral("username"), QStringLiteral("a")},
                        {QStringLiteral("alphabet"), QString()},
                        {QStringLiteral("length"), 5}},
            QJsonObject{{QStringLiteral("username"), QStringLiteral("b")},
                        {QStringLiteral("alphabet"), QStringLiteral("x")},
                        {QStringLiteral("length"), -1}},
            QJsonObject{{QStringLiteral("alphabet"), QStringLiteral("x")}, {QStringLiteral("length"), 5}},
            QStringLiteral("junk")};
        const RotationOutcome out = PasswordRotation::rotate(reqs, AgentKey, server.call(), changer);
        QCOMPARE(out.failed.size(), 4);
        QVERIFY(server.requests.isEmpty());
        QVERIFY(changer.calls.isEmpty());
        // No agent key: nothing is sent in a form the server cannot read.
        PasswordRotation::rotate(oneRequest(QStringLiteral("x")), QByteArray(), server.call(), changer);
        QVERIFY(server.requests.isEmpty());
    }

    void roundTripWithTheServerModel()
    {
        test::FeatureServer server;
        server.agentKey = AgentKey;
        server.rotationUsers << QStringLiteral("localadmin");
        RecordingChanger changer;
        RotationOutcome out =
            PasswordRotation::rotate(oneRequest(QStringLiteral("localadmin")), AgentKey, server.rpc(), changer);
        QCOMPARE(out.changed, QStringList{QStringLiteral("localadmin")});
        QCOMPARE(server.passwords.size(), 1);
        QCOMPARE(server.passwords.first().password, changer.calls.first().second); // the server decrypts what we set
        const QString inEffect = changer.calls.first().second;

        // No rotation rule for this user on the server: success false, so nothing changes locally.
        changer.calls.clear();
        out = PasswordRotation::rotate(oneRequest(QStringLiteral("norule")), AgentKey, server.rpc(), changer);
        QVERIFY(out.serverRefused);
        QVERIFY(changer.calls.isEmpty());

        // The agent encrypts with a key the server does not have: 400 Invalid password data, nothing changes.
        out = PasswordRotation::rotate(oneRequest(QStringLiteral("localadmin")), "another-key", server.rpc(), changer);
        QVERIFY(out.serverRefused);
        QVERIFY(changer.calls.isEmpty());
        QCOMPARE(server.passwords.size(), 1);

        // Local failure: the revocation removes exactly the new server copy.
        changer.failFor << QStringLiteral("localadmin");
        out = PasswordRotation::rotate(oneRequest(QStringLiteral("localadmin")), AgentKey, server.rpc(), changer);
        QCOMPARE(out.revoked, QStringList{QStringLiteral("localadmin")});
        QCOMPARE(server.passwords.size(), 1); // the earlier one, still in effect locally, stays
        QCOMPARE(server.passwords.first().password, inEffect);
    }

    void revokeAfterTheWindowIsRefusedByTheServer()
    {
        test::FeatureServer server;
        server.agentKey = AgentKey;
        server.rotationUsers << QStringLiteral("slow");
        ManualClock clock(server.now);
        // A local change that takes six minutes and then fails.
        class SlowFailing : public LocalPasswordChanger
        {
        public:
            test::FeatureServer *server;
            ManualClock *clock;
            bool change(const QString &, const QString &, QString *error) override
            {
                server->now = server->now.addSecs(360);
                clock->advanceSecs(360);
                *error = QStringLiteral("usermod hung");
                return false;
            }
        } changer;
        changer.server = &server;
        changer.clock = &clock;
        g_log.clear();
        auto old = qInstallMessageHandler(captureLog);
        const RotationOutcome out =
            PasswordRotation::rotate(oneRequest(QStringLiteral("slow")), AgentKey, server.rpc(), changer, clock);
        qInstallMessageHandler(old);
        QVERIFY(out.revoked.isEmpty());
        QCOMPARE(server.passwords.size(), 1);
        QVERIFY(!g_log.filter(QStringLiteral("longer than 5 minutes")).isEmpty());
        QVERIFY(!g_log.filter(QStringLiteral("could not withdraw")).isEmpty());
    }

    void chpasswdRefusesOptionLikeNamesAndRelativePaths()
    {
        platform::ChpasswdPasswordChanger changer(serverProgramEnvironment());
        QString err;
        QVERIFY(!changer.change(QStringLiteral("-o"), QStringLiteral("pw"), &err));
        QVERIFY(err.contains(QStringLiteral("not a valid")));
        QVERIFY(!changer.change(QStringLiteral("a b"), QStringLiteral("pw"), &err));
        QVERIFY(!changer.change(QStringLiteral("a:b"), QStringLiteral("pw"), &err));
        platform::ChpasswdPasswordChanger missing(serverProgramEnvironment(), QStringLiteral("/nonexistent/chpasswd"));
        QVERIFY(!missing.change(QStringLiteral("someone"), QStringLiteral("pw"), &err));
        QVERIFY2(err.contains(QStringLiteral("not found")), qPrintable(err));
        platform::ChpasswdPasswordChanger relative(serverProgramEnvironment(),
                                                   QStringLiteral("chpasswd")); // never looked up in PATH
        QVERIFY(!relative.change(QStringLiteral("someone"), QStringLiteral("pw"), &err));
        QVERIFY2(err.contains(QStringLiteral("not found")), qPrintable(err));
        QCOMPARE(platform::ChpasswdPasswordChanger::defaultProgram().left(1), QStringLiteral("/"));
    }

    // What the started program sees, recorded by a stand-in: its command line as /proc shows it to every
    // local user (no hash there), its stdin (user:hash) and its environment (nothing inherited).
    void hashGoesThroughStdinNotTheCommandLine()
    {
        QTemporaryDir dir;
        const QString tool = dir.filePath(QStringLiteral("chpasswd"));
        QFile script(tool);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(QStringLiteral("#!/bin/sh\ntr '\\000' '\\n' < /proc/$$/cmdline > '%1/cmdline'\nenv > '%1/env'\n"
                                    "cat > '%1/stdin'\n")
                         .arg(dir.path())
                         .toUtf8());
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        qputenv("OCO_INHERITED_CANARY", "leak");
        platform::ChpasswdPasswordChanger changer(serverProgramEnvironment(), tool);
        QString err;
        const QString password = QString::fromUtf8("s3cr\xc3\xa4t pass");
        const bool ok = changer.change(QStringLiteral("localadmin"), password, &err);
        qunsetenv("OCO_INHERITED_CANARY");
        QVERIFY2(ok, qPrintable(err));
        auto read = [&](const QString &name) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray cmdline = read(QStringLiteral("cmdline"));
        QCOMPARE(cmdline, ("/bin/sh\n" + tool + "\n-e\n").toUtf8());
        const QByteArray input = read(QStringLiteral("stdin"));
        QVERIFY2(input.startsWith("localadmin:$6$") && input.endsWith('\n'), input.constData());
        const QByteArray hash = input.mid(11).trimmed();
        QCOMPARE(opensslPasswd6(password.toUtf8(), hash.split('$').value(2)), hash);
        const QByteArray env = read(QStringLiteral("env"));
        QVERIFY2(!env.contains("OCO_INHERITED_CANARY"), env.constData());
        QVERIFY2(env.contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"), env.constData());
    }

    void realChpasswdChangesAThrowawayAccount()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to create a throwaway account");
        auto tool = [](const QString &name) {
            const QString found = QStandardPaths::findExecutable(name);
            return found.isEmpty()
                       ? QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")})
                       : found;
        };
        const QString useradd = tool(QStringLiteral("useradd")), userdel = tool(QStringLiteral("userdel"));
        if (useradd.isEmpty() || userdel.isEmpty())
            QSKIP("useradd/userdel missing (Debian package passwd)");
        const QString user = QStringLiteral("ocotst%1").arg(QCoreApplication::applicationPid() % 100000);
        {
            QProcess leftover; // of an aborted run
            leftover.setStandardErrorFile(QProcess::nullDevice());
            leftover.start(userdel, {user});
            leftover.waitForFinished(30000);
        }
        QCOMPARE(QProcess::execute(
                     useradd, {QStringLiteral("-M"), QStringLiteral("-s"), QStringLiteral("/usr/sbin/nologin"), user}),
                 0);
        struct Cleanup
        {
            QString userdel, user;
            ~Cleanup() { QProcess::execute(userdel, {user}); }
        } cleanup{userdel, user};

        RecordingServer server;
        platform::ChpasswdPasswordChanger changer(serverProgramEnvironment());
        QJsonArray reqs = oneRequest(user, QString::fromUtf8("abc$:\\' \"\xc3\xa4"), 24);
        reqs.append(oneRequest(QStringLiteral("ocotst-no-such-user")).first());
        g_log.clear();
        auto old = qInstallMessageHandler(captureLog);
        const RotationOutcome out = PasswordRotation::rotate(reqs, AgentKey, server.call(), changer);
        qInstallMessageHandler(old);
        QCOMPARE(out.changed, QStringList{user});
        QCOMPARE(out.revoked, QStringList{QStringLiteral("ocotst-no-such-user")});

        bool ok = false;
        const QByteArray password = opensslDecrypt(
            server.entries(0).at(0).toObject().value(QStringLiteral("password")).toObject(), AgentKey, &ok);
        QVERIFY(ok);
        QCOMPARE(QString::fromUtf8(password).toUcs4().size(), 24);

        QFile shadow(QStringLiteral("/etc/shadow"));
        QVERIFY(shadow.open(QIODevice::ReadOnly));
        QByteArray hash;
        for (const QByteArray &line : shadow.readAll().split('\n'))
            if (line.startsWith(user.toLatin1() + ':'))
                hash = line.split(':').value(1);
        QVERIFY2(hash.startsWith("$6$"), hash.constData());
        QCOMPARE(opensslPasswd6(password, hash.split('$').value(2)), hash);

        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(QString::fromUtf8(password)), qPrintable(line));
            QVERIFY2(!line.contains(QString::fromLatin1(hash)), qPrintable(line));
        }
    }
};

QTEST_GUILESS_MAIN(TestPasswords)
#include "tst_passwords.moc"
