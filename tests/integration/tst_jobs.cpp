// The job engine in real life: the real oco-agent binary (and, where a hook or a progress-reporting
// dialect is needed, the engine in process) against the test server on 127.0.0.1.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"
#include "agent/Agent.h"
#include "config/Config.h"
#include "core/StateStore.h"
#include "jobs/JobEngine.h"
#include "protocol/Dialect2021.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>

using namespace oco::test;

namespace {
const QString kHost = QStringLiteral("pc1");
const QString kKey = QStringLiteral("individualkey0000000000000000a");
const QString kServerKey = QStringLiteral("serverkey000000000000000000000");

QList<int> states(const TestServer::Job *j)
{
    QList<int> out;
    for (const QJsonObject &r : j->reports)
        out << r.value(QStringLiteral("state")).toInt();
    return out;
}

QStringList readLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

bool isZombie(pid_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray s = stat.readAll();
    return s.mid(s.lastIndexOf(')') + 2, 1) == "Z";
}

QByteArray randomBytes(qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    QRandomGenerator gen(42);
    gen.fillRange(reinterpret_cast<quint32 *>(b.data()), n / 4);
    return b;
}

// A 2021 dialect that reports progress like the current one, and records every report it sends.
class RecordingDialect : public oco::Dialect2021
{
public:
    using Dialect2021::Dialect2021;
    bool reportsProgress() const override { return true; }
    oco::Result<bool> reportJob(const oco::JobReport &r) override
    {
        reports << r;
        return Dialect2021::reportJob(r);
    }
    oco::Failure download(const oco::Job &job, const QString &filePath, const oco::HttpClient::Progress &progress,
                          qint64 resumeFrom) override
    {
        return Dialect2021::download(
            job, filePath,
            [&](qint64 got, qint64 total) {
                // Qt coalesces progress signals; a slow line delivers one per small chunk: replay those.
                for (qint64 at = last + 64 * 1024; at < got; at += 64 * 1024) {
                    ++chunks;
                    progress(at, total);
                }
                ++chunks;
                progress(got, total);
                last = got;
            },
            resumeFrom);
    }
    QList<oco::JobReport> reports;
    int chunks = 0;
    qint64 last = 0;
};
} // namespace

