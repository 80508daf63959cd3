// Package extraction (app/jobs/Archive): any bytes as a downloaded package are extracted or refused in
// words; nothing is ever written outside the destination, and no link left inside points out of it.
#include "FuzzSupport.h"
#include "jobs/Archive.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <sys/stat.h>

using namespace oco;

namespace {
// Lexical resolution of a link inside `root`: true when it stays there.
bool linkStaysInside(const QString &root, const QString &link)
{
    const QString target =
        QFileInfo(link).symLinkTarget().isEmpty() ? QFile::symLinkTarget(link) : QFileInfo(link).symLinkTarget();
    const QString resolved = QDir::cleanPath(target);
    return resolved == root || resolved.startsWith(root + QLatin1Char('/'));
}

void makeRemovable(const QString &dir)
{
    ::chmod(QFile::encodeName(dir).constData(), 0700);
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (!it.fileInfo().isSymLink())
            ::chmod(QFile::encodeName(p).constData(), it.fileInfo().isDir() ? 0700 : 0600);
    }
}
} // namespace

OCO_FUZZ_TARGET
{
    static const QString root = fuzz::scratchDir() + QStringLiteral("/archive");
    const QString package = root + QStringLiteral("/package.zip");
    const QString dest = root + QStringLiteral("/out/package");
    QDir(root).removeRecursively();
    QDir().mkpath(dest);
    fuzz::writeFile(package, fuzz::bytes(data, size));

    ExtractLimits limits;
    limits.maxTotalBytes = 4 * 1024 * 1024; // keeps each run fast; the check is the same as with 16 GiB
    limits.maxEntries = 1000;
    const ExtractResult r = extractArchive(package, dest, limits);
    FUZZ_CHECK(r.ok || !r.error.isEmpty(), QString());
    FUZZ_CHECK(r.bytes <= limits.maxTotalBytes + 64 * 1024 * 1024, QString::number(r.bytes));
    FUZZ_CHECK(QDir::currentPath() != dest, QStringLiteral("the working directory was not restored"));

    // Nothing appeared beside the destination...
    QDirIterator top(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    while (top.hasNext()) {
        const QString p = top.next();
        FUZZ_CHECK(p == package || p == root + QStringLiteral("/out"), QStringLiteral("written outside: ") + p);
    }
    QDirIterator out(root + QStringLiteral("/out"),
                     QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    while (out.hasNext()) {
        const QString p = out.next();
        FUZZ_CHECK(p == dest, QStringLiteral("written outside: ") + p);
    }
    // ...and every link inside points inside.
    QDirIterator in(dest, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (in.hasNext()) {
        const QString p = in.next();
        if (in.fileInfo().isSymLink())
            FUZZ_CHECK(linkStaysInside(dest, p), p + QStringLiteral(" -> ") + QFile::symLinkTarget(p));
        struct stat st
        {
        };
        if (::lstat(QFile::encodeName(p).constData(), &st) == 0)
            FUZZ_CHECK((st.st_mode & (S_ISUID | S_ISGID)) == 0, QStringLiteral("setuid/setgid kept: ") + p);
    }
    makeRemovable(root);
    return 0;
}
