#pragma once

#include <QString>

namespace oco::ui::platform {

// The window that has the focus on the current desktop, as far as the window system tells.
struct ActiveWindow
{
    enum class Fullscreen
    {
        Unknown, // no window system to ask (Wayland, offscreen) or no EWMH window manager
        No,
        Yes
    };
    Fullscreen fullscreen = Fullscreen::Unknown;
    QString title; // of a full-screen window
};

ActiveWindow activeWindow();

} // namespace oco::ui::platform
