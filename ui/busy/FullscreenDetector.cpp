#include "FullscreenDetector.h"

#include "platform/ActiveWindow.h"

namespace oco::ui {

FullscreenDetector::FullscreenDetector(QObject *parent)
    : BusyDetector(parent)
    , m_probe(&FullscreenDetector::probeActiveWindow)
{}

void FullscreenDetector::poll()
{
    const Window w = m_probe ? m_probe() : Window{};
    setState(w.state, w.title.isEmpty() ? tr("presenting: a window is full screen")
                                        : tr("presenting: “%1” is full screen").arg(w.title.left(80)));
}

FullscreenDetector::Window FullscreenDetector::probeActiveWindow()
{
    const platform::ActiveWindow w = platform::activeWindow();
    switch (w.fullscreen) {
    case platform::ActiveWindow::Fullscreen::Yes:
        return {State::Busy, w.title};
    case platform::ActiveWindow::Fullscreen::No:
        return {State::Idle, {}};
    case platform::ActiveWindow::Fullscreen::Unknown:
        break;
    }
    return {};
}

} // namespace oco::ui
