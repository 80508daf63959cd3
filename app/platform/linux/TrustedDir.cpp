#include "platform/SecureFile.h"

#include "FileWrites.h"
#include "core/Log.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStringList>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace oco::platform {

namespace {

QString errnoString()
{
    return QString::fromLocal8Bit(::strerror(errno));
}

} // namespace

TrustedDir::~TrustedDir()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TrustedDir::ownedByUs(unsigned uid)
{
    return uid == 0 || uid == ::geteuid();
}

void TrustedDir::reopenRoot()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

bool TrustedDir::open(const QString &path, bool create, QString *error)
{
    QStringList pending = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QStringList walked; // the real directories from / to where m_fd is
    reopenRoot();
    if (m_fd < 0) {
        *error = QStringLiteral("cannot open /: %1").arg(errnoString());
        return false;
    }
    if (!trusted(QStringLiteral("/"), true, error))
        return false;
    int links = 0;
    while (!pending.isEmpty()) {
        const QString name = pending.takeFirst();
        if (name == QLatin1String("."))
            continue;
        if (name == QLatin1String("..")) { // only from a link's target: walk again to the parent
            if (!walked.isEmpty())
                walked.removeLast();
            pending = walked + pending;
            walked.clear();
            reopenRoot();
            continue;
        }
        const QByteArray n = QFile::encodeName(name);
        const QString here = QLatin1Char('/') + (walked + QStringList{name}).join(QLatin1Char('/'));
        struct stat st
        {
        };
        if (::fstatat(m_fd, n.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT || !create) {
                *error = QStringLiteral("cannot use the directory %1: %2").arg(here, errnoString());
                return false;
            }
            if ((::mkdirat(m_fd, n.constData(), 0755) != 0 && errno != EEXIST) ||
                ::fstatat(m_fd, n.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                *error = QStringLiteral("cannot create the directory %1: %2").arg(here, errnoString());
                return false;
            }
        }
        if (S_ISLNK(st.st_mode)) {
            if (!ownedByUs(st.st_uid)) {
                *error = QStringLiteral("%1 is a symbolic link owned by uid %2, not by root").arg(here).arg(st.st_uid);
                return false;
            }
            char buf[PATH_MAX];
            const ssize_t len = ::readlinkat(m_fd, n.constData(), buf, sizeof buf);
            if (len <= 0 || len >= static_cast<ssize_t>(sizeof buf) || ++links > 40) {
                *error = QStringLiteral("cannot follow the symbolic link %1").arg(here);
                return false;
            }
            const QString target = QFile::decodeName(QByteArray(buf, static_cast<int>(len)));
            pending = target.split(QLatin1Char('/'), Qt::SkipEmptyParts) + pending;
            if (target.startsWith(QLatin1Char('/'))) {
                walked.clear();
                reopenRoot();
            }
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            *error = QStringLiteral("%1 is not a directory").arg(here);
            return false;
        }
        const int next = ::openat(m_fd, n.constData(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            *error = QStringLiteral("cannot open the directory %1: %2").arg(here, errnoString());
            return false;
        }
        ::close(m_fd);
        m_fd = next;
        walked << name;
        if (!trusted(here, true, error))
            return false;
    }
    return trusted(QLatin1Char('/') + walked.join(QLatin1Char('/')), false, error);
}

bool TrustedDir::trusted(const QString &where, bool ancestor, QString *error) const
{
    struct stat st
    {
    };
    if (::fstat(m_fd, &st) != 0) {
        *error = QStringLiteral("cannot check the directory %1: %2").arg(where, errnoString());
        return false;
    }
    if (!ownedByUs(st.st_uid)) {
        *error = QStringLiteral("%1 belongs to uid %2, not to root, so another user could change what is in it")
                     .arg(where)
                     .arg(st.st_uid);
        return false;
    }
    if ((st.st_mode & 022) != 0 && !(ancestor && (st.st_mode & S_ISVTX))) {
        *error = QStringLiteral("%1 is writable by group or others (mode %2), so another user could change what is "
                                "in it")
                     .arg(where)
                     .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
        return false;
    }
    return true;
}

bool TrustedFile::read(const QString &path, QByteArray *data, QString *error)
{
    const QFileInfo fi(path);
    QString why;
    m_path = path;
    m_exists = false;
    data->clear();
    if (!m_dir.open(fi.absolutePath(), true, &why)) {
        *error = QStringLiteral("%1 is not written: %2").arg(path, why);
        return false;
    }
    m_name = QFile::encodeName(fi.fileName());
    const int fd = ::openat(m_dir.fd(), m_name.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        *error = errno == ELOOP
                     ? QStringLiteral("%1 is a symbolic link: policy files are never written through links").arg(path)
                     : QStringLiteral("cannot open %1: %2").arg(path, errnoString());
        return false;
    }
    QFile f;
    const bool opened = f.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    if (!opened)
        ::close(fd);
    struct stat st
    {
    };
    if (!opened || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = QStringLiteral("%1 is not a regular file").arg(path);
        return false;
    }
    m_exists = true;
    m_owner = st.st_uid;
    m_group = st.st_gid;
    m_mode = st.st_mode & 07777;
    *data = f.readAll();
    return true;
}

bool TrustedFile::replace(const QByteArray &data, QString *error)
{
    QByteArray tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tmp = m_name + ".tmp-" + QByteArray::number(QRandomGenerator::system()->generate(), 36);
        fd = ::openat(m_dir.fd(), tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    auto fail = [&](const QString &what) {
        *error = QStringLiteral("%1 %2: %3").arg(what, m_path, errnoString());
        if (fd >= 0)
            ::close(fd);
        ::unlinkat(m_dir.fd(), tmp.constData(), 0);
        return false;
    };
    if (fd < 0)
        return fail(QStringLiteral("cannot create a temporary file beside"));
    // Owner before mode: chown clears set-id bits.
    if (m_exists && (m_owner != ::geteuid() || m_group != ::getegid()) && ::fchown(fd, m_owner, m_group) != 0)
        qCWarning(lcAgent).noquote() << "policies: could not give" << m_path << "back to its owner" << m_owner;
    if (::fchmod(fd, m_exists ? m_mode : 0644) != 0)
        return fail(QStringLiteral("cannot set the mode of"));
    if (!posix::writeAll(fd, data))
        return fail(QStringLiteral("cannot write"));
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot flush"));
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0)
        return fail(QStringLiteral("cannot close"));
    if (::renameat(m_dir.fd(), tmp.constData(), m_dir.fd(), m_name.constData()) != 0)
        return fail(QStringLiteral("cannot replace"));
    posix::syncDirectory(m_dir.fd(), ".");
    return true;
}

} // namespace oco::platform
