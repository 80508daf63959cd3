#include "platform/SessionNotify.h"

#include "platform/Platform.h"

namespace oco::platform {

bool writeToTerminal(const QString &, const QString &, QString *error)
{
    *error = notAvailable(QStringLiteral("writing to a terminal"));
    return false;
}

bool runAsUser(QProcess &, uint, UserAccount *, QString *error)
{
    *error = notAvailable(QStringLiteral("running a program as another user"));
    return false;
}

} // namespace oco::platform
