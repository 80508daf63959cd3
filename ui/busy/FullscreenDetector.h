#pragma once

#include "BusyDetector.h"

#include <functional>

namespace oco::ui {

// Presenting: the active window (_NET_ACTIVE_WINDOW, so on the current desktop) is full screen
// (_NET_WM_STATE_FULLSCREEN), asked over the tray's own X11 connection. Without X11 (Wayland, offscreen) or
// without an EWMH window manager it reports Unknown and stays quiet.
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

    static Window probeX11();

private:
    Probe m_probe;
};

} // namespace oco::ui