class TestJobs : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

    QTemporaryDir m_tmp;

    void configure(const QString &agentExtra = {}, double readTimeout = 20)
    {
        TestServer::Computer &c = m_server->addComputer(kHost, kKey, kServerKey);
        c.lastUpdate = QDateTime::currentDateTimeUtc(); // no inventory upload: the tests are about jobs
        m_agent->writeConfig(
            QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nconnection-timeout = 5\n"
                           "read-timeout = %2\n%3\n[server]\napi-url = %4\npayload-url = %5\n"
                           "server-key = %6\nprotocol = 2021\n")
                .arg(kKey)
                .arg(readTimeout)
                .arg(agentExtra, m_server->apiUrl().toString(), m_server->payloadUrl().toString(), kServerKey));
    }
    QString stagingRoot() const { return m_agent->stateDir() + QStringLiteral("/staging"); }
    bool stagingEmpty() const
    {
        return QDir(stagingRoot()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    }
    QJsonObject journal() const
    {
        QFile f(m_agent->stateDir() + QStringLiteral("/journal.json"));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }
    QString marker(const QString &name) const { return m_tmp.filePath(name); }
    // Waits (serving the test server) until the agent's stderr contains `text`.
    bool waitForLog(QProcess *p, QString *log, const QString &text, int ms = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms) {
            *log += QString::fromUtf8(p->readAllStandardError());
            if (log->contains(text))
                return true;
            QTest::qWait(20);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // For the JobEngine run in this process (the agent processes find it next to themselves).
        qputenv("OCO_UNPACK_HELPER", OCO_UNPACK_BIN);
    }
    void init() { QVERIFY(startServerAndAgent(kHost)); }
    void cleanup() { stopServerAndAgent(); }

    void executableScriptRunsInPrivateStagingThenRemoved()
    {
        configure();
        const QByteArray script = "#!/bin/sh\n"
                                  "echo \"job dir $(stat -c %a ..) staging $(stat -c %a ../..)\"\n"
                                  "echo \"cwd $(pwd)\"\n"
                                  "cat data/payload.txt\n";
        m_server->addPackage(QStringLiteral("45"), ZipBuilder()
                                                       .file(QStringLiteral("install.sh"), script, 0755)
                                                       .file(QStringLiteral("data/payload.txt"), "payload\n")
                                                       .build());
        m_server->addJob(kHost, 11, 1, 45, QStringLiteral("./install.sh"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TestServer::Job *j = m_server->job(11);
        QCOMPARE(j->state, 3);
        QVERIFY2(j->message.contains(QStringLiteral("job dir 700 staging 700\n")), qPrintable(j->message));
        QVERIFY2(j->message.contains(QStringLiteral("cwd %1/job-").arg(QDir(stagingRoot()).canonicalPath())),
                 qPrintable(j->message));
        QVERIFY(j->message.endsWith(QStringLiteral("payload\n")));
        // The 2021 dialect gets 1, 2 and the end only: no progress or partial output reports.
        QCOMPARE(states(j), (QList<int>{1, 2, 3}));
        QVERIFY(stagingEmpty());
        QVERIFY(journal().isEmpty());
    }

    void failuresAreClearAndCleanedUp()
    {
        configure(QStringLiteral("job-timeout = 1\nextract-max-mib = 5\n"));
        m_server->addPackage(QStringLiteral("1"), ZipBuilder().file(QStringLiteral("../escaped.txt"), "x").build());
        m_server->addPackage(QStringLiteral("2"), "<html>this is not a zip</html>");
        m_server->addPackage(QStringLiteral("3"),
                             ZipBuilder().zeros(QStringLiteral("bomb.bin"), 200LL * 1024 * 1024).build());
        m_server->addPackage(QStringLiteral("4"), ZipBuilder()
                                                      .symlink(QStringLiteral("etc"), QStringLiteral("/etc"))
                                                      .file(QStringLiteral("a.txt"), "a")
                                                      .build());
        m_server->addJob(kHost, 21, 1, 1, QStringLiteral("true"));
        m_server->addJob(kHost, 22, 2, 2, QStringLiteral("true"));
        m_server->addJob(kHost, 23, 3, 3, QStringLiteral("true"));
        m_server->addJob(kHost, 24, 4, 4, QStringLiteral("true"));
        m_server->addJob(kHost, 25, 5, 999, QStringLiteral("true"));
        m_server->addJob(kHost, 26, 6, 1, QStringLiteral("echo partial; sleep 300"), false);
        const auto run = m_agent->run();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        const QList<QPair<int, QString>> expected{
            {21, QStringLiteral("refused a hostile package: entry '../escaped.txt' points outside")},
            {22, QStringLiteral("not a readable ZIP or tar archive")},
            {23, QStringLiteral("refused as a possible zip bomb")},
            {24, QStringLiteral("symlink 'etc' points outside the package directory (to '/etc')")},
            {25, QStringLiteral("no package 999")},
            {26, QStringLiteral("timed out after 1 s (job-timeout); output so far:\npartial\n")}};
        for (const auto &e : expected) {
            const TestServer::Job *j = m_server->job(e.first);
            QCOMPARE(j->state, -1);
            QCOMPARE(j->returnCode.toInt(), -9999);
            QVERIFY2(j->message.contains(e.second), qPrintable(QStringLiteral("%1: %2").arg(e.first).arg(j->message)));
        }
        QVERIFY(!QFileInfo::exists(m_agent->stateDir() + QStringLiteral("/escaped.txt")));
        QVERIFY(stagingEmpty());
        QVERIFY(journal().isEmpty());
    }

    void extractorCrashFailsThatJobOnly()
    {
        // The package extractor is a process of its own (oco-agent-unpack): a parser crash on a hostile
        // package fails the job with a plain reason; the agent goes on with the next job.
        const QString crashing = m_tmp.filePath(QStringLiteral("crashing-unpack"));
        QFile f(crashing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\nkill -SEGV $$\n");
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::ExeOwner));
        m_agent->environment.insert(QStringLiteral("OCO_UNPACK_HELPER"), crashing);
        configure();
        m_server->addPackage(QStringLiteral("7"), ZipBuilder().file(QStringLiteral("a.txt"), "a").build());
        m_server->addJob(kHost, 27, 1, 7, QStringLiteral("true"));
        m_server->addJob(kHost, 28, 2, 7, QStringLiteral("echo still here"), false);
        const auto run = m_agent->run();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        QCOMPARE(m_server->job(27)->state, -1);
        QVERIFY2(m_server->job(27)->message.contains(QStringLiteral("the package extractor crashed (signal 11)")),
                 qPrintable(m_server->job(27)->message));
        QCOMPARE(m_server->job(28)->state, 3);
        QCOMPARE(m_server->job(28)->message, QStringLiteral("still here\n"));
        QVERIFY(stagingEmpty());
        QVERIFY(journal().isEmpty());
    }

    void daemonKeepingStdoutOpenDoesNotHangTheAgent()
    {
        configure(QStringLiteral("job-timeout = 120\n"));
        const QString pidFile = marker(QStringLiteral("daemon.pid"));
        m_server->addJob(kHost, 31, 1, 1,
                         QStringLiteral("sh -c 'echo $$ > %1; exec sleep 300' & echo installed a daemon").arg(pidFile),
                         false);
        const auto run = m_agent->run({QStringLiteral("--once")}, 60000);
        QVERIFY2(!run.timedOut, "the agent waited for the daemon");
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(m_server->job(31)->state, 3);
        QCOMPARE(m_server->job(31)->message, QStringLiteral("installed a daemon\n"));
        // The backgrounded shell may write its pid after the job's shell has exited (slow sanitizer build).
        QTRY_COMPARE_WITH_TIMEOUT(readLines(pidFile).size(), 1, 30000);
        const QStringList pid = readLines(pidFile);
        QCOMPARE(::kill(pid.first().toInt(), 0), 0); // the daemon was left running, as intended
        ::kill(pid.first().toInt(), SIGKILL);
    }

    void killedMidJobIsReportedInterruptedNotRerun()
    {
        configure();
        const QString runs = marker(QStringLiteral("runs")), pidFile = marker(QStringLiteral("job.pid"));
        m_server->addPackage(QStringLiteral("5"), ZipBuilder().file(QStringLiteral("a.txt"), "a").build());
        m_server->addJob(kHost, 41, 1, 5, QStringLiteral("echo run >> %1; echo $$ > %2; sleep 300").arg(runs, pidFile));
        auto p = m_agent->start({QStringLiteral("--once")});
        // Killed once the journal names the procedure's process group (under load the procedure may write its
        // pid file before the agent has written the journal).
        QTRY_VERIFY_WITH_TIMEOUT(
            m_server->job(41)->state == 2 && readLines(pidFile).size() == 1 &&
                journal().value(QStringLiteral("running")).toObject().contains(QStringLiteral("process")),
            30000);
        ::kill(static_cast<pid_t>(p->processId()), SIGKILL);
        QVERIFY(p->waitForFinished(10000));
        // Outside systemd the procedure outlives the agent; the next start ends it.
        const pid_t orphan = static_cast<pid_t>(readLines(pidFile).first().toInt());
        QCOMPARE(::kill(orphan, 0), 0);
        QVERIFY(journal().contains(QStringLiteral("running")));
        QVERIFY(!stagingEmpty());

        // Next start: the server still lists job 41 (state 2), the agent reports it and does not re-run it.
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TestServer::Job *j = m_server->job(41);
        QCOMPARE(j->state, -1);
        QCOMPARE(j->returnCode.toInt(), -9999);
        QCOMPARE(j->message, QStringLiteral("interrupted (agent stopped during execution)"));
        QCOMPARE(readLines(runs).size(), 1);
        QCOMPARE(states(j), (QList<int>{1, 2, -1}));
        QVERIFY2(run.output.contains(QStringLiteral("is still running; killing it")), qPrintable(run.output));
        QTRY_VERIFY_WITH_TIMEOUT(::kill(orphan, 0) != 0 || isZombie(orphan), 10000);
        QVERIFY(stagingEmpty());
        QVERIFY(journal().isEmpty());
    }

    void undeliveredFinalReportIsRetriedUntilAccepted()
    {
        configure();
        const QString runs = marker(QStringLiteral("runs2"));
        m_server->addJob(kHost, 51, 1, 1, QStringLiteral("echo run >> %1; echo the output").arg(runs), false);
        m_server->interceptor = [](const RecordedRequest &r, HttpReply *reply) {
            const QJsonObject data =
                r.json.value(QStringLiteral("params")).toObject().value(QStringLiteral("data")).toObject();
            if (r.rpcMethod == QLatin1String("oco.update_deploy_status") &&
                data.value(QStringLiteral("state")).toInt() == 3) {
                *reply = errorReply(503, "Service Unavailable");
                return true;
            }
            return false;
        };
        auto run = m_agent->run();
        QCOMPARE(run.exitCode, 1); // the cycle says the report did not arrive
        QCOMPARE(m_server->job(51)->state, 2);
        QCOMPARE(journal().value(QStringLiteral("undelivered")).toArray().size(), 1);

        run = m_agent->run(); // still down: stays queued, the job (listed again) is not run again
        QCOMPARE(m_server->job(51)->state, 2);
        QCOMPARE(readLines(runs).size(), 1);

        m_server->interceptor = nullptr;
        run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_server->job(51)->state, 3);
        QCOMPARE(m_server->job(51)->message, QStringLiteral("the output\n"));
        QCOMPARE(readLines(runs).size(), 1);
        QVERIFY(journal().isEmpty());
    }

    void sigtermLetsTheJobFinishThenLaterJobsWait()
    {
        configure(QStringLiteral("stop-grace-seconds = 120\n"));
        const QString go = marker(QStringLiteral("go")), later = marker(QStringLiteral("later-ran"));
        m_server->addJob(kHost, 61, 1, 1,
                         QStringLiteral("echo started; while [ ! -e %1 ]; do sleep 0.05; done; echo finished").arg(go),
                         false);
        m_server->addJob(kHost, 62, 2, 1, QStringLiteral("touch %1").arg(later), false);
        auto p = m_agent->start({QStringLiteral("--once")});
        QTRY_VERIFY_WITH_TIMEOUT(m_server->job(61)->state == 2, 30000);
        ::kill(static_cast<pid_t>(p->processId()), SIGTERM);
        QString log;
        QVERIFY2(waitForLog(p.get(), &log, QStringLiteral("the running procedure gets 120 s to finish")),
                 qPrintable(log));
        QFile(go).open(QIODevice::WriteOnly);
        QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 30000);
        QCOMPARE(p->exitCode(), 0);
        QCOMPARE(m_server->job(61)->state, 3);
        QCOMPARE(m_server->job(61)->message, QStringLiteral("started\nfinished\n"));
        QVERIFY(m_server->job(62)->reports.isEmpty()); // waits for the next start
        QVERIFY(!QFileInfo::exists(later));
        QVERIFY(journal().isEmpty());
    }

    void sigtermGraceExceededReportsInterrupted()
    {
        configure(QStringLiteral("stop-grace-seconds = 1\n"));
        m_server->addJob(kHost, 71, 1, 1, QStringLiteral("echo started; sleep 300"), false);
        auto p = m_agent->start({QStringLiteral("--once")});
        QTRY_VERIFY_WITH_TIMEOUT(m_server->job(71)->state == 2, 30000);
        ::kill(static_cast<pid_t>(p->processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 30000);
        const TestServer::Job *j = m_server->job(71);
        QCOMPARE(j->state, -1);
        QVERIFY2(j->message.startsWith(QStringLiteral("interrupted (agent stopped during execution)")),
                 qPrintable(j->message));
        QVERIFY(j->message.contains(QStringLiteral("stop-grace-seconds")));
        QVERIFY(j->message.endsWith(QStringLiteral("started\n")));
        QVERIFY(journal().isEmpty());
        QVERIFY(stagingEmpty());
    }

    void sigtermDuringAStalledDownload()
    {
        const QString zip = m_tmp.filePath(QStringLiteral("slow.zip"));
        QVERIFY(ZipBuilder().stored().file(QStringLiteral("data.bin"), randomBytes(1024 * 1024)).writeTo(zip));
        configure(QStringLiteral("stop-grace-seconds = 1\n"), 120);
        m_server->downloadFaults = {{-1, 200000}}; // sends a little, then nothing (read-timeout is far away)
        m_server->addPackageFile(QStringLiteral("11"), zip);
        m_server->addJob(kHost, 75, 1, 11, QStringLiteral("true"));
        auto p = m_agent->start({QStringLiteral("--once")});
        QTRY_VERIFY_WITH_TIMEOUT(m_server->job(75)->state == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->rpcMethods().contains(QStringLiteral("GET /payloadprovider.php")), 30000);
        ::kill(static_cast<pid_t>(p->processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(p->state() == QProcess::NotRunning, 30000);
        const TestServer::Job *j = m_server->job(75);
        QCOMPARE(j->state, -1);
        QVERIFY2(j->message.startsWith(QStringLiteral("interrupted (agent stopped during execution): the download "
                                                      "did not finish within 1 s")),
                 qPrintable(j->message));
        QVERIFY(journal().isEmpty());
        QVERIFY(stagingEmpty());
    }

    void bigPackageWithBoundedMemory()
    {
        // 256 MiB stored (uncompressed) so it really is 256 MiB on the wire; the bench does 1 GiB.
        const qint64 size = 256LL * 1024 * 1024;
        const QString zip = m_tmp.filePath(QStringLiteral("big.zip"));
        QVERIFY(ZipBuilder().stored().zeros(QStringLiteral("big.bin"), size).writeTo(zip));
        QVERIFY(QFileInfo(zip).size() > size);
        configure();
        m_server->addPackageFile(QStringLiteral("8"), zip);
        // The procedure's parent is the agent: its peak RSS includes the download (the extraction runs in
        // oco-agent-unpack).
        m_server->addJob(kHost, 81, 1, 8, QStringLiteral("grep VmHWM /proc/$PPID/status; stat -c %s big.bin"));
        const auto run = m_agent->run({QStringLiteral("--once")}, 120000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const TestServer::Job *j = m_server->job(81);
        QCOMPARE(j->state, 3);
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("VmHWM:\\s+(\\d+) kB\\n(\\d+)\\n")).match(j->message);
        QVERIFY2(m.hasMatch(), qPrintable(j->message));
        QCOMPARE(m.captured(2).toLongLong(), size);
        const qint64 peakKiB = m.captured(1).toLongLong();
        qInfo("agent peak RSS with a 256 MiB package: %lld KiB", peakKiB);
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("peak RSS is not meaningful under AddressSanitizer (shadow memory, quarantine)");
#endif
        QVERIFY2(peakKiB < 48 * 1024, qPrintable(QString::number(peakKiB)));
        QVERIFY(stagingEmpty());
    }

    void brokenConnectionIsResumed_data()
    {
        QTest::addColumn<bool>("ranges");
        QTest::newRow("server with ranges") << true;
        QTest::newRow("server without ranges: starts over") << false;
    }
    void brokenConnectionIsResumed()
    {
        QFETCH(bool, ranges);
        const QByteArray data = randomBytes(3 * 1024 * 1024);
        const QString zip = m_tmp.filePath(QStringLiteral("resume.zip"));
        QVERIFY(ZipBuilder().stored().file(QStringLiteral("data.bin"), data).writeTo(zip));
        configure();
        m_server->honourRanges = ranges;
        m_server->downloadFaults = {{1000000, -1}, {1000000, -1}};
        m_server->addPackageFile(QStringLiteral("9"), zip);
        m_server->addJob(kHost, 91, 1, 9, QStringLiteral("sha256sum data.bin"));
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(m_server->job(91)->state == 3, qPrintable(m_server->job(91)->message + run.output.right(3000)));
        const QByteArray sum = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
        QCOMPARE(m_server->job(91)->message, QString::fromLatin1(sum + "  data.bin\n"));
        // Qt itself may resend a GET once when a connection closes early, so count loosely: the agent's
        // own resumption is the request with "Range: bytes=1000000-" (what it had after the first break).
        QList<QByteArray> rangeHeaders;
        for (const RecordedRequest &r : m_server->requests)
            if (r.path.startsWith("/payloadprovider.php"))
                rangeHeaders << r.header("Range");
        QVERIFY2(rangeHeaders.size() >= 2, qPrintable(run.output));
        QCOMPARE(rangeHeaders.first(), QByteArray());
        QVERIFY2(rangeHeaders.contains("bytes=1000000-"), rangeHeaders.join(' ').constData());
        if (ranges) // the last attempt continued where the file ended: no byte was fetched twice at the end
            QVERIFY(rangeHeaders.last().startsWith("bytes=") && rangeHeaders.last() != "bytes=0-");
        QVERIFY2(run.output.contains(QStringLiteral("resuming")), qPrintable(run.output));
    }

    void stalledDownloadIsAborted()
    {
        const QString zip = m_tmp.filePath(QStringLiteral("stall.zip"));
        QVERIFY(ZipBuilder().stored().file(QStringLiteral("data.bin"), randomBytes(1024 * 1024)).writeTo(zip));
        configure({}, 1);
        m_server->downloadFaults = {{-1, 100000}};
        m_server->addPackageFile(QStringLiteral("10"), zip);
        m_server->addJob(kHost, 101, 1, 10, QStringLiteral("true"));
        const auto run = m_agent->run();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        const TestServer::Job *j = m_server->job(101);
        QCOMPARE(j->state, -1);
        QVERIFY2(j->message.startsWith(QStringLiteral("download failed: ")), qPrintable(j->message));
        QVERIFY2(j->message.contains(QStringLiteral("the server sent nothing for 1 s (read-timeout)")),
                 qPrintable(j->message));
        QVERIFY(stagingEmpty());
    }

    void serverOrderAndSequenceMode()
    {
        configure();
        const QString order = marker(QStringLiteral("order"));
        auto add = [&](int id, QJsonValue container, int mode, const QString &name, int rc) -> TestServer::Job & {
            TestServer::Job &j = m_server->addJob(
                kHost, id, container, 1, QStringLiteral("echo %1 >> %2; exit %3").arg(name, order).arg(rc), false);
            j.sequenceMode = mode;
            j.successCodes = {0};
            return j;
        };
        add(105, 12, 1, QStringLiteral("A"), 1);                   // fails: the rest of container 12 is skipped
        add(101, 13, 0, QStringLiteral("B"), 0);                   // another container: runs
        add(103, QStringLiteral("12"), 1, QStringLiteral("C"), 0); // "12" is container 12
        add(102, 14, 0, QStringLiteral("D"), 1);                   // mode 0: a failure changes nothing
        add(104, 14, 0, QStringLiteral("E"), 0);
        const auto run = m_agent->run();
        QVERIFY2(!run.timedOut, qPrintable(run.output));
        QCOMPARE(readLines(order),
                 (QStringList{QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("D"), QStringLiteral("E")}));
        QCOMPARE(m_server->job(105)->state, -1);
        QVERIFY(m_server->job(103)->reports.isEmpty());
        QCOMPARE(m_server->job(104)->state, 3);
    }

    void latin1AndInvalidUtf8OutputReachTheServer()
    {
        configure();
        m_server->addJob(kHost, 111, 1, 1,
                         QStringLiteral("printf 'Gr\\374\\337e \\200\\n'; printf 'ok \\303\\244 \\377\\n'"), false);
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(m_server->job(111)->message, QStringLiteral("Grüße €\nok ä ÿ\n"));
    }

    void historyAndLastInventorySurviveARestartOfTheService()
    {
        const QString socket = m_tmp.filePath(QStringLiteral("control.sock"));
        configure(QStringLiteral("query-interval = 3600\ncontrol-socket = %1\n").arg(socket));
        m_server->computer(kHost)->lastUpdate = QDateTime(); // the server asks for the inventory
        m_server->addJob(kHost, 141, 1, 1, QStringLiteral("echo kept"), false);
        const auto first = m_agent->start({QStringLiteral("--daemon")});
        QTRY_VERIFY_WITH_TIMEOUT(m_server->job(141)->state == 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(m_agent->stateDir() + QStringLiteral("/job-history.json")), 10000);
        first->terminate();
        QVERIFY(first->waitForFinished(30000));

        // A new service: what the tray gets on connecting already has the job and the inventory time.
        const auto second = m_agent->start({QStringLiteral("--daemon")});
        QLocalSocket tray;
        QTRY_VERIFY_WITH_TIMEOUT((tray.abort(), tray.connectToServer(socket), tray.waitForConnected(200)), 15000);
        tray.write("{\"type\":\"hello\",\"version\":1,\"client\":\"tst_jobs\"}\n");
        QJsonObject jobs, status;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                while (tray.canReadLine()) {
                    const QJsonObject m = QJsonDocument::fromJson(tray.readLine()).object();
                    if (m.value(QStringLiteral("type")) == QLatin1String("jobs"))
                        jobs = m;
                    if (m.value(QStringLiteral("type")) == QLatin1String("status"))
                        status = m;
                }
                return !jobs.isEmpty() && !status.isEmpty();
            }(),
            15000);
        const QJsonArray history = jobs.value(QStringLiteral("history")).toArray();
        QCOMPARE(history.size(), 1);
        const QJsonObject past = history.first().toObject();
        QCOMPARE(past.value(QStringLiteral("id")).toInt(), 141);
        QCOMPARE(past.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(past.value(QStringLiteral("message")).toString(), QStringLiteral("kept\n"));
        QVERIFY(!past.value(QStringLiteral("started")).toString().isEmpty());
        const QDateTime inventory =
            QDateTime::fromString(status.value(QStringLiteral("last_inventory")).toString(), Qt::ISODate);
        QVERIFY2(inventory.isValid() && inventory.secsTo(QDateTime::currentDateTimeUtc()) < 600,
                 qPrintable(status.value(QStringLiteral("last_inventory")).toString()));
        tray.abort();
        second->terminate();
        QVERIFY(second->waitForFinished(30000));
    }

    // --- in process: the hold hook and a dialect that reports progress

    void heldJobsWaitAndRunWhenReleased()
    {
        configure();
        qputenv("OCO_HOSTNAME", kHost.toUtf8());
        const QString ran = marker(QStringLiteral("held"));
        m_server->addJob(kHost, 121, 1, 1, QStringLiteral("echo 121 >> %1").arg(ran), false);
        m_server->addJob(kHost, 122, 2, 1, QStringLiteral("echo 122 >> %1").arg(ran), false);
        oco::Config config;
        QString err;
        QVERIFY2(config.load(m_agent->configPath(), &err), qPrintable(err));
        oco::StateStore state;
        QVERIFY2(state.open(m_agent->stateDir(), &err), qPrintable(err));
        oco::Agent agent(config, state);
        QString pending;
        int asked = 0;
        agent.setHoldJobs([&] {
            ++asked;
            return pending;
        });
        // The first job schedules a restart (as a post action would): the next job must wait.
        connect(&agent.jobs(), &oco::JobEngine::jobFinished, this,
                [&] { pending = QStringLiteral("a restart is pending"); });
        QVERIFY(agent.runCycle().ok);
        QCOMPARE(readLines(ran), QStringList{QStringLiteral("121")});
        QVERIFY(m_server->job(122)->reports.isEmpty());
        QCOMPARE(m_server->job(122)->state, 0);
        QVERIFY(agent.runCycle().ok); // still pending: neither run nor lost
        QCOMPARE(readLines(ran), QStringList{QStringLiteral("121")});
        QCOMPARE(m_server->job(122)->state, 0);

        pending.clear(); // the restart was cancelled
        disconnect(&agent.jobs(), &oco::JobEngine::jobFinished, this, nullptr);
        QVERIFY(agent.runCycle().ok);
        QCOMPARE(readLines(ran), (QStringList{QStringLiteral("121"), QStringLiteral("122")}));
        QCOMPARE(m_server->job(122)->state, 3);
        QVERIFY(asked >= 3);
    }

    void progressReportsAreThrottledAndOutputOnlyWhenItGrew()
    {
        configure(QStringLiteral("report-job-output = 0.05\n"));
        const QString zip = m_tmp.filePath(QStringLiteral("progress.zip"));
        QVERIFY(ZipBuilder().stored().zeros(QStringLiteral("z.bin"), 64LL * 1024 * 1024).writeTo(zip));
        m_server->addPackageFile(QStringLiteral("12"), zip);
        m_server->addJob(kHost, 131, 1, 12, QStringLiteral("echo one; sleep 0.5; echo two"));
        oco::Config config;
        QString err;
        QVERIFY2(config.load(m_agent->configPath(), &err), qPrintable(err));
        oco::StateStore state;
        QVERIFY2(state.open(m_agent->stateDir(), &err), qPrintable(err));
        oco::HttpClient http;
        RecordingDialect dialect(config, state, http,
                                 oco::AgentIdentity{kHost, QStringLiteral("uid"), QStringLiteral("1")});
        oco::JobEngine engine(config, state);
        oco::Job job;
        QVERIFY(oco::Job::fromJson(QJsonObject{{QStringLiteral("id"), 131},
                                               {QStringLiteral("container-id"), 1},
                                               {QStringLiteral("package-id"), 12},
                                               {QStringLiteral("download"), true},
                                               {QStringLiteral("procedure"), m_server->job(131)->procedure},
                                               {QStringLiteral("sequence-mode"), 0}},
                                   &job, &err));
        const oco::JobOutcome outcome = engine.run(dialect, job);
        QVERIFY(outcome.reported);
        QCOMPARE(outcome.message, QStringLiteral("one\ntwo\n"));

        QList<double> progress;
        QStringList running;
        for (const oco::JobReport &r : qAsConst(dialect.reports)) {
            if (r.state == 1)
                progress << r.downloadProgress.value_or(-1);
            if (r.state == 2 && !r.message.isEmpty())
                running << r.message;
        }
        qInfo("%d progress callbacks, %d progress reports", dialect.chunks, int(progress.size()));
        QVERIFY2(progress.size() <= 13, qPrintable(QString::number(progress.size()))); // not per chunk
        QVERIFY(dialect.chunks > 500);
        QVERIFY(progress.size() >= 3); // 0, at least one step, 101
        QCOMPARE(progress.first(), 0.0);
        QCOMPARE(progress.last(), 101.0);
        for (int i = 1; i < progress.size(); ++i)
            QVERIFY(progress.at(i) > progress.at(i - 1));
        QVERIFY(!running.isEmpty());
        QVERIFY(running.size() <= 2); // the output grew twice; ten ticks passed
        QCOMPARE(running.first(), QStringLiteral("one\n"));
        for (int i = 1; i < running.size(); ++i)
            QVERIFY(running.at(i) != running.at(i - 1));
    }

    void progressGate()
    {
        oco::ProgressGate gate(10, 10000);
        QVERIFY(gate.due(10, 0));
        QVERIFY(!gate.due(15, 100));  // neither a step nor time
        QVERIFY(gate.due(20.5, 200)); // a 10 point step
        QVERIFY(!gate.due(21, 5000));
        QVERIFY(gate.due(21, 10300));  // slow download: every 10 s when it moved
        QVERIFY(!gate.due(21, 30000)); // did not move
    }
};

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"
