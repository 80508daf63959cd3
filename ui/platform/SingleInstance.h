#pragma once

#include <QString>

namespace oco::ui::platform {

// The name of the local server through which a second tray of the same session finds the first one (one
// tray per user and display).
QString singleInstanceName();

} // namespace oco::ui::platform
