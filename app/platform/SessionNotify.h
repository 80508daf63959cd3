#pragma once

#include <QString>

class QProcess;

namespace oco::platform {

// Writes `text` to the terminal /dev/<tty> ("pts/3", "tty2", "console"), as wall(1) does, without waiting
// for a terminal nobody reads. False with a reason; only terminal devices are written.
bool writeToTerminal(const QString &tty, const QString &text, QString *error);

// The account a child started by runAsUser() runs under.
struct UserAccount
{
    QString name;
    QString home;
};
// Makes `process` run as the user `uid` with that user's groups once started, a drop it cannot undo.
// False when there is no such account (the error says so) or the system cannot do it.
bool runAsUser(QProcess &process, uint uid, UserAccount *account, QString *error);

} // namespace oco::platform
