#pragma once

#include "BusyDetector.h"

#include <QDBusConnection>
#include <QDBusContext>
#include <QHash>

class QDBusServiceWatcher;

namespace oco::ui {

class InhibitDetector;

// org.freedesktop.ScreenSaver as the tray serves it where no desktop does (a bare window manager): video
// players and browsers call Inhibit while a video or call runs.
class ScreenSaverService : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.ScreenSaver")
public:
    explicit ScreenSaverService(InhibitDetector *detector);

public Q_SLOTS:
    uint Inhibit(const QString &application, const QString &reason);
    void UnInhibit(uint cookie);
    bool GetActive() { return false; }

private:
    InhibitDetector *m_detector;
};

// An application holds a screensaver/idle inhibitor (a presentation, a video call). Where nobody owns
// org.freedesktop.ScreenSaver on the session bus the tray takes the name and counts the Inhibit cookies
// itself (dropping a caller's cookies when it leaves the bus). Where a desktop owns it, the detector asks the
// desktop: org.gnome.SessionManager.IsInhibited(8 = idle) on GNOME and others that have it, else
// org.freedesktop.PowerManagement.Inhibit.HasInhibit (KDE Plasma, Xfce). With neither: Unknown.
class InhibitDetector : public BusyDetector
{
    Q_OBJECT
public:
    enum class Mode
    {
        None,    // no session bus, or nothing to ask
        Serving, // the tray owns org.freedesktop.ScreenSaver
        AskingGnome,
        AskingPowerManagement
    };
    explicit InhibitDetector(QDBusConnection bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);
    ~InhibitDetector() override;

    void poll() override;
    Mode mode() const { return m_mode; }
    int inhibitors() const { return int(m_cookies.size()); }

private:
    friend class ScreenSaverService;
    struct Cookie
    {
        QString owner; // the caller's unique bus name
        QString application;
        QString reason;
    };
    uint inhibit(const QString &owner, const QString &application, const QString &reason);
    void uninhibit(const QString &owner, uint cookie);
    void ownerLeft(const QString &owner);
    void update();
    void ask(const QString &service, const QString &path, const QString &interface, const QString &method,
             const QVariantList &args);

    QDBusConnection m_bus;
    Mode m_mode = Mode::None;
    ScreenSaverService *m_service = nullptr;
    QDBusServiceWatcher *m_watcher = nullptr;
    QHash<uint, Cookie> m_cookies;
    uint m_nextCookie = 1;
    bool m_asking = false;
};

} // namespace oco::ui
