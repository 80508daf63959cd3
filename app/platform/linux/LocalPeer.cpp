#include "platform/LocalPeer.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <vector>

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

namespace oco::platform {

namespace {
// The peer's own supplementary groups (Linux >= 4.13); without them only the primary group counts.
void readGroups(int fd, LocalPeer *peer)
{
    std::vector<gid_t> groups(64);
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    int rc = ::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len);
    if (rc != 0 && errno == ERANGE) {
        groups.resize(len / sizeof(gid_t) + 1);
        len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        rc = ::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len);
    }
    if (rc != 0)
        return;
    for (size_t i = 0; i < len / sizeof(gid_t); ++i)
        peer->groups << groups[i];
}
} // namespace

bool readLocalPeer(qintptr socketDescriptor, LocalPeer *peer)
{
    const int fd = static_cast<int>(socketDescriptor);
    struct ucred cred
    {
    };
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    peer->pid = cred.pid;
    peer->uid = cred.uid;
    peer->gid = cred.gid;
    readGroups(fd, peer);
    return true;
}

bool isTrustedServer(qintptr socketDescriptor, std::optional<uint> *serverUid)
{
    LocalPeer peer;
    serverUid->reset();
    if (!readLocalPeer(socketDescriptor, &peer))
        return false;
    *serverUid = peer.uid;
    // Root is the service; our own user can do nothing to us we could not do ourselves.
    return peer.uid == 0 || peer.uid == ::getuid();
}

bool prepareSocketDirectory(const QString &path, QString *error)
{
    QDir dir(path);
    if (!dir.exists()) {
        if (!dir.mkpath(QStringLiteral("."))) {
            *error = QStringLiteral("cannot create the directory %1 for the control socket").arg(path);
            return false;
        }
        ::chmod(QFile::encodeName(path).constData(), 0755);
    }
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        *error = QStringLiteral("cannot check the directory %1 of the control socket: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        *error = QStringLiteral("%1 is not a directory (a symbolic link?): refusing to put the control socket there")
                     .arg(path);
        return false;
    }
    if (st.st_uid != ::geteuid()) {
        *error = QStringLiteral("the directory %1 belongs to uid %2, not to uid %3 (this service): refusing to put "
                                "the control socket there")
                     .arg(path)
                     .arg(st.st_uid)
                     .arg(::geteuid());
        return false;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        *error = QStringLiteral("the directory %1 is writable by others (mode %2): refusing to put the control "
                                "socket there")
                     .arg(path)
                     .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
        return false;
    }
    return true;
}

std::optional<uint> groupId(const QString &name)
{
    struct group gr
    {
    };
    struct group *res = nullptr;
    char buf[16384];
    if (::getgrnam_r(name.toLocal8Bit().constData(), &gr, buf, sizeof buf, &res) == 0 && res)
        return res->gr_gid;
    return std::nullopt;
}

} // namespace oco::platform
