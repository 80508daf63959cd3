#pragma once

#include <QString>

namespace oco::ui::platform {

// Whether the tray starts with the desktop session. On Linux the XDG autostart entries: the user's
// (~/.config/autostart/oco-tray.desktop) overrides a system-wide one of the same name (the package installs
// /etc/xdg/autostart/oco-tray.desktop), and Hidden=true disables.

// The user's entry ("" where autostart has no file).
QString userAutostartPath();
// The system-wide entry in effect, or "" when there is none.
QString systemAutostartPath();
// The effective state, from both entries.
bool startsWithSession();
// Makes the effective state `on`: with a system-wide entry, "off" is a user override; false with the
// reason on failure.
bool setStartWithSession(bool on, QString *error);

} // namespace oco::ui::platform
