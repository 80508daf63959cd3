#pragma once

#include "BusyDetector.h"

#include <functional>

namespace oco::ui {

// Presenting: the active window of the current desktop is full screen (platform/ActiveWindow.h; on Linux asked
// over the tray's own X11 connection). Where nobody can tell (Wayland, offscreen, no EWMH window manager) it
// reports Unknown and stays quiet.
class FullscreenDetector : public BusyDetector
{
    Q_OBJECT
public:
    struct Window
    {
        State state = State::Unknown;
        QString title; // of the full-screen window
    };
    using Probe = std::function<Window()>;

    explicit FullscreenDetector(QObject *parent = nullptr);
    void setProbe(Probe probe) { m_probe = std::move(probe); } // tests
    void poll() override;

    static Window probeActiveWindow();

private:
    Probe m_probe;
};

} // namespace oco::ui
