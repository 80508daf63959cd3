#include "platform/CameraUse.h"

#include <QFile>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace oco::ui::platform {

namespace {
// The real uid and the name from <pid>/status ("Name:\tzoom\n...Uid:\t1000\t1000\t..."); -1 when unreadable.
long long readStatus(int procFd, const char *pid, QByteArray *name)
{
    char path[NAME_MAX + 16];
    std::snprintf(path, sizeof path, "%s/status", pid);
    const int fd = ::openat(procFd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[2048];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *uid = std::strstr(buf, "\nUid:");
    if (!uid)
        return -1;
    const char *nameLine = std::strncmp(buf, "Name:", 5) == 0 ? buf + 5 : nullptr;
    if (nameLine) {
        while (*nameLine == ' ' || *nameLine == '\t')
            ++nameLine;
        const char *end = std::strchr(nameLine, '\n');
        *name = QByteArray(nameLine, end ? end - nameLine : qsizetype(std::strlen(nameLine)));
    }
    char *end = nullptr;
    const long long value = std::strtoll(uid + 5, &end, 10);
    return end == uid + 5 ? -1 : value;
}

bool isNumber(const char *s)
{
    if (!*s)
        return false;
    for (; *s; ++s)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

// Whether <pid>/fd has a link to /dev/video*.
bool holdsCamera(int procFd, const char *pid)
{
    char path[NAME_MAX + 16];
    std::snprintf(path, sizeof path, "%s/fd", pid);
    const int dirFd = ::openat(procFd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        return false; // gone meanwhile, or not ours to read
    DIR *fds = ::fdopendir(dirFd);
    if (!fds) {
        ::close(dirFd);
        return false;
    }
    bool found = false;
    while (const dirent *fd = ::readdir(fds)) {
        if (fd->d_name[0] == '.')
            continue;
        char target[32];
        const ssize_t n = ::readlinkat(dirFd, fd->d_name, target, sizeof target - 1);
        if (n >= 10 && std::memcmp(target, "/dev/video", 10) == 0) {
            found = true;
            break;
        }
    }
    ::closedir(fds);
    return found;
}
} // namespace

uint currentUserId()
{
    return ::getuid();
}

bool mayHaveCamera(const QString &devRoot)
{
    DIR *dev = ::opendir(QFile::encodeName(devRoot).constData());
    if (!dev)
        return true; // cannot tell: look at the processes
    bool found = false;
    while (const dirent *e = ::readdir(dev)) {
        if (std::strncmp(e->d_name, "video", 5) == 0) {
            found = true;
            break;
        }
    }
    ::closedir(dev);
    return found;
}

bool findCameraUser(const QString &procRoot, uint uid, QString *process)
{
    // POSIX calls without allocations: this runs every few seconds over every process.
    const int procFd = ::open(QFile::encodeName(procRoot).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *procs = procFd < 0 ? nullptr : ::fdopendir(procFd);
    if (!procs) {
        if (procFd >= 0)
            ::close(procFd);
        return false;
    }
    process->clear();
    while (const dirent *p = ::readdir(procs)) {
        if (!isNumber(p->d_name))
            continue;
        QByteArray name;
        if (readStatus(procFd, p->d_name, &name) != static_cast<long long>(uid) || !holdsCamera(procFd, p->d_name))
            continue;
        *process = name.isEmpty() ? QString::fromLatin1(p->d_name) : QString::fromUtf8(name);
        break;
    }
    ::closedir(procs);
    return true;
}

} // namespace oco::ui::platform
