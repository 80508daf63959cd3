// Extraction of packages with libarchive: hostile entries refused, permissions restored, limits enforced.
// Every case runs twice: in this process (extractArchive) and through oco-agent-unpack, the separate
// process the service uses (extractPackage); the latter also has to fail clearly when the extractor
// crashes, hangs, answers garbage or is missing.
#include "ZipBuilder.h"
#include "jobs/Archive.h"
#include "jobs/Unpack.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace oco;

// For the cases only the separate process can go through: skipped in the in-process row.
#define ONLY_THROUGH_THE_HELPER()                                                                                      \
    do {                                                                                                               \
        QFETCH_GLOBAL(bool, viaHelper);                                                                                \
        if (!viaHelper)                                                                                                \
            QSKIP("only for oco-agent-unpack");                                                                        \
    } while (false)
using oco::test::ZipBuilder;

class TestArchive : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_n = 0;

    // Writes the archive, extracts it into <tmp>/N/root and returns the result; <tmp>/N is where an
    // escaping entry would land.
    ExtractResult extract(const ZipBuilder &zip, QString *root, const ExtractLimits &limits = {})
    {
        const QString base = m_tmp.filePath(QString::number(++m_n));
        *root = base + QStringLiteral("/root");
        QDir().mkpath(*root);
        const QString path = base + QStringLiteral("/package.zip");
        if (!zip.writeTo(path))
            qFatal("cannot write the test archive");
        return run(path, *root, limits);
    }
    static ExtractResult run(const QString &archive, const QString &root, const ExtractLimits &limits = {})
    {
        QFETCH_GLOBAL(bool, viaHelper);
        return viaHelper ? extractPackage(archive, root, limits) : extractArchive(archive, root, limits);
    }
    // A stand-in for oco-agent-unpack: a shell script with the given body.
    QString fakeHelper(const QByteArray &body)
    {
        const QString path = m_tmp.filePath(QStringLiteral("fake-unpack-%1").arg(++m_n));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write("#!/bin/sh\n" + body + "\n") < 0)
            qFatal("cannot write the fake extractor");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return path;
    }
    ExtractResult extractWith(const QString &helper, double timeoutSecs = 3600)
    {
        const QString base = m_tmp.filePath(QString::number(++m_n));
        QDir().mkpath(base + QStringLiteral("/root"));
        const QString path = base + QStringLiteral("/package.zip");
        if (!ZipBuilder().file(QStringLiteral("a.txt"), "a").writeTo(path))
            qFatal("cannot write the test archive");
        qputenv("OCO_UNPACK_HELPER", helper.toLocal8Bit());
        const ExtractResult r = extractPackage(path, base + QStringLiteral("/root"), {}, timeoutSecs);
        qputenv("OCO_UNPACK_HELPER", OCO_UNPACK_BIN);
        return r;
    }
    // Nothing except the archive beside root, and nothing was created above the temp dir.
    void verifyNothingOutside(const QString &root)
    {
        const QDir base(QFileInfo(root).path());
        QCOMPARE(base.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden),
                 (QStringList{QStringLiteral("package.zip"), QStringLiteral("root")}));
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("viaHelper");
        QTest::newRow("in-process") << false;
        QTest::newRow("oco-agent-unpack") << true;
    }
    void initTestCase() { qputenv("OCO_UNPACK_HELPER", OCO_UNPACK_BIN); }

    void lexicalCheck()
    {
        QVERIFY(staysInside(QStringLiteral("a/b/../c")));
        QVERIFY(staysInside(QStringLiteral("./a")));
        QVERIFY(!staysInside(QStringLiteral("../a")));
        QVERIFY(!staysInside(QStringLiteral("a/../../b")));
        QVERIFY(!staysInside(QStringLiteral("/etc/passwd")));
        QVERIFY(!staysInside(QString()));
    }

    void normalPackageWithExecutableScript()
    {
        QString root;
        const ExtractResult r =
            extract(ZipBuilder()
                        .dir(QStringLiteral("bin"), 0750)
                        .file(QStringLiteral("bin/install.sh"), "#!/bin/sh\necho installed $1\n", 0755)
                        .file(QStringLiteral("data/readme.txt"), "hello\n", 0640)
                        .symlink(QStringLiteral("run"), QStringLiteral("bin/install.sh")),
                    &root);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.entries, 4);
        const QString script = root + QStringLiteral("/bin/install.sh");
        QCOMPARE(QFileInfo(script).permissions() & (QFile::ExeOwner | QFile::ReadOwner),
                 QFile::ExeOwner | QFile::ReadOwner);
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(root + QStringLiteral("/data/readme.txt")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0640u);
        QCOMPARE(::stat(QFile::encodeName(root + QStringLiteral("/bin")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0750u);
        // The script really runs, also through the in-package symlink.
        QProcess p;
        p.setWorkingDirectory(root);
        p.start(QStringLiteral("./run"), {QStringLiteral("ok")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput(), QByteArray("installed ok\n"));
        verifyNothingOutside(root);
    }

    void setuidBitsDropped()
    {
        QString root;
        const ExtractResult r = extract(ZipBuilder().file(QStringLiteral("suid"), "x", 04755), &root);
        QVERIFY2(r.ok, qPrintable(r.error));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(root + QStringLiteral("/suid")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0755u);
    }

    void hostile_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zip-slip ../") << 0 << QStringLiteral("points outside");
        QTest::newRow("zip-slip nested") << 1 << QStringLiteral("points outside");
        QTest::newRow("absolute path") << 2 << QStringLiteral("absolute path");
        QTest::newRow("symlink to ..") << 3 << QStringLiteral("symlink 'evil'");
        QTest::newRow("symlink absolute") << 4 << QStringLiteral("symlink 'evil'");
        QTest::newRow("symlink chain via link to .") << 5 << QStringLiteral("symlink");
        QTest::newRow("file through a symlink") << 6 << QStringLiteral("through a symlink");
        QTest::newRow("backslash slip") << 9 << QStringLiteral("points outside");
    }
    void hostile()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        ZipBuilder z;
        z.file(QStringLiteral("good.txt"), "fine");
        switch (kind) {
        case 0:
            z.file(QStringLiteral("../escaped.txt"), "pwned");
            break;
        case 1:
            z.file(QStringLiteral("a/b/../../../escaped.txt"), "pwned");
            break;
        case 2:
            z.file(m_tmp.filePath(QStringLiteral("escaped-abs.txt")), "pwned");
            break;
        case 3:
            z.symlink(QStringLiteral("evil"), QStringLiteral("../"));
            break;
        case 4:
            z.symlink(QStringLiteral("evil"), QStringLiteral("/etc"));
            break;
        case 5: // each link looks harmless alone; together "up/.." is the parent of the root
            z.symlink(QStringLiteral("sneaky"), QStringLiteral("up/.."));
            z.symlink(QStringLiteral("up"), QStringLiteral("."));
            break;
        case 6:
            z.symlink(QStringLiteral("dir"), QStringLiteral("sub"));
            z.dir(QStringLiteral("sub"));
            z.file(QStringLiteral("dir/x.txt"), "through the link");
            break;
        case 9:
            z.file(QStringLiteral("..\\escaped.txt"), "pwned");
            break;
        }
        z.file(QStringLiteral("after.txt"), "after");
        QString root;
        const ExtractResult r = extract(z, &root);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("refused a hostile package")), qPrintable(r.error));
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
        // Checked before anything is written: not even the harmless first entry was extracted.
        QVERIFY(QDir(root).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden));
        verifyNothingOutside(root);
    }

    void hardLinkInZipIsHarmless()
    {
        // ZIP has no hard links: libarchive's writer stores such an entry as an empty file and its ZIP reader
        // never reports a link. What matters: the file outside is neither linked nor changed.
        const QString base = m_tmp.filePath(QStringLiteral("hlzip"));
        QDir().mkpath(base + QStringLiteral("/root"));
        QFile victim(base + QStringLiteral("/victim.txt"));
        QVERIFY(victim.open(QIODevice::WriteOnly));
        victim.write("secret");
        victim.close();
        QVERIFY(ZipBuilder()
                    .hardlink(QStringLiteral("evil"), QStringLiteral("../victim.txt"))
                    .file(QStringLiteral("evil"), "overwrite through the link")
                    .writeTo(base + QStringLiteral("/p.zip")));
        extractArchive(base + QStringLiteral("/p.zip"), base + QStringLiteral("/root"));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(victim.fileName()).constData(), &st), 0);
        QCOMPARE(st.st_nlink, static_cast<nlink_t>(1));
        QVERIFY(victim.open(QIODevice::ReadOnly));
        QCOMPARE(victim.readAll(), QByteArray("secret"));
    }

    void hardLinksInTar_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected"); // empty: allowed
        QTest::newRow("relative out") << QStringLiteral("../victim.txt")
                                      << QStringLiteral("hard link 'hl' points outside");
        QTest::newRow("deep out") << QStringLiteral("a/../../../victim.txt")
                                  << QStringLiteral("hard link 'hl' points outside");
        QTest::newRow("absolute") << QStringLiteral("VICTIM") << QStringLiteral("hard link 'hl' points outside");
        QTest::newRow("to a symlink of the package")
            << QStringLiteral("link") << QStringLiteral("not a file of the package");
        QTest::newRow("inside") << QStringLiteral("a/data.txt") << QString();
    }
    void hardLinksInTar()
    {
        QFETCH(QString, target);
        QFETCH(QString, expected);
        const QString base = m_tmp.filePath(QStringLiteral("hltar%1").arg(++m_n));
        QDir().mkpath(base + QStringLiteral("/root"));
        QFile victim(base + QStringLiteral("/victim.txt"));
        QVERIFY(victim.open(QIODevice::WriteOnly));
        victim.write("secret");
        victim.close();
        if (target == QLatin1String("VICTIM"))
            target = victim.fileName();
        QFile tar(base + QStringLiteral("/p.tar"));
        QVERIFY(tar.open(QIODevice::WriteOnly));
        tar.write(ZipBuilder()
                      .file(QStringLiteral("a/data.txt"), "data")
                      .symlink(QStringLiteral("link"), QStringLiteral("a/data.txt"))
                      .hardlink(QStringLiteral("hl"), target)
                      .buildTar());
        tar.close();
        const ExtractResult r = extractArchive(tar.fileName(), base + QStringLiteral("/root"));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(victim.fileName()).constData(), &st), 0);
        QCOMPARE(st.st_nlink, static_cast<nlink_t>(1)); // never linked to
        if (expected.isEmpty()) {
            QVERIFY2(r.ok, qPrintable(r.error));
            QCOMPARE(::stat(QFile::encodeName(base + QStringLiteral("/root/hl")).constData(), &st), 0);
            QCOMPARE(st.st_nlink, static_cast<nlink_t>(2));
        } else {
            QVERIFY(!r.ok);
            QVERIFY2(r.error.contains(QStringLiteral("refused a hostile package")), qPrintable(r.error));
            QVERIFY2(r.error.contains(expected), qPrintable(r.error));
            QVERIFY(QDir(base + QStringLiteral("/root")).isEmpty());
        }
    }

    void zipBombRefused()
    {
        // 200 MiB of zeros deflate to about 200 KiB; the configured limit is 10 MiB.
        const QString base = m_tmp.filePath(QStringLiteral("bomb"));
        QDir().mkpath(base + QStringLiteral("/root"));
        QVERIFY(ZipBuilder()
                    .file(QStringLiteral("setup.sh"), "echo hi\n", 0755)
                    .zeros(QStringLiteral("bomb.bin"), 200LL * 1024 * 1024)
                    .writeTo(base + QStringLiteral("/bomb.zip")));
        QVERIFY(QFileInfo(base + QStringLiteral("/bomb.zip")).size() < 2 * 1024 * 1024);
        ExtractLimits limits;
        limits.maxTotalBytes = 10LL * 1024 * 1024;
        const ExtractResult r =
            extractArchive(base + QStringLiteral("/bomb.zip"), base + QStringLiteral("/root"), limits);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("zip bomb")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("10 MiB")), qPrintable(r.error));
        // Refused from the declared sizes: nothing big was written.
        QVERIFY(!QFileInfo::exists(base + QStringLiteral("/root/bomb.bin")) ||
                QFileInfo(base + QStringLiteral("/root/bomb.bin")).size() <= limits.maxTotalBytes);
    }

    void sizesOfAllEntriesAddUp()
    {
        // Neither entry alone exceeds the limit; together they do.
        ExtractLimits limits;
        limits.maxTotalBytes = 1024 * 1024;
        QString root;
        const ExtractResult r =
            extract(ZipBuilder().zeros(QStringLiteral("z1"), 600 * 1024).zeros(QStringLiteral("z2"), 600 * 1024), &root,
                    limits);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("extract-max-mib")), qPrintable(r.error));
    }

    void lyingDeclaredSizeStillLimited()
    {
        // A stored entry of 2 MiB whose headers claim 1000 bytes: the first pass believes the claim; while
        // writing, libarchive refuses data beyond the declared size (and our count would stop it next).
        QByteArray zip = ZipBuilder().stored().zeros(QStringLiteral("liar.bin"), 2 * 1024 * 1024).build();
        auto patch32 = [&](qsizetype at, quint32 v) {
            for (int i = 0; i < 4; ++i)
                zip[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
        };
        const qsizetype local = zip.indexOf(QByteArray("PK\x03\x04", 4));
        const qsizetype central = zip.indexOf(QByteArray("PK\x01\x02", 4));
        QVERIFY(local >= 0 && central > local);
        patch32(local + 22, 1000);   // local header: uncompressed size
        patch32(central + 24, 1000); // central directory: uncompressed size
        const QString base = m_tmp.filePath(QStringLiteral("liar"));
        QDir().mkpath(base + QStringLiteral("/root"));
        QFile f(base + QStringLiteral("/liar.zip"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(zip);
        f.close();
        ExtractLimits limits;
        limits.maxTotalBytes = 1024 * 1024;
        const ExtractResult r = extractArchive(f.fileName(), base + QStringLiteral("/root"), limits);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("liar.bin")), qPrintable(r.error));
        QVERIFY(QFileInfo(base + QStringLiteral("/root/liar.bin")).size() <= 1000);
    }

    void tooManyEntries()
    {
        ZipBuilder z;
        for (int i = 0; i < 30; ++i)
            z.file(QStringLiteral("f%1").arg(i), "x");
        ExtractLimits limits;
        limits.maxEntries = 20;
        QString root;
        const ExtractResult r = extract(z, &root, limits);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("more than 20 entries")), qPrintable(r.error));
        QVERIFY(QDir(root).isEmpty());
    }

    void corruptArchive_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray good = ZipBuilder().file(QStringLiteral("a.txt"), QByteArray(5000, 'a')).build();
        QTest::newRow("not a zip") << QByteArray("this is an HTML error page, not a package");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << good.left(good.size() / 2);
        QByteArray flipped = good;
        for (int i = 40; i < 80; ++i)
            flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
        QTest::newRow("damaged data") << flipped;
    }
    void corruptArchive()
    {
        QFETCH(QByteArray, bytes);
        const QString base = m_tmp.filePath(QStringLiteral("corrupt%1").arg(++m_n));
        QDir().mkpath(base + QStringLiteral("/root"));
        QFile f(base + QStringLiteral("/p.zip"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const ExtractResult r = run(f.fileName(), base + QStringLiteral("/root"));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(QStringLiteral("ZIP")) || r.error.contains(QStringLiteral("corrupt")),
                 qPrintable(r.error));
    }

    // What only the separate process can go through: each ends in a failed extraction with a plain reason.
    void extractorFailsClearly_data()
    {
        QTest::addColumn<QByteArray>("script"); // the fake extractor's body; empty: no extractor at all
        QTest::addColumn<double>("timeout");
        QTest::addColumn<QString>("expected");
        QTest::newRow("crashes") << QByteArray("kill -SEGV $$") << 3600.0
                                 << QStringLiteral("the package extractor crashed (signal 11)");
        QTest::newRow("hangs") << QByteArray("exec sleep 600") << 0.2
                               << QStringLiteral("did not finish within 0.2 s and was stopped");
        QTest::newRow("answers garbage") << QByteArray("echo 'not json'; echo 'libarchive exploded' >&2; exit 3")
                                         << 3600.0 << QStringLiteral("failed (exit status 3): libarchive exploded");
        QTest::newRow("says ok but fails")
            << QByteArray("echo '{\"ok\":true}'; exit 1") << 3600.0 << QStringLiteral("exit status 1");
        QTest::newRow("missing") << QByteArray() << 3600.0 << QStringLiteral("cannot run the package extractor");
    }
    void extractorFailsClearly()
    {
        ONLY_THROUGH_THE_HELPER();
        QFETCH(QByteArray, script);
        QFETCH(double, timeout);
        QFETCH(QString, expected);
        const QString helper =
            script.isEmpty() ? m_tmp.filePath(QStringLiteral("no-such-extractor")) : fakeHelper(script);
        const ExtractResult r = extractWith(helper, timeout);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    }
    void extractorRefusesBadArguments()
    {
        ONLY_THROUGH_THE_HELPER();
        QProcess p;
        p.start(QStringLiteral(OCO_UNPACK_BIN),
                {QStringLiteral("a.zip"), QStringLiteral("dir"), QStringLiteral("-1"), QStringLiteral("10")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("must be positive"));
    }
};

QTEST_MAIN(TestArchive)
#include "tst_archive.moc"
