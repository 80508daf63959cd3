#include "ScreenFit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace oco::ui {

void fitToScreen(QWidget *window)
{
    QScreen *screen = window->screen();
    if (!screen)
        screen = QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect area = screen->availableGeometry();
    // The frame is known once the window manager has framed the window; before that, assume a title bar.
    QMargins frame(2, 30, 2, 2);
    if (window->isVisible() && window->frameGeometry() != window->geometry()) {
        const QRect f = window->frameGeometry();
        const QRect g = window->geometry();
        frame = QMargins(g.left() - f.left(), g.top() - f.top(), f.right() - g.right(), f.bottom() - g.bottom());
    }
    const QSize room = area.size().shrunkBy(frame);
    window->setMinimumSize(window->minimumSizeHint().boundedTo(room));
    window->resize(window->size().boundedTo(room));

    // Move it back in where it sticks out (a saved position on a larger screen, a placement at the edge).
    // For a window, pos() is where its frame starts.
    if (!window->isVisible() && !window->testAttribute(Qt::WA_Moved))
        return; // not placed yet: the window manager places it
    QRect outer(window->pos(), window->size().grownBy(frame));
    outer.moveRight(qMin(outer.right(), area.right()));
    outer.moveBottom(qMin(outer.bottom(), area.bottom()));
    outer.moveLeft(qMax(outer.left(), area.left()));
    outer.moveTop(qMax(outer.top(), area.top()));
    window->move(outer.topLeft());
}

} // namespace oco::ui
