// Filesystem faults: a state directory the agent cannot write (another user; a read-only mount, also
// while the service runs), a full disk while a package is downloaded or extracted (a 2 MiB tmpfs as the
// state directory) and the config file deleted or replaced under the running service. Each time: clear
// words, nothing corrupted, and the agent works again once the fault is gone.
#include "AgentHarness.h"
#include "ServerAgentFixture.h"
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTimer>
#include <QtTest>

#include <csignal>
#include <unistd.h>

using namespace oco::test;

namespace {
const QString kHost = QStringLiteral("pc1");
const QString kAgentKey = QStringLiteral("individualkey0000000000000000a");
const QString kServerKey = QStringLiteral("serverkey000000000000000000000");

// Runs a command to the end, serving the event loop (the test server lives in this process).
struct Ran
{
    int exitCode = -1;
    QString output;
};
Ran runCommand(const QString &program, const QStringList &args, const QProcessEnvironment &env = {})
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&p, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    p.start(program, args);
    loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    Ran r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit && p.error() != QProcess::FailedToStart ? p.exitCode() : -1;
    r.output = QString::fromLocal8Bit(p.readAll()) + p.errorString();
    return r;
}

// A mount made by the test, undone when the scope ends even if a check fails.
struct Mount
{
    QString path;
    QString error;
    bool ok = false;
    Mount(const QStringList &args, const QString &where)
        : path(where)
    {
        const Ran r = runCommand(QStringLiteral("mount"), args);
        ok = r.exitCode == 0;
        error = r.output.trimmed();
    }
    ~Mount()
    {
        if (ok)
            runCommand(QStringLiteral("umount"), {QStringLiteral("-l"), path});
    }
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}
} // namespace

