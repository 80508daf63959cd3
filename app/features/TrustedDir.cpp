#include "TrustedDir.h"

#include <QFile>
#include <QStringList>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace oco {

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

} // namespace oco
