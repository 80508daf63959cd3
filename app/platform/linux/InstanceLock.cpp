#include "platform/InstanceLock.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace oco::platform {

InstanceLock::~InstanceLock()
{
    if (m_handle >= 0)
        ::close(static_cast<int>(m_handle));
}

bool InstanceLock::acquire(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error =
            QStringLiteral("cannot open the lock file %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        QByteArray pid(32, '\0');
        const ssize_t n = ::pread(fd, pid.data(), pid.size() - 1, 0);
        pid.truncate(n > 0 ? static_cast<int>(n) : 0);
        ::close(fd);
        if (e == EWOULDBLOCK)
            *error = QStringLiteral("another oco-agent (pid %1) is already running with this state directory")
                         .arg(QString::fromLatin1(pid.trimmed()));
        else
            *error = QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(e)));
        return false;
    }
    const QByteArray me = QByteArray::number(static_cast<qint64>(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0)
        ::pwrite(fd, me.constData(), static_cast<size_t>(me.size()), 0);
    m_handle = fd;
    return true;
}

} // namespace oco::platform
