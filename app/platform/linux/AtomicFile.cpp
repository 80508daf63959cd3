#include "platform/SecureFile.h"

#include "FileWrites.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QMutex>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace oco::platform {

namespace {
QString errnoText(const QString &what, const QString &path)
{
    return QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(errno)));
}
} // namespace

namespace {
// Temporary files this process made but could not remove (the file system had turned read-only): removed
// after the next write that works.
QMutex g_leftoversLock;
QList<QByteArray> g_leftovers;

void removeTemporary(const QByteArray &tmp)
{
    if (::unlink(tmp.constData()) != 0 && errno != ENOENT) {
        const QMutexLocker lock(&g_leftoversLock);
        g_leftovers.append(tmp);
    }
}

void removeLeftovers()
{
    const QMutexLocker lock(&g_leftoversLock);
    g_leftovers.erase(
        std::remove_if(g_leftovers.begin(), g_leftovers.end(),
                       [](const QByteArray &tmp) { return ::unlink(tmp.constData()) == 0 || errno == ENOENT; }),
        g_leftovers.end());
}
} // namespace

bool writeFileAtomic(const QString &path, const QByteArray &data, int mode, QString *error)
{
    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    QByteArray tmpl = QFile::encodeName(info.absoluteFilePath()) + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        if (error)
            *error = errnoText(QStringLiteral("cannot create a temporary file beside"), path);
        return false;
    }
    auto fail = [&](const QString &what) {
        if (error)
            *error = errnoText(what, path);
        ::close(fd);
        removeTemporary(tmpl);
        return false;
    };
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0)
        return fail(QStringLiteral("cannot set the mode of"));
    if (!posix::writeAll(fd, data))
        return fail(QStringLiteral("cannot write"));
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot flush"));
    if (::close(fd) != 0) {
        removeTemporary(tmpl);
        if (error)
            *error = errnoText(QStringLiteral("cannot close"), path);
        return false;
    }
    if (::rename(tmpl.constData(), QFile::encodeName(info.absoluteFilePath()).constData()) != 0) {
        if (error)
            *error = errnoText(QStringLiteral("cannot replace"), path);
        removeTemporary(tmpl);
        return false;
    }
    posix::syncDirectory(AT_FDCWD, dir.constData());
    // An earlier write of this file that was cut short may have left its temporary file: a crash between
    // creating and renaming it, or a file system that turned read-only in between (then not even the
    // unlink above works). Those are stale now that the file itself could be replaced.
    const QStringList stale =
        QDir(info.absolutePath())
            .entryList({info.fileName() + QStringLiteral(".tmp-??????")}, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : stale)
        QFile::remove(info.absolutePath() + QLatin1Char('/') + name);
    removeLeftovers();
    return true;
}

bool makeDirectoryPrivate(const QString &dir, QString *reason)
{
    const QByteArray path = QFile::encodeName(dir);
    ::chmod(path.constData(), 0700);
    if (::access(path.constData(), W_OK | X_OK) == 0)
        return true;
    *reason = QString::fromLocal8Bit(std::strerror(errno));
    return false;
}

} // namespace oco::platform
