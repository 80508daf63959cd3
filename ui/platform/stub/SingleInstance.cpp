#include "platform/SingleInstance.h"

namespace oco::ui::platform {

QString singleInstanceName()
{
    // Qt places a plain name where the system keeps such endpoints; without a user or session id, one per
    // machine.
    return QStringLiteral("oco-tray");
}

} // namespace oco::ui::platform