class TestFsFaults : public QObject, protected ServerAgentFixture
{
    Q_OBJECT

private:
    void writeConfig(const QString &extra = {})
    {
        m_agent->writeConfig(
            QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nquery-interval = 1\n%4\n[server]\n"
                           "api-url = %2\npayload-url = %3\nserver-key = %5\nprotocol = 2021\n")
                .arg(kAgentKey, m_server->apiUrl().toString(), m_server->payloadUrl().toString(), extra, kServerKey));
    }

    void addJob(int id, const QString &packageId, const QByteArray &zip)
    {
        m_server->addPackage(packageId, zip);
        m_server->addJob(kHost, id, id, packageId.toInt(), QStringLiteral("./install.sh"));
    }

    static QByteArray smallPackage()
    {
        return ZipBuilder().file(QStringLiteral("install.sh"), "#!/bin/sh\necho installed\n", 0755).build();
    }

    // Every JSON file of the state dir parses, no temporary file or staging directory is left behind.
    void checkStateIntact()
    {
        QDirIterator it(m_agent->stateDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(!path.contains(QStringLiteral(".tmp-")), qPrintable(QStringLiteral("left behind: ") + path));
            if (path.endsWith(QStringLiteral(".json"))) {
                QJsonParseError e;
                QVERIFY2(QJsonDocument::fromJson(readAll(path), &e).isObject(), qPrintable(path + e.errorString()));
            }
        }
        QVERIFY(!QJsonDocument::fromJson(readAll(m_agent->stateDir() + QStringLiteral("/journal.json")))
                     .object()
                     .contains(QStringLiteral("running")));
        QVERIFY(QDir(m_agent->stateDir() + QStringLiteral("/staging"))
                    .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                    .isEmpty());
    }

    void requireRoot()
    {
        if (::geteuid() != 0)
            QSKIP("needs root (mounts); CI runs as root");
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startServerAndAgent(kHost));
        m_server->addComputer(kHost, kAgentKey, kServerKey);
        writeConfig();
        QVERIFY(QDir().mkpath(m_agent->stateDir()));
    }
    void cleanup() { stopServerAndAgent(); }

    // Another user (the service started without root): refused at start, in words, nothing touched.
    void stateDirOfAnotherUser()
    {
        const QByteArray state = "{\n    \"individual-agent-key-received\": true\n}\n";
        const QByteArray journal = "{\n    \"undelivered\": [{\"job-id\": 7, \"state\": 3, \"return-code\": 0, "
                                   "\"message\": \"\"}]\n}\n";
        QFile::remove(m_agent->stateDir() + QStringLiteral("/state.json"));
        QVERIFY(QFile(m_agent->stateDir() + QStringLiteral("/state.json")).open(QIODevice::WriteOnly));
        {
            QFile f(m_agent->stateDir() + QStringLiteral("/state.json"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(state);
            QFile j(m_agent->stateDir() + QStringLiteral("/journal.json"));
            QVERIFY(j.open(QIODevice::WriteOnly));
            j.write(journal);
        }
        QStringList prefix;
        if (::geteuid() == 0) {
            const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
            if (setpriv.isEmpty())
                QSKIP("setpriv (util-linux) is missing: cannot run the agent as another user");
            // The agent as nobody: it may read its config but not write the root-owned state dir.
            prefix << setpriv << QStringLiteral("--reuid=65534") << QStringLiteral("--regid=65534")
                   << QStringLiteral("--clear-groups");
            QFile::setPermissions(m_agent->dir(),
                                  QFile::permissions(m_agent->dir()) | QFile::ReadOther | QFile::ExeOther);
            QFile::setPermissions(m_agent->configPath(), QFile::permissions(m_agent->configPath()) | QFile::ReadOther);
            QFile::setPermissions(m_agent->stateDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                           QFile::ReadOther | QFile::ExeOther);
            const Ran probe = runCommand(prefix.first(), prefix.mid(1) + QStringList{QStringLiteral("/bin/true")});
            if (probe.exitCode != 0)
                QSKIP(qPrintable(QStringLiteral("this sandbox does not let setpriv change users: ") + probe.output));
        } else {
            QFile::setPermissions(m_agent->stateDir(), QFile::ReadOwner | QFile::ExeOwner);
        }
        QStringList command = prefix;
        command << QStringLiteral(OCO_AGENT_BIN) << QStringLiteral("--config") << m_agent->configPath()
                << QStringLiteral("--state-dir") << m_agent->stateDir() << QStringLiteral("--once");
        const Ran r = runCommand(command.first(), command.mid(1), m_agent->environment);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.output.contains(QStringLiteral("the state directory %1 is not writable for this user (Permission denied)")
                                  .arg(m_agent->stateDir())),
            qPrintable(r.output));
        QCOMPARE(m_server->requests.size(), 0);
        QCOMPARE(readAll(m_agent->stateDir() + QStringLiteral("/state.json")), state);
        QCOMPARE(readAll(m_agent->stateDir() + QStringLiteral("/journal.json")), journal);
        QFile::setPermissions(m_agent->stateDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    // The file system of the state dir turns read-only under the running service (as after I/O errors):
    // the job in that cycle fails with the reason, the service goes on, and works once it is writable.
    void stateDirTurnsReadOnlyWhileRunning()
    {
        requireRoot();
        const QString dir = m_agent->stateDir();
        QString log;
        auto proc = m_agent->start({QStringLiteral("--daemon")});
        QObject::connect(proc.get(), &QProcess::readyReadStandardError,
                         [&] { log += QString::fromUtf8(proc->readAllStandardError()); });
        QVERIFY(proc->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->computer(kHost)->inventoryUploads == 1, 20000);
        {
            // A read-only bind mount over the state dir: from now on every path in it is read-only for the
            // service (its open lock file stays on the original mount, so the remount is allowed).
            Mount bind({QStringLiteral("--bind"), dir, dir}, dir);
            if (!bind.ok)
                QSKIP(qPrintable(QStringLiteral("this sandbox does not permit bind mounts: ") + bind.error));
            const Ran ro =
                runCommand(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,bind,ro"), dir});
            QVERIFY2(ro.exitCode == 0, qPrintable(ro.output));
            addJob(601, QStringLiteral("61"), smallPackage());
            QTRY_VERIFY_WITH_TIMEOUT(m_server->job(601)->state == -1, 20000);
            QVERIFY2(m_server->job(601)->message.contains(QStringLiteral("cannot create a staging directory under")),
                     qPrintable(m_server->job(601)->message));
            QCOMPARE(proc->state(), QProcess::Running);

            // Started on a read-only state dir, an agent says so and stops (root ignores permissions, not ro).
            AgentHarness::Run second = m_agent->run();
            QCOMPARE(second.exitCode, 2);
            QVERIFY2(second.output.contains(QStringLiteral("is not writable for this user (Read-only file system)")),
                     qPrintable(second.output));
        } // unmounted: writable again
        addJob(602, QStringLiteral("62"), smallPackage());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->job(602)->state == 3, 20000);
        QSignalSpy finished(proc.get(), &QProcess::finished);
        ::kill(static_cast<pid_t>(proc->processId()), SIGTERM);
        QVERIFY(finished.wait(20000));
        QCOMPARE(proc->exitCode(), 0);
        checkStateIntact();
    }

    void diskFullWhileDownloading_data()
    {
        QTest::addColumn<bool>("download"); // true: the package itself is too big; false: what it expands to
        QTest::newRow("package larger than the disk") << true;
        QTest::newRow("package expands beyond the disk") << false;
    }
    void diskFullWhileDownloading()
    {
        QFETCH(bool, download);
        requireRoot();
        const QString dir = m_agent->stateDir();
        Mount tmpfs({QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                     QStringLiteral("size=2m,mode=0700"), QStringLiteral("tmpfs"), dir},
                    dir);
        if (!tmpfs.ok)
            QSKIP(qPrintable(QStringLiteral("this sandbox does not permit mounting a tmpfs: ") + tmpfs.error));
        QByteArray big(3 * 1024 * 1024, '\0');
        if (download) {
            auto *words = reinterpret_cast<quint32 *>(big.data());
            QRandomGenerator(42).fillRange(words, big.size() / 4); // incompressible: the ZIP stays 3 MiB
        }
        addJob(701, QStringLiteral("71"),
               ZipBuilder()
                   .file(QStringLiteral("install.sh"), "#!/bin/sh\necho installed\n", 0755)
                   .file(QStringLiteral("big.bin"), big)
                   .build());
        const auto run = m_agent->run();
        QVERIFY2(run.exitCode == 0, qPrintable(run.output)); // the failure was reported to the server
        const QString message = m_server->job(701)->message;
        QCOMPARE(m_server->job(701)->state, -1);
        QVERIFY2(message.contains(download ? QStringLiteral("download failed: cannot write the download")
                                           : QStringLiteral("cannot write 'big.bin'")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("No space left on device")), qPrintable(message));
        checkStateIntact();
        // The space is given back.
        QVERIFY(QStorageInfo(dir).bytesFree() > 1536 * 1024);

        // The next job, small enough, runs on the same disk.
        addJob(702, QStringLiteral("72"), smallPackage());
        const auto next = m_agent->run();
        QVERIFY2(next.exitCode == 0, qPrintable(next.output));
        QCOMPARE(m_server->job(702)->state, 3);
        checkStateIntact();
    }

    // The service reads its config once. Deleted or replaced under it, it goes on with what it loaded and
    // says so once per change, in words that tell whether the new file would load.
    void configDeletedOrReplacedWhileRunning()
    {
        QString log;
        auto proc = m_agent->start({QStringLiteral("--daemon")});
        QObject::connect(proc.get(), &QProcess::readyReadStandardError,
                         [&] { log += QString::fromUtf8(proc->readAllStandardError()); });
        QVERIFY(proc->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->countRequests(QStringLiteral("oco.agent_hello")) >= 1, 20000);
        auto helloCount = [&] { return m_server->countRequests(QStringLiteral("oco.agent_hello")); };

        QVERIFY(QFile::remove(m_agent->configPath()));
        int before = helloCount();
        QTRY_VERIFY_WITH_TIMEOUT(helloCount() >= before + 2, 20000);
        QVERIFY2(log.contains(QStringLiteral("the configuration file %1 was deleted; the service goes on")
                                  .arg(m_agent->configPath())),
                 qPrintable(log));
        QCOMPARE(log.count(QStringLiteral("was deleted")), 1); // once per change, not every cycle

        m_agent->writeConfig(QStringLiteral("[agent\nagent-key = x\n"));
        before = helloCount();
        QTRY_VERIFY_WITH_TIMEOUT(helloCount() >= before + 2, 20000);
        QVERIFY2(log.contains(QStringLiteral("was changed and does not load (%1:1: malformed section header")
                                  .arg(m_agent->configPath())),
                 qPrintable(log));

        writeConfig(QStringLiteral("debug = 0\n"));
        before = helloCount();
        QTRY_VERIFY_WITH_TIMEOUT(helloCount() >= before + 2, 20000);
        QVERIFY2(log.contains(QStringLiteral("was changed; the service goes on with the configuration loaded at start: "
                                             "restart it to apply the change")),
                 qPrintable(log));
        QCOMPARE(proc->state(), QProcess::Running);
        QVERIFY(!log.contains(QStringLiteral("contact failed")));

        QSignalSpy finished(proc.get(), &QProcess::finished);
        ::kill(static_cast<pid_t>(proc->processId()), SIGTERM);
        QVERIFY(finished.wait(20000));
        QCOMPARE(proc->exitCode(), 0);
        checkStateIntact();
    }
};

QTEST_GUILESS_MAIN(TestFsFaults)
#include "tst_fsfaults.moc"
