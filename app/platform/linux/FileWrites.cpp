#include "FileWrites.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace oco::platform::posix {

bool writeAll(int fd, const QByteArray &data)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

void syncDirectory(int dirFd, const char *relative)
{
    const int dfd = ::openat(dirFd, relative, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace oco::platform::posix
