#include "platform/Autostart.h"

#include "platform/Platform.h"

namespace oco::ui::platform {

QString userAutostartPath()
{
    return {};
}

QString systemAutostartPath()
{
    return {};
}

bool startsWithSession()
{
    return false;
}

bool setStartWithSession(bool, QString *error)
{
    *error = oco::platform::notAvailable(QStringLiteral("Starting with the session"));
    return false;
}

} // namespace oco::ui::platform
