#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace oco::platform {

// The process at the other end of a local (control) socket, as the kernel reports it.
struct LocalPeer
{
    qint64 pid = 0;
    uint uid = 0;
    uint gid = 0;
    QList<uint> groups; // its supplementary groups, when the system tells them
};

// Reads the credentials of the peer of a connected local socket; false when the system cannot tell.
bool readLocalPeer(qintptr socketDescriptor, LocalPeer *peer);

// Whether the server at the other end of a connected local socket runs as root or as this process's own
// user; anyone else listening there is an impostor. *serverUid is set when the system tells it.
bool isTrustedServer(qintptr socketDescriptor, std::optional<uint> *serverUid);

// Creates the directory of the control socket (readable by everyone) when missing, then refuses one that
// is a link, does not belong to this process's user or that others may write to: whoever can write there
// can take the socket's name.
bool prepareSocketDirectory(const QString &dir, QString *error);

// The id of a local group; nullopt when there is no such group.
std::optional<uint> groupId(const QString &name);

} // namespace oco::platform
