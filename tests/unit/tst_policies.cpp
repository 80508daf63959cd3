// Linux JSON policies (docs/agent-behaviour.md §11, docs/server-protocol.md §4.6): definition parsing, apply/remove
// round trip with unrelated content, modes and owners kept, user scopes kept out, broken files left alone.
#include "features/Policies.h"

#include "core/StateStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace oco;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeRaw(const QString &path, const QByteArray &bytes, int mode)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
    f.close();
    QVERIFY(::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0);
}

// Mode, owner and inode of a file (moc cannot parse a function returning `struct stat`).
struct FileFacts
{
    unsigned mode = 0;
    unsigned uid = 0;
    quint64 inode = 0;
};

FileFacts statOf(const QString &path)
{
    struct stat st
    {
    };
    ::stat(QFile::encodeName(path).constData(), &st);
    return {static_cast<unsigned>(st.st_mode & 07777), static_cast<unsigned>(st.st_uid),
            static_cast<quint64>(st.st_ino)};
}

QByteArray readRaw(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QJsonObject machineSet(const QString &file, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("JSON:%1:K").arg(file), value}}}};
}

// Runs a command as the unprivileged user nobody (uid/gid 65534, no supplementary groups).
int asNobody(const QStringList &command)
{
    QProcess p;
    p.start(QStringLiteral("setpriv"), QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                                   QStringLiteral("--clear-groups")} +
                                           command);
    if (!p.waitForFinished(30000))
        return -1;
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class TestPolicies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesDefinitions()
    {
        PolicyDefinition d;
        QString err;
        QVERIFY2(PolicyDefinition::parse(
                     QStringLiteral("JSON:/etc/firefox/policies/policies.json:policies\\DisableTelemetry"), &d, &err),
                 qPrintable(err));
        QCOMPARE(d.module, QStringLiteral("JSON"));
        QCOMPARE(d.path, QStringLiteral("/etc/firefox/policies/policies.json"));
        QCOMPARE(d.keyPath, (QStringList{QStringLiteral("policies"), QStringLiteral("DisableTelemetry")}));

        // ':' inside the path: the key is split off at the last ':'.
        QVERIFY(PolicyDefinition::parse(QStringLiteral("JSON:/opt/a:b/x.json:Key"), &d, &err));
        QCOMPARE(d.path, QStringLiteral("/opt/a:b/x.json"));
        QCOMPARE(d.keyPath, QStringList{QStringLiteral("Key")});

        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:/etc/x.json"), &d, &err)); // 2-part: no key
        QVERIFY(err.contains(QStringLiteral("no key")));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:relative/x.json:K"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:/etc/../root/x.json:K"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:/etc/x.txt:K"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:/etc/x.json:"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("JSON:/etc/x.json:a\\\\b"), &d, &err));
        QVERIFY(!PolicyDefinition::parse(QStringLiteral("REGISTRY:HKLM\\Software:Val"), &d, &err));
        QVERIFY(err.contains(QStringLiteral("not available on Linux")));
    }

    void appliesAndRemovesKeepingContentAndMode()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        const QString ff = tmp.path() + QStringLiteral("/etc/firefox/policies/policies.json");
        const QString chromium = tmp.path() + QStringLiteral("/etc/chromium/policies/managed/oco.json");
        writeRaw(ff, "{\"policies\":{\"Homepage\":{\"URL\":\"https:\\/\\/intranet\"}},\"other\":[1,2,3]}", 0640);
        const bool root = ::geteuid() == 0;
        if (root)
            QVERIFY(::chown(QFile::encodeName(ff).constData(), 65534, 65534) == 0);

        const QString pTelemetry = QStringLiteral("JSON:%1:policies\\DisableTelemetry").arg(ff);
        const QString pExt = QStringLiteral("JSON:%1:policies\\Extensions\\Install").arg(ff);
        const QString pChromium = QStringLiteral("JSON:%1:BrowserSignin").arg(chromium);
        QJsonObject machine{{pTelemetry, true},
                            {pExt, QStringLiteral("[\"https://addons/x.xpi\"]")}, // a LIST sent as JSON text
                            {pChromium, 0},
                            {QStringLiteral("JSON:/etc/broken.json"), 1}};
        const QString userScope = QStringLiteral("S-1-5-21-1234");
        QJsonObject userPolicies{{QStringLiteral("JSON:%1:policies\\UserOnly").arg(ff), true}};
        PolicyOutcome out =
            PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), machine}, {userScope, userPolicies}}, state);
        QCOMPARE(out.applied, 3);
        QCOMPARE(out.skippedUserScope, 1);
        QCOMPARE(out.errors.size(), 1); // the 2-part definition

        QJsonObject doc = readJson(ff);
        QCOMPARE(doc.value(QStringLiteral("other")).toArray(), (QJsonArray{1, 2, 3}));
        QJsonObject pol = doc.value(QStringLiteral("policies")).toObject();
        QCOMPARE(pol.value(QStringLiteral("Homepage")).toObject().value(QStringLiteral("URL")).toString(),
                 QStringLiteral("https://intranet"));
        QCOMPARE(pol.value(QStringLiteral("DisableTelemetry")), QJsonValue(true));
        QCOMPARE(pol.value(QStringLiteral("Extensions")).toObject().value(QStringLiteral("Install")).toArray(),
                 QJsonArray{QStringLiteral("https://addons/x.xpi")});
        QVERIFY(!pol.contains(QStringLiteral("UserOnly")));
        QCOMPARE(statOf(ff).mode, 0640u);
        if (root)
            QCOMPARE(statOf(ff).uid, 65534u);
        QCOMPARE(readJson(chromium).value(QStringLiteral("BrowserSignin")), QJsonValue(0));
        QCOMPARE(statOf(chromium).mode, 0644u); // new policy files must be readable by browsers
        QVERIFY(QFile::exists(state.filePath(PolicyApplier::cacheFileName())));

        // Same set again: nothing is rewritten (same inode).
        const quint64 inode = statOf(ff).inode;
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), machine}}, state);
        QCOMPARE(out.applied, 0);
        QCOMPARE(out.unchanged, 3);
        QCOMPARE(statOf(ff).inode, inode);

        // The server drops the telemetry policy: only that key goes.
        machine.remove(pTelemetry);
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), machine}}, state);
        QCOMPARE(out.removed, 1);
        pol = readJson(ff).value(QStringLiteral("policies")).toObject();
        QVERIFY(!pol.contains(QStringLiteral("DisableTelemetry")));
        QVERIFY(pol.contains(QStringLiteral("Extensions")));
        QVERIFY(pol.contains(QStringLiteral("Homepage")));
        QCOMPARE(statOf(ff).mode, 0640u);
        if (root)
            QCOMPARE(statOf(ff).uid, 65534u);

        // An empty set (PHP's []) withdraws everything this agent applied, and nothing else.
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), QJsonArray()}}, state);
        QCOMPARE(out.removed, 2);
        doc = readJson(ff);
        QCOMPARE(doc.value(QStringLiteral("other")).toArray(), (QJsonArray{1, 2, 3}));
        QVERIFY(!doc.value(QStringLiteral("policies"))
                     .toObject()
                     .value(QStringLiteral("Extensions"))
                     .toObject()
                     .contains(QStringLiteral("Install")));
        QVERIFY(doc.value(QStringLiteral("policies")).toObject().contains(QStringLiteral("Homepage")));
        QVERIFY(!readJson(chromium).contains(QStringLiteral("BrowserSignin")));
        QJsonObject cache;
        QVERIFY(state.readJsonFile(PolicyApplier::cacheFileName(), &cache, &err));
        QVERIFY(
            cache.value(QStringLiteral("applied")).toObject().value(QStringLiteral("machine")).toObject().isEmpty());
    }

    void brokenFileIsLeftAloneAndRetried()
    {
        QTemporaryDir tmp;
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        const QString f = tmp.path() + QStringLiteral("/p.json");
        const QString def = QStringLiteral("JSON:%1:A\\B").arg(f);
        PolicyOutcome out =
            PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), QJsonObject{{def, 5}}}}, state);
        QCOMPARE(out.applied, 1);
        writeRaw(f, "{ not json", 0600);
        // Removal fails on the broken file: the file stays as it is and the record is kept for a retry.
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), QJsonObject()}}, state);
        QCOMPARE(out.removed, 0);
        QCOMPARE(out.errors.size(), 1);
        QFile raw(f);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QCOMPARE(raw.readAll(), QByteArray("{ not json"));
        raw.close();
        writeRaw(f, "{\"A\":{\"B\":5,\"C\":1}}", 0600);
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), QJsonObject()}}, state);
        QCOMPARE(out.removed, 1);
        QCOMPARE(readJson(f), (QJsonObject{{QStringLiteral("A"), QJsonObject{{QStringLiteral("C"), 1}}}}));

        // A key path through a non-object value is refused, not forced.
        writeRaw(f, "{\"A\":\"text\"}", 0600);
        out = PolicyApplier::apply(QJsonObject{{QStringLiteral("machine"), QJsonObject{{def, 1}}}}, state);
        QCOMPARE(out.applied, 0);
        QCOMPARE(out.errors.size(), 1);
        QCOMPARE(readJson(f), (QJsonObject{{QStringLiteral("A"), QStringLiteral("text")}}));
    }

    // The file itself is never written through a link, even one root made in a trusted directory.
    void finalSymlinkIsNeverFollowed()
    {
        QTemporaryDir tmp;
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        const QString real = tmp.path() + QStringLiteral("/real.json");
        const QString link = tmp.path() + QStringLiteral("/link.json");
        writeRaw(real, "{\"A\":1}", 0600);
        QVERIFY(QFile::link(real, link));
        const PolicyOutcome out = PolicyApplier::apply(machineSet(link, QStringLiteral("v")), state);
        QCOMPARE(out.applied, 0);
        QCOMPARE(out.errors.size(), 1);
        QVERIFY2(out.errors.first().contains(QLatin1String("symbolic link")), qPrintable(out.errors.first()));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(readRaw(real), QByteArray("{\"A\":1}"));
    }

    void directoryChainMustBeTrusted_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("parent 0755") << QStringLiteral("a:0755") << true;
        QTest::newRow("parent world-writable") << QStringLiteral("a:0777") << false;
        QTest::newRow("parent group-writable") << QStringLiteral("a:0775") << false;
        QTest::newRow("parent sticky, world-writable") << QStringLiteral("a:1777") << false;
        QTest::newRow("ancestor world-writable") << QStringLiteral("a:0777 b:0755") << false;
        QTest::newRow("ancestor sticky (like /tmp)") << QStringLiteral("a:1777 b:0755") << true;
    }
    // Every directory on the way: owned by root (or the agent's user), not writable by group or others.
    void directoryChainMustBeTrusted()
    {
        QFETCH(QString, layout);
        QFETCH(bool, accepted);
        QTemporaryDir tmp;
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        QString dir = tmp.path();
        for (const QString &part : layout.split(QLatin1Char(' '))) {
            dir += QLatin1Char('/') + part.section(QLatin1Char(':'), 0, 0);
            QVERIFY(QDir().mkdir(dir));
            QVERIFY(::chmod(QFile::encodeName(dir).constData(), part.section(QLatin1Char(':'), 1).toUInt(nullptr, 8)) ==
                    0);
        }
        const QString f = dir + QStringLiteral("/p.json");
        const PolicyOutcome out = PolicyApplier::apply(machineSet(f, 1), state);
        QCOMPARE(out.applied, accepted ? 1 : 0);
        QCOMPARE(QFile::exists(f), accepted);
        if (!accepted)
            QVERIFY2(out.errors.value(0).contains(QLatin1String("writable by group or others")),
                     qPrintable(out.errors.value(0)));
    }

    // Links on the way are followed when root made them, and their targets are checked the same way.
    void linkedDirectoriesAreChecked()
    {
        QTemporaryDir tmp;
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        QVERIFY(QDir().mkpath(tmp.path() + QStringLiteral("/real/sub")));
        QVERIFY(QFile::link(tmp.path() + QStringLiteral("/real"), tmp.path() + QStringLiteral("/abs")));
        QVERIFY(QFile::link(QStringLiteral("real/sub/.."), tmp.path() + QStringLiteral("/rel")));
        PolicyOutcome out = PolicyApplier::apply(machineSet(tmp.path() + QStringLiteral("/abs/sub/p.json"), 1), state);
        QCOMPARE(out.applied, 1);
        QCOMPARE(readJson(tmp.path() + QStringLiteral("/real/sub/p.json")).value(QStringLiteral("K")), QJsonValue(1));
        out = PolicyApplier::apply(machineSet(tmp.path() + QStringLiteral("/rel/q.json"), 2), state);
        QCOMPARE(out.applied, 1);
        QCOMPARE(readJson(tmp.path() + QStringLiteral("/real/q.json")).value(QStringLiteral("K")), QJsonValue(2));

        // A link into a world-writable directory leads somewhere others control.
        QVERIFY(QDir().mkdir(tmp.path() + QStringLiteral("/open")));
        QVERIFY(::chmod(QFile::encodeName(tmp.path() + QStringLiteral("/open")).constData(), 0777) == 0);
        QVERIFY(QFile::link(tmp.path() + QStringLiteral("/open"), tmp.path() + QStringLiteral("/toopen")));
        out = PolicyApplier::apply(machineSet(tmp.path() + QStringLiteral("/toopen/p.json"), 3), state);
        QCOMPARE(out.applied, 0);
        QVERIFY(!QFile::exists(tmp.path() + QStringLiteral("/open/p.json")));
    }

    // A local user (uid 65534) who owns the policy file's directory points the file at a root-owned 0600
    // .json file of the attacker's choice, once before the service writes and then continuously while it
    // writes (a link swapped in after the rename made the service chown the victim). The victim stays as it
    // was: content, mode and owner.
    void userWritableDirectoryCannotRedirectWrites()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a real second user");
        QTemporaryDir tmp;
        QVERIFY(::chmod(QFile::encodeName(tmp.path()).constData(), 0755) == 0);
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        const QString victim = tmp.path() + QStringLiteral("/root-only/secret.json");
        writeRaw(victim, "{\"secret\":true}", 0600);
        const QString userDir = tmp.path() + QStringLiteral("/user");
        QVERIFY(QDir().mkdir(userDir));
        QVERIFY(::chown(QFile::encodeName(userDir).constData(), 65534, 65534) == 0);

        const QString target = userDir + QStringLiteral("/p.json");
        QCOMPARE(asNobody({QStringLiteral("ln"), QStringLiteral("-s"), victim, target}), 0);
        PolicyOutcome out = PolicyApplier::apply(machineSet(target, QStringLiteral("pwned")), state);
        QCOMPARE(out.applied, 0);
        QVERIFY2(out.errors.value(0).contains(QLatin1String("not to root")), qPrintable(out.errors.value(0)));

        // The swapping attacker: a regular file owned by the user, replaced by a link and back, without end.
        const QString swapped = userDir + QStringLiteral("/q.json");
        QProcess attacker;
        attacker.start(
            QStringLiteral("setpriv"),
            {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
             QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("while :; do echo '{}' > \"$1.f\"; mv -f \"$1.f\" \"$1\"; ln -sfn \"$2\" \"$1\"; "
                            "done"),
             QStringLiteral("sh"), swapped, victim});
        QVERIFY(attacker.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(swapped) || QFileInfo(swapped).isSymLink(), 10000);
        for (int i = 0; i < 100; ++i) {
            out = PolicyApplier::apply(machineSet(swapped, i), state);
            QCOMPARE(out.applied, 0);
        }
        attacker.kill();
        attacker.waitForFinished();
        QCOMPARE(readRaw(victim), QByteArray("{\"secret\":true}"));
        QCOMPARE(statOf(victim).mode, 0600u);
        QCOMPARE(statOf(victim).uid, 0u);
    }

    void serversWithoutPoliciesChangeNothing()
    {
        QTemporaryDir tmp;
        StateStore state;
        QString err;
        QVERIFY(state.open(tmp.path() + QStringLiteral("/state"), &err));
        const QString f = tmp.path() + QStringLiteral("/p.json");
        const QJsonObject set{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("JSON:%1:K").arg(f), 1}}}};
        QCOMPARE(PolicyApplier::apply(set, state).applied, 1);
        QCOMPARE(PolicyApplier::apply(QJsonValue(QJsonValue::Undefined), state).removed, 0);
        QCOMPARE(PolicyApplier::apply(QJsonValue(QJsonValue::Null), state).removed, 0);
        QCOMPARE(readJson(f).value(QStringLiteral("K")), QJsonValue(1));
        QCOMPARE(PolicyApplier::apply(QJsonArray(), state).removed, 1); // PHP's empty map
        QVERIFY(!readJson(f).contains(QStringLiteral("K")));
    }

    void onlyJsonTextOfObjectsAndArraysIsParsed()
    {
        // A policy string such as a homepage "1" stays a string; LIST/DICT values sent as JSON text are parsed.
        QCOMPARE(PolicyApplier::fileValue(QStringLiteral("123")), QJsonValue(QStringLiteral("123")));
        QCOMPARE(PolicyApplier::fileValue(QStringLiteral("true")), QJsonValue(QStringLiteral("true")));
        QCOMPARE(PolicyApplier::fileValue(QStringLiteral(" {\"a\":1}")),
                 QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}));
        QCOMPARE(PolicyApplier::fileValue(QStringLiteral("[1,2]")), QJsonValue(QJsonArray{1, 2}));
        QCOMPARE(PolicyApplier::fileValue(QStringLiteral("{broken")), QJsonValue(QStringLiteral("{broken")));
    }
};

QTEST_GUILESS_MAIN(TestPolicies)
#include "tst_policies.moc"
