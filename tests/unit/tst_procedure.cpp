// Running procedures: /bin/sh -c in the staging dir, own process group, timeout, stop grace, output capture.
#include "jobs/Procedure.h"
#include "platform/ProcessRunner.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

using namespace oco;

namespace {
ProcedureOptions options(const QString &procedure, const QString &dir, double timeout = 60)
{
    ProcedureOptions o;
    o.procedure = procedure;
    o.workDir = dir;
    o.timeoutSecs = timeout;
    o.reportEverySecs = 0;
    return o;
}

// Gone or a zombie nobody reaps (containers without an init that reaps).
bool processGone(pid_t pid)
{
    if (::kill(pid, 0) != 0)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray s = stat.readAll();
    return s.mid(s.lastIndexOf(')') + 2, 1) == "Z";
}

qsizetype utf8Size(const QString &s)
{
    return s.toUtf8().size();
}
} // namespace

class TestProcedure : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void exitCodeAndMergedOutput()
    {
        const ProcedureResult r =
            runProcedure(options(QStringLiteral("echo out; echo err >&2; echo out2; exit 3"), m_tmp.path()));
        QVERIFY(r.started);
        QVERIFY(!r.timedOut);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.output, QStringLiteral("out\nerr\nout2\n"));
    }

    // Nothing of the service's environment reaches a procedure: a fixed PATH, C.UTF-8, root's HOME, umask 077.
    void definedEnvironmentAndUmask()
    {
        const QByteArray path = qgetenv("PATH");
        qputenv("OCO_INHERITED_CANARY", "leak");
        qputenv("PATH", "/tmp/evil-bin:" + path);
        const ProcedureResult r =
            runProcedure(options(QStringLiteral("env; echo umask=$(umask); : > made.txt"), m_tmp.path()));
        qunsetenv("OCO_INHERITED_CANARY");
        qputenv("PATH", path);
        QVERIFY2(r.started && r.exitCode == 0, qPrintable(r.output));
        QMap<QString, QString> env;
        for (const QString &line : r.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            env.insert(line.section(QLatin1Char('='), 0, 0), line.section(QLatin1Char('='), 1));
        QVERIFY2(!env.contains(QStringLiteral("OCO_INHERITED_CANARY")), qPrintable(r.output));
        QCOMPARE(env.value(QStringLiteral("PATH")),
                 QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        QCOMPARE(env.value(QStringLiteral("LANG")), QStringLiteral("C.UTF-8"));
        QCOMPARE(env.value(QStringLiteral("LC_ALL")), QStringLiteral("C.UTF-8"));
        QCOMPARE(env.value(QStringLiteral("HOME")), QFile::decodeName(::getpwuid(::geteuid())->pw_dir));
        QCOMPARE(env.value(QStringLiteral("umask")), QStringLiteral("0077"));
        // Only what the agent sets and what the shell adds itself (PWD, OLDPWD, SHLVL, _).
        const QSet<QString> allowed{QStringLiteral("PATH"),  QStringLiteral("LANG"), QStringLiteral("LC_ALL"),
                                    QStringLiteral("HOME"),  QStringLiteral("USER"), QStringLiteral("LOGNAME"),
                                    QStringLiteral("SHELL"), QStringLiteral("PWD"),  QStringLiteral("OLDPWD"),
                                    QStringLiteral("SHLVL"), QStringLiteral("_"),    QStringLiteral("umask")};
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            QVERIFY2(allowed.contains(it.key()), qPrintable(it.key()));
        QFileInfo made(m_tmp.filePath(QStringLiteral("made.txt")));
        QCOMPARE(made.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
    }

    void workDirAndNullStdin()
    {
        // `cat` would wait forever on an inherited terminal or pipe; /dev/null ends it at once.
        const ProcedureResult r = runProcedure(options(QStringLiteral("pwd; cat; echo end"), m_tmp.path(), 20));
        QVERIFY(!r.timedOut);
        QCOMPARE(r.output, QDir(m_tmp.path()).canonicalPath() + QStringLiteral("\nend\n"));
    }

    void ownProcessGroup()
    {
        const ProcedureResult r =
            runProcedure(options(QStringLiteral("echo $$; cut -d' ' -f5 /proc/$$/stat"), m_tmp.path()));
        const QStringList lines = r.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(1), lines.at(0)); // the shell leads its own group
        QVERIFY(lines.at(1).toInt() != static_cast<int>(::getpgrp()));
    }

    void signalExitCodeIsNegative_data()
    {
        QTest::addColumn<QString>("procedure");
        QTest::addColumn<int>("expected");
        QTest::newRow("SIGKILL") << QStringLiteral("echo before; kill -9 $$") << -9;
        QTest::newRow("SIGTERM") << QStringLiteral("kill -TERM $$") << -15;
        QTest::newRow("SIGSEGV") << QStringLiteral("kill -SEGV $$") << -11;
    }
    void signalExitCodeIsNegative()
    {
        QFETCH(QString, procedure);
        QFETCH(int, expected);
        const ProcedureResult r = runProcedure(options(procedure, m_tmp.path()));
        QVERIFY(!r.timedOut);
        QCOMPARE(r.exitCode, expected);
    }

    void timeoutKillsTheWholeGroup()
    {
        // A child that ignores SIGTERM needs the SIGKILL that follows; both children must be gone.
        const QString pids = m_tmp.filePath(QStringLiteral("pids"));
        ProcedureOptions o = options(QStringLiteral("sleep 300 & echo $! > %1; "
                                                    "sh -c \"trap '' TERM; echo stubborn; sleep 300\" & echo $! >> %1; "
                                                    "echo waiting; wait")
                                         .arg(pids),
                                     m_tmp.path(), 0.5);
        o.killAfterTermSecs = 0.5;
        const ProcedureResult r = runProcedure(o);
        QVERIFY(r.timedOut);
        QVERIFY2(r.output.contains(QStringLiteral("waiting")), qPrintable(r.output));
        QFile f(pids);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> list = f.readAll().split('\n');
        int checked = 0;
        for (const QByteArray &p : list) {
            if (p.trimmed().isEmpty())
                continue;
            QTRY_VERIFY_WITH_TIMEOUT(processGone(static_cast<pid_t>(p.trimmed().toInt())), 10000);
            ++checked;
        }
        QCOMPARE(checked, 2);
    }

    void backgroundChildHoldingStdoutDoesNotHang()
    {
        // The daemon keeps the output pipe open until the test creates `go`, which happens only after
        // runProcedure returned: waiting for the pipe's end would run into the timeout.
        const QString go = m_tmp.filePath(QStringLiteral("go"));
        const ProcedureResult r = runProcedure(
            options(QStringLiteral("(while [ ! -e '%1' ]; do sleep 0.1; done; echo late) & echo main done").arg(go),
                    m_tmp.path(), 20));
        QFile(go).open(QIODevice::WriteOnly);
        QVERIFY(!r.timedOut);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.output, QStringLiteral("main done\n"));
    }

    void outputEncodings_data()
    {
        QTest::addColumn<QString>("procedure");
        QTest::addColumn<QString>("expected");
        QTest::newRow("UTF-8") << QStringLiteral("printf 'Gr\\303\\274\\303\\237e \\342\\202\\254'")
                               << QStringLiteral("Grüße €");
        QTest::newRow("Latin-1") << QStringLiteral("printf 'Gr\\374\\337e'") << QStringLiteral("Grüße");
        QTest::newRow("cp1252") << QStringLiteral("printf '\\200 5 \\223q\\224'") << QStringLiteral("€ 5 “q”");
        QTest::newRow("invalid UTF-8 mixed")
            << QStringLiteral("printf 'ok \\303\\244 bad \\377\\376 \\303 end'") << QStringLiteral("ok ä bad ÿþ Ã end");
        QTest::newRow("undefined cp1252 bytes kept")
            << QStringLiteral("printf 'a\\201b\\235c'") << QStringLiteral("a\u0081b\u009dc");
    }
    void outputEncodings()
    {
        QFETCH(QString, procedure);
        QFETCH(QString, expected);
        const ProcedureResult r = runProcedure(options(procedure, m_tmp.path()));
        QCOMPARE(r.output, expected);
    }

    void decodingKeepsEveryByte()
    {
        QByteArray all;
        for (int i = 0; i < 256; ++i)
            all += static_cast<char>(i);
        const QString s = decodeOutput(all);
        QCOMPARE(s.size(), 256); // no byte dropped or merged
        QCOMPARE(s.at(0x41), QLatin1Char('A'));
        QCOMPARE(s.at(0x80), QChar(0x20AC));
        QCOMPARE(s.at(0xFF), QChar(0xFF));
    }

    void finalOutputIsCapped_data()
    {
        QTest::addColumn<QString>("procedure");
        QTest::addColumn<qint64>("total");
        QTest::newRow("ASCII") << QStringLiteral("echo FIRST; head -c 1000000 /dev/zero | tr '\\0' x; echo; echo LAST")
                               << qint64(6 + 1000000 + 1 + 5);
        QTest::newRow("multi-byte UTF-8")
            << QStringLiteral("echo FIRST; yes 'äöü€' | head -n 100000; echo LAST") << qint64(6 + 100000 * 10 + 5);
        // Every 0x80 byte becomes a 3-byte UTF-8 euro sign: the cap counts encoded bytes.
        QTest::newRow("cp1252 expanding") << QStringLiteral("echo FIRST; head -c 300000 /dev/zero | tr '\\0' '\\200'; "
                                                            "echo; echo LAST")
                                          << qint64(6 + 300000 + 1 + 5);
    }
    void finalOutputIsCapped()
    {
        QFETCH(QString, procedure);
        QFETCH(qint64, total);
        const ProcedureResult r = runProcedure(options(procedure, m_tmp.path()));
        QVERIFY2(utf8Size(r.output) <= MaxOutputUtf8Bytes, qPrintable(QString::number(utf8Size(r.output))));
        QVERIFY(utf8Size(r.output) > MaxOutputUtf8Bytes / 2);
        QVERIFY(r.output.startsWith(QStringLiteral("FIRST\n")));
        QVERIFY(r.output.endsWith(QStringLiteral("LAST\n")));
        const QRegularExpression marker(QStringLiteral("\\n\\[\\.\\.\\. (\\d+) bytes of output cut \\.\\.\\.\\]\\n"));
        const QRegularExpressionMatch m = marker.match(r.output);
        QVERIFY2(m.hasMatch(), qPrintable(r.output.left(200)));
        // What is cut plus what is kept is the whole output (kept bytes measured in the original encoding).
        const qint64 cut = m.captured(1).toLongLong();
        QVERIFY(cut > 0 && cut < total);
        const QString kept = r.output.left(m.capturedStart()) + r.output.mid(m.capturedEnd());
        if (QTest::currentDataTag() == QLatin1String("cp1252 expanding"))
            QCOMPARE(cut + kept.size(), total); // one original byte per character
        else
            QCOMPARE(cut + kept.toUtf8().size(), total);
    }

    void shortOutputIsNotCut()
    {
        OutputBuffer b;
        b.append("hello ");
        b.append("world");
        QCOMPARE(b.text(), QStringLiteral("hello world"));
        OutputBuffer tiny(4, 4);
        tiny.append("0123456789");
        QCOMPARE(tiny.text(), QStringLiteral("0123\n[... 2 bytes of output cut ...]\n6789"));
    }

    void runningOutputReportedOnlyWhenItGrew()
    {
        const QString step1 = m_tmp.filePath(QStringLiteral("step1")), step2 = m_tmp.filePath(QStringLiteral("step2"));
        ProcedureOptions o = options(QStringLiteral("echo one; while [ ! -e '%1' ]; do sleep 0.05; done; echo two; "
                                                    "while [ ! -e '%2' ]; do sleep 0.05; done; echo three")
                                         .arg(step1, step2),
                                     m_tmp.path(), 30);
        o.reportEverySecs = 0.05;
        QStringList seen;
        int ticksAfterTwo = 0;
        o.onOutput = [&](const QString &soFar) {
            seen << soFar;
            if (soFar == QLatin1String("one\n"))
                QFile(step1).open(QIODevice::WriteOnly);
            // Let several report periods pass without new output before the last step.
            if (soFar.endsWith(QLatin1String("two\n")) && ++ticksAfterTwo == 1)
                QTimer::singleShot(500, [&] { QFile(step2).open(QIODevice::WriteOnly); });
        };
        const ProcedureResult r = runProcedure(o);
        QVERIFY(!r.timedOut);
        QCOMPARE(r.output, QStringLiteral("one\ntwo\nthree\n"));
        QVERIFY(seen.size() >= 2);
        QCOMPARE(seen.at(0), QStringLiteral("one\n"));
        QCOMPARE(seen.at(1), QStringLiteral("one\ntwo\n"));
        for (int i = 1; i < seen.size(); ++i)
            QVERIFY2(seen.at(i) != seen.at(i - 1), "the same output was reported twice");
    }

    void noRunningReportsWhenDisabled()
    {
        ProcedureOptions o = options(QStringLiteral("echo a; sleep 0.3; echo b"), m_tmp.path());
        o.reportEverySecs = 0;
        int calls = 0;
        o.onOutput = [&](const QString &) { ++calls; };
        runProcedure(o);
        QCOMPARE(calls, 0);
    }

    void stopRequestGraceExceeded()
    {
        ProcedureOptions o = options(QStringLiteral("echo started; sleep 300"), m_tmp.path());
        o.shouldStop = [] { return true; };
        o.stopGraceSecs = 0.3;
        o.killAfterTermSecs = 0.5;
        const ProcedureResult r = runProcedure(o);
        QVERIFY(r.interrupted);
        QVERIFY(!r.timedOut);
        QCOMPARE(r.output, QStringLiteral("started\n"));
    }

    void stopRequestJobFinishesWithinGrace()
    {
        const QString go = m_tmp.filePath(QStringLiteral("go-finish"));
        ProcedureOptions o = options(
            QStringLiteral("while [ ! -e '%1' ]; do sleep 0.05; done; echo finished; exit 4").arg(go), m_tmp.path());
        bool asked = false;
        o.shouldStop = [&] {
            // The stop request is seen; only then may the procedure go on and finish.
            if (!asked)
                QFile(go).open(QIODevice::WriteOnly);
            asked = true;
            return true;
        };
        o.stopGraceSecs = 60;
        const ProcedureResult r = runProcedure(o);
        QVERIFY(asked);
        QVERIFY(!r.interrupted);
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(r.output, QStringLiteral("finished\n"));
    }

    void processIdentityTellsReusedPidsApart()
    {
        const QString self = platform::processIdentity(::getpid());
        QVERIFY(!self.isEmpty());
        QCOMPARE(platform::processIdentity(::getpid()), self);
        qint64 child = 0;
        ProcedureOptions o = options(QStringLiteral("true"), m_tmp.path());
        o.onStarted = [&](qint64 pid) { child = pid; };
        runProcedure(o);
        QVERIFY(child > 0);
        QCOMPARE(platform::processIdentity(child), QString()); // exited and reaped
        QCOMPARE(platform::processIdentity(-1), QString());
    }

    void missingWorkDirIsAClearError()
    {
        const ProcedureResult r = runProcedure(options(QStringLiteral("true"), m_tmp.filePath(QStringLiteral("nope"))));
        QVERIFY(!r.started);
        QVERIFY2(r.error.contains(QStringLiteral("cannot start")), qPrintable(r.error));
    }
};

QTEST_MAIN(TestProcedure)
#include "tst_procedure.moc"
