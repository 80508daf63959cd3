#include "platform/Platform.h"

namespace oco::platform {

QString name()
{
    return QStringLiteral("linux");
}

QString notAvailable(const QString &what)
{
    return QStringLiteral("%1 is not available on this system").arg(what);
}

} // namespace oco::platform
