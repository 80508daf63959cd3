#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace oco::platform {

// One login as the system's login accounting (utmpx) records it.
struct SessionRecord
{
    QString user;
    QString line; // terminal ("pts/3", "tty2") or X display (":0")
    QString host; // remote host, or the X display of a graphical login
    qint64 pid = 0;
};
// The logged-in user processes of the login accounting database, or of `file` when given (tests). Empty
// where the system keeps none.
QList<SessionRecord> loginRecords(const QString &file = {});

// The user name of a uid, or the number as text.
QString userName(uint uid);
// The uid of a user name; nothing when there is no such user.
std::optional<uint> userId(const QString &name);

// The user's runtime directory (XDG_RUNTIME_DIR of their sessions), empty where there is none.
QString userRuntimeDir(uint uid);
// The conventional session bus of a user's systemd instance, when its socket exists.
QString userBusAddress(uint uid);

} // namespace oco::platform
