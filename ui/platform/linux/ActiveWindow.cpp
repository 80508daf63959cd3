#include "platform/ActiveWindow.h"

#include <QGuiApplication>

#include <xcb/xcb.h>

#include <cstdlib>
#include <memory>
#include <utility>

namespace oco::ui::platform {

namespace {
template<typename T> using XcbReply = std::unique_ptr<T, decltype(&std::free)>;

xcb_atom_t atom(xcb_connection_t *c, const char *name)
{
    XcbReply<xcb_intern_atom_reply_t> r(xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, qstrlen(name), name), nullptr),
                                        &std::free);
    return r ? r->atom : xcb_atom_t(XCB_ATOM_NONE);
}

XcbReply<xcb_get_property_reply_t> readProperty(xcb_connection_t *c, xcb_window_t w, xcb_atom_t name, xcb_atom_t type,
                                                uint32_t longs)
{
    // The error is taken here: a window that just closed must not end up as a warning in Qt's event queue.
    xcb_generic_error_t *error = nullptr;
    XcbReply<xcb_get_property_reply_t> reply(
        xcb_get_property_reply(c, xcb_get_property(c, 0, w, name, type, 0, longs), &error), &std::free);
    std::free(error);
    return reply;
}

// The EWMH name, else the old WM_NAME (xterm and other plain X programs set only that).
QString windowTitle(xcb_connection_t *c, xcb_window_t window)
{
    static const xcb_atom_t wmName = atom(c, "_NET_WM_NAME");
    static const xcb_atom_t utf8 = atom(c, "UTF8_STRING");
    for (const auto &[name, type] :
         {std::pair{wmName, utf8}, std::pair{xcb_atom_t(XCB_ATOM_WM_NAME), xcb_atom_t(XCB_GET_PROPERTY_TYPE_ANY)}}) {
        const auto nameReply = readProperty(c, window, name, type, 64);
        if (nameReply && xcb_get_property_value_length(nameReply.get()) > 0)
            return QString::fromUtf8(static_cast<const char *>(xcb_get_property_value(nameReply.get())),
                                     xcb_get_property_value_length(nameReply.get()));
    }
    return {};
}
} // namespace

// _NET_ACTIVE_WINDOW (so on the current desktop) with _NET_WM_STATE_FULLSCREEN, over the tray's own X11
// connection.
ActiveWindow activeWindow()
{
    auto *x11 = qGuiApp ? qGuiApp->nativeInterface<QNativeInterface::QX11Application>() : nullptr;
    xcb_connection_t *c = x11 ? x11->connection() : nullptr;
    if (!c || xcb_connection_has_error(c))
        return {};
    static const xcb_atom_t active = atom(c, "_NET_ACTIVE_WINDOW");
    static const xcb_atom_t wmState = atom(c, "_NET_WM_STATE");
    static const xcb_atom_t fullscreen = atom(c, "_NET_WM_STATE_FULLSCREEN");
    const xcb_window_t root = xcb_setup_roots_iterator(xcb_get_setup(c)).data->root;

    const auto activeReply = readProperty(c, root, active, XCB_ATOM_WINDOW, 1);
    if (!activeReply || activeReply->type == XCB_ATOM_NONE)
        return {}; // no EWMH window manager: nobody says which window is active
    const ActiveWindow notFullscreen{ActiveWindow::Fullscreen::No, {}};
    if (xcb_get_property_value_length(activeReply.get()) < int(sizeof(xcb_window_t)))
        return notFullscreen;
    const xcb_window_t window = *static_cast<xcb_window_t *>(xcb_get_property_value(activeReply.get()));
    if (window == XCB_WINDOW_NONE)
        return notFullscreen;
    const auto stateReply = readProperty(c, window, wmState, XCB_ATOM_ATOM, 64);
    if (!stateReply)
        return notFullscreen;
    const auto *atoms = static_cast<xcb_atom_t *>(xcb_get_property_value(stateReply.get()));
    const int count = xcb_get_property_value_length(stateReply.get()) / int(sizeof(xcb_atom_t));
    for (int i = 0; i < count; ++i)
        if (atoms[i] == fullscreen)
            return {ActiveWindow::Fullscreen::Yes, windowTitle(c, window)};
    return notFullscreen;
}

} // namespace oco::ui::platform
