// Service checks (docs/agent-behaviour.md §12): CheckMK local-check parsing and running real scripts with a
// time limit.
#include "features/ServiceChecks.h"
#include "jobs/Procedure.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

using namespace oco;

class TestServiceChecks : public QObject
{
    Q_OBJECT

    static void writeScript(const QString &path, const QByteArray &body, int mode = 0755)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n" + body);
        f.close();
        QVERIFY(::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) == 0);
    }

    static QJsonObject byName(const QJsonArray &services, const QString &name)
    {
        for (const QJsonValue &v : services)
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }

private Q_SLOTS:
    void parsesLocalCheckLines()
    {
        QJsonObject s;
        QVERIFY(ServiceChecks::parseLine(QStringLiteral("0 Disk_root used=42;80;90 Disk usage 42 %"), &s));
        QCOMPARE(s.value(QStringLiteral("status")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("Disk_root"));
        QCOMPARE(s.value(QStringLiteral("metrics")).toString(), QStringLiteral("used=42;80;90"));
        QCOMPARE(s.value(QStringLiteral("details")).toString(), QStringLiteral("Disk usage 42 %"));
        QVERIFY(!s.contains(QStringLiteral("merics")));

        QVERIFY(ServiceChecks::parseLine(QStringLiteral("2 \"My Web Service\" - HTTP 500  from backend"), &s));
        QCOMPARE(s.value(QStringLiteral("status")).toInt(), 2);
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("My Web Service"));
        QCOMPARE(s.value(QStringLiteral("metrics")).toString(), QStringLiteral("-"));
        QCOMPARE(s.value(QStringLiteral("details")).toString(), QStringLiteral("HTTP 500  from backend"));

        QVERIFY(ServiceChecks::parseLine(QStringLiteral("1 'single quoted' - x"), &s));
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("single quoted"));

        // No details is still a usable line.
        QVERIFY(ServiceChecks::parseLine(QStringLiteral("3 Thing -"), &s));
        QCOMPARE(s.value(QStringLiteral("details")).toString(), QString());

        QVERIFY(!ServiceChecks::parseLine(QStringLiteral("OK Disk - fine"), &s)); // status not 0-3/P
        QVERIFY(!ServiceChecks::parseLine(QStringLiteral("4 Disk - fine"), &s));
        QVERIFY(!ServiceChecks::parseLine(QStringLiteral("0 Disk"), &s)); // no metrics field
        QVERIFY(!ServiceChecks::parseLine(QStringLiteral("0 \"unterminated - x"), &s));
        QVERIFY(!ServiceChecks::parseLine(QStringLiteral("0 \"\" - empty name"), &s));
        QVERIFY(!ServiceChecks::parseLine(QString(), &s));
    }

    void computesDynamicStatus()
    {
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("load=0.5;1;2")), 0);
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("load=1.5;1;2")), 1);
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("load=2;1;2")), 2);
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("a=1;5;9|b=7;5;9")), 1);
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("temp=3;5:30;2:40")), 1); // below lower warn
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("temp=1;5:30;2:40")), 2); // below lower crit
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("t=12ms;100;200")), 0);   // unit suffix
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("t=abc;1;2")), 3);
        QCOMPARE(ServiceChecks::statusFromMetrics(QStringLiteral("-")), 0);
        QJsonObject s;
        QVERIFY(ServiceChecks::parseLine(QStringLiteral("P Load load=5;1;2 high load"), &s));
        QCOMPARE(s.value(QStringLiteral("status")).toInt(), 2);
    }

    void parseOutputKeepsGoodLinesAndNamesBadOnes()
    {
        QStringList rejected;
        const QJsonArray a =
            ServiceChecks::parseOutput(QStringLiteral("0 A - ok\r\n\nnonsense here\n1 B x=1 warn\n"), &rejected);
        QCOMPARE(a.size(), 2);
        QCOMPARE(rejected, QStringList{QStringLiteral("nonsense here")});
    }

    void floodingCheckIsCutNotStuck()
    {
        QTemporaryDir dir;
        // 1 MiB of output after a valid line; only the first 4 KiB are kept.
        writeScript(dir.path() + QStringLiteral("/flood"),
                    "echo '0 Flood - first'\nhead -c 1048576 /dev/zero | tr '\\0' x\necho\n");
        ServiceCheckOptions o;
        o.dir = dir.path();
        o.timeoutSecs = 60;
        o.maxOutputBytes = 4096;
        const QJsonArray services = ServiceChecks::run(o);
        QCOMPARE(services.size(), 1);
        QCOMPARE(byName(services, QStringLiteral("Flood")).value(QStringLiteral("details")).toString(),
                 QStringLiteral("first"));
    }

    void missingDirectoryGivesEmptyArray()
    {
        const QJsonArray a = ServiceChecks::run(QStringLiteral("/nonexistent/oco-checks"), 5);
        QVERIFY(a.isEmpty());
    }

    void runsChecksAndTurnsFailuresIntoEntries()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString d = dir.path();
        const QString pidFile =
            d + QStringLiteral("/../hang-child-") + QString::number(QCoreApplication::applicationPid());
        writeScript(d + QStringLiteral("/10-good"),
                    "echo '0 \"Root disk\" used=10;80;90 fine'\necho '1 Mail - queue long'\n");
        // Hangs and leaves a child behind: both must be stopped.
        writeScript(d + QStringLiteral("/20-hang"), "sleep 300 &\necho $! > '" + QFile::encodeName(pidFile) +
                                                        "'\necho '0 Early - printed before hanging'\nwait\n");
        writeScript(d + QStringLiteral("/30-fail"), "echo boom >&2\nexit 4\n");
        writeScript(d + QStringLiteral("/40-garbage"), "echo 'this is not a check line'\n");
        writeScript(d + QStringLiteral("/50-quiet"), "exit 0\n");
        writeScript(d + QStringLiteral("/60-notexec"), "echo '0 Never - x'\n", 0644);
        writeScript(d + QStringLiteral("/70-old.dpkg-old"), "echo '0 Old - x'\n");
        writeScript(d + QStringLiteral("/80-groupwritable"), "echo '0 Unsafe - x'\n", 0775);
        writeScript(d + QStringLiteral("/90-crash"), "kill -SEGV $$\n");
        QFile badInterpreter(d + QStringLiteral("/95-badinterp"));
        QVERIFY(badInterpreter.open(QIODevice::WriteOnly));
        badInterpreter.write("#!/nonexistent/interpreter\necho '0 X - y'\n");
        badInterpreter.close();
        QVERIFY(::chmod(QFile::encodeName(badInterpreter.fileName()).constData(), 0755) == 0);

        ServiceCheckOptions o;
        o.dir = d;
        o.timeoutSecs = 3;
        o.parallel = 3;
        const QJsonArray services = ServiceChecks::run(o);

        QCOMPARE(byName(services, QStringLiteral("Root disk")).value(QStringLiteral("status")).toInt(), 0);
        QCOMPARE(byName(services, QStringLiteral("Root disk")).value(QStringLiteral("metrics")).toString(),
                 QStringLiteral("used=10;80;90"));
        QCOMPARE(byName(services, QStringLiteral("Mail")).value(QStringLiteral("status")).toInt(), 1);

        const QJsonObject hang = byName(services, QStringLiteral("20-hang"));
        QCOMPARE(hang.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY2(hang.value(QStringLiteral("details")).toString().contains(QStringLiteral("did not finish")),
                 qPrintable(hang.value(QStringLiteral("details")).toString()));
        QVERIFY(byName(services, QStringLiteral("Early")).isEmpty()); // partial output of a stopped check is dropped

        const QJsonObject fail = byName(services, QStringLiteral("30-fail"));
        QCOMPARE(fail.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY(fail.value(QStringLiteral("details")).toString().contains(QStringLiteral("exited with code 4: boom")));

        const QJsonObject garbage = byName(services, QStringLiteral("40-garbage"));
        QCOMPARE(garbage.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY(
            garbage.value(QStringLiteral("details")).toString().contains(QStringLiteral("this is not a check line")));

        QVERIFY(byName(services, QStringLiteral("50-quiet")).isEmpty());
        QVERIFY(byName(services, QStringLiteral("Never")).isEmpty());
        QVERIFY(byName(services, QStringLiteral("60-notexec")).isEmpty());
        QVERIFY(byName(services, QStringLiteral("Old")).isEmpty());

        const QJsonObject unsafe = byName(services, QStringLiteral("80-groupwritable"));
        QCOMPARE(unsafe.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY(unsafe.value(QStringLiteral("details")).toString().contains(QStringLiteral("writable")));
        QVERIFY(byName(services, QStringLiteral("Unsafe")).isEmpty());

        const QJsonObject crash = byName(services, QStringLiteral("90-crash"));
        QCOMPARE(crash.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY(crash.value(QStringLiteral("details")).toString().contains(QStringLiteral("crashed")));

        const QJsonObject bad = byName(services, QStringLiteral("95-badinterp"));
        QCOMPARE(bad.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY2(bad.value(QStringLiteral("details")).toString().contains(QStringLiteral("could not be started")),
                 qPrintable(bad.value(QStringLiteral("details")).toString()));

        for (const QJsonValue &v : services) {
            QVERIFY(v.toObject().contains(QStringLiteral("metrics")));
            QVERIFY(!v.toObject().contains(QStringLiteral("merics")));
        }
        QCOMPARE(services.size(), 8);

        // The hanging check's background child went with it (gone, or a zombie waiting for init).
        QFile pf(pidFile);
        QVERIFY(pf.open(QIODevice::ReadOnly));
        const QByteArray pid = pf.readAll().trimmed();
        pf.close();
        pf.remove();
        QVERIFY(!pid.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QFile stat(QStringLiteral("/proc/%1/stat").arg(QString::fromLatin1(pid)));
                if (!stat.open(QIODevice::ReadOnly))
                    return true;
                const QByteArray s = stat.readAll();
                return s.mid(s.lastIndexOf(')') + 2, 1) == "Z";
            }(),
            10000);
    }

    // A link in the check directory is never followed, even to a root-owned executable: its target may sit
    // in a directory another user controls (here one owned by uid 65534, who can replace it at any time).
    void checksGetAFixedEnvironment()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path() + QStringLiteral("/10-env"),
                    "echo \"0 Env - leak=${OCO_LEAK_TEST:-none} proxy=${https_proxy:-none} path=$PATH\"\n");
        qputenv("OCO_LEAK_TEST", "inherited");
        qputenv("https_proxy", "http://127.0.0.1:9");
        ServiceCheckOptions o;
        o.dir = dir.path();
        const QJsonArray services = ServiceChecks::run(o);
        qunsetenv("OCO_LEAK_TEST");
        qunsetenv("https_proxy");
        const QString details = byName(services, QStringLiteral("Env")).value(QStringLiteral("details")).toString();
        QVERIFY2(details.startsWith(QStringLiteral("leak=none proxy=none path=")), qPrintable(details));
        QCOMPARE(details.section(QStringLiteral("path="), 1), serverProgramEnvironment().value(QStringLiteral("PATH")));
    }

    void symbolicLinksAreNotRun()
    {
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString checks = dir.filePath(QStringLiteral("checks"));
        const QString elsewhere = dir.filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkdir(checks));
        QVERIFY(QDir().mkdir(elsewhere));
        if (::geteuid() == 0)
            QVERIFY(::chown(QFile::encodeName(elsewhere).constData(), 65534, 65534) == 0);
        const QString marker = dir.filePath(QStringLiteral("ran"));
        writeScript(elsewhere + QStringLiteral("/target"),
                    "touch '" + QFile::encodeName(marker) + "'\necho '0 Linked - x'\n");
        QVERIFY(QFile::link(elsewhere + QStringLiteral("/target"), checks + QStringLiteral("/10-linked")));
        writeScript(checks + QStringLiteral("/20-real"), "echo '0 Real - fine'\n");
        const QJsonArray services = ServiceChecks::run(checks, 10);
        QVERIFY(!QFile::exists(marker));
        QVERIFY(byName(services, QStringLiteral("Linked")).isEmpty());
        const QJsonObject linked = byName(services, QStringLiteral("10-linked"));
        QCOMPARE(linked.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY2(linked.value(QStringLiteral("details")).toString().contains(QStringLiteral("symbolic link")),
                 qPrintable(linked.value(QStringLiteral("details")).toString()));
        QCOMPARE(byName(services, QStringLiteral("Real")).value(QStringLiteral("status")).toInt(), 0);
    }

    void directoryMustBeRootsAlone_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("nobodyOwns");
        QTest::addColumn<QString>("expected");
        QTest::newRow("world-writable") << 0777 << false << QStringLiteral("writable by group or others");
        QTest::newRow("group-writable") << 0775 << false << QStringLiteral("writable by group or others");
        QTest::newRow("sticky, world-writable") << 01777 << false << QStringLiteral("writable by group or others");
        QTest::newRow("owned by another user") << 0755 << true << QStringLiteral("not to root");
    }
    // Otherwise another user could drop a script in (or swap one) for root to run.
    void directoryMustBeRootsAlone()
    {
        QFETCH(int, mode);
        QFETCH(bool, nobodyOwns);
        QFETCH(QString, expected);
        if (nobodyOwns && ::geteuid() != 0)
            QSKIP("needs root to give the directory to another user");
        QTemporaryDir dir;
        const QString checks = dir.filePath(QStringLiteral("checks"));
        QVERIFY(QDir().mkdir(checks));
        const QString marker = dir.filePath(QStringLiteral("ran"));
        writeScript(checks + QStringLiteral("/10-check"),
                    "touch '" + QFile::encodeName(marker) + "'\necho '0 Ran - x'\n");
        QVERIFY(::chmod(QFile::encodeName(checks).constData(), static_cast<mode_t>(mode)) == 0);
        if (nobodyOwns)
            QVERIFY(::chown(QFile::encodeName(checks).constData(), 65534, 65534) == 0);
        const QJsonArray services = ServiceChecks::run(checks, 10);
        QVERIFY(!QFile::exists(marker));
        QCOMPARE(services.size(), 1);
        const QJsonObject entry = services.first().toObject();
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 3);
        QVERIFY2(entry.value(QStringLiteral("details")).toString().contains(expected),
                 qPrintable(entry.value(QStringLiteral("details")).toString()));

        // An ancestor counts as much as the directory itself.
        QVERIFY(::chmod(QFile::encodeName(checks).constData(), 0755) == 0);
        QVERIFY(::chown(QFile::encodeName(checks).constData(), ::geteuid(), ::getegid()) == 0);
        QVERIFY(QDir().mkdir(checks + QStringLiteral("/sub")));
        QVERIFY(QFile::rename(checks + QStringLiteral("/10-check"), checks + QStringLiteral("/sub/10-check")));
        QVERIFY(::chmod(QFile::encodeName(checks).constData(), static_cast<mode_t>(mode & 0777)) == 0);
        if (nobodyOwns)
            QVERIFY(::chown(QFile::encodeName(checks).constData(), 65534, 65534) == 0);
        const QJsonArray below = ServiceChecks::run(checks + QStringLiteral("/sub"), 10);
        QVERIFY(!QFile::exists(marker));
        QCOMPARE(below.size(), 1);
        QCOMPARE(below.first().toObject().value(QStringLiteral("status")).toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestServiceChecks)
#include "tst_servicechecks.moc"
