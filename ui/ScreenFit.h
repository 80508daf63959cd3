#pragma once

class QWidget;

namespace oco::ui {

// Keeps a top-level window inside the available area of its screen (panels excluded), with room for the
// window manager's frame: at 125 % or 200 % the saved or default size can be larger than the screen, and
// buttons at the bottom must stay reachable. Content that does not fit scrolls inside the window.
void fitToScreen(QWidget *window);

} // namespace oco::ui
