#pragma once

#include "MainWindow.h"
#include "PowerNotice.h"
#include "Preferences.h"
#include "SettingsDialog.h"
#include "StateIcon.h"
#include "platform/DesktopNotifier.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

namespace oco {
class Clock;
}

namespace oco::ui {

class BusyWatch;
class ServiceClient;
class TrayIcon;

// Wires the link to the tray icon, the window, the notice and the notifications. It reacts to what the
// service pushes and relays the user's choices; it decides nothing about power actions itself.
class TrayApp : public QObject
{
    Q_OBJECT
public:
    TrayApp(ServiceClient *link, const Clock &clock, DesktopNotifier *notifier, QObject *parent = nullptr);
    ~TrayApp() override;

    // Shows the tray icon. Without a system tray it stays running without a window (notices and
    // notifications still appear; the application launcher opens the window) and checks now and then
    // whether a tray has appeared (a panel or extension started later). Returns whether an icon shows.
    bool start();
    // How often to look for a tray while there is none; shortened in tests.
    void setTrayCheckInterval(int ms) { m_trayCheck.setInterval(ms); }
    bool hasTray() const { return !m_noTray; }
    bool lookingForTray() const { return m_trayCheck.isActive(); }

    ServiceClient *link() const { return m_link; }
    TrayIcon *trayIcon() const { return m_tray; }
    MainWindow *window(); // created on first use: an idle tray stays small
    MainWindow *existingWindow() const { return m_window; }
    PowerNotice *notice() const { return m_notice; }
    SettingsDialog *settingsDialog() const { return m_settings; }
    Preferences *preferences() { return &m_prefs; }

    void openWindow(MainWindow::Page page = MainWindow::Overview);
    void openSettings();
    void showAbout();
    void postpone(int minutes);
    // Brings up the restart notice on request (menu, Overview, a notification's button).
    void showNotice();
    // Asks before quitting: without the tray there are no restart notices in this session. Replaced in tests.
    using ConfirmQuit = std::function<bool()>;
    void setConfirmQuit(ConfirmQuit confirm) { m_confirmQuit = std::move(confirm); }
    void requestQuit();

    // Do not disturb: while the watch says the session is busy (presenting, in a call) a due notice becomes a
    // quiet notification and shows when the session is free again; the final countdown always shows.
    void setBusyWatch(BusyWatch *watch);
    BusyWatch *busyWatch() const { return m_busy; }
    bool noticeWaiting() const { return m_noticeWaiting; }
    // The About text (HTML), with the admin's organisation, message and links.
    QString aboutText() const;
    // Opens a link the admin gave (help desk); QDesktopServices by default, replaced in tests.
    using OpenUrl = std::function<void(const QUrl &)>;
    void setOpenUrl(OpenUrl open) { m_openUrl = std::move(open); }

Q_SIGNALS:
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onPowerChanged();
    void onBusyChanged(bool busy, const QString &why);
    void tellServiceBusy();
    static QStringList noticeAction();
    void applyPanel();
    std::optional<Panel> panelBehindIcon() const;
    void showIcon();

    ServiceClient *m_link;
    const Clock &m_clock;
    DesktopNotifier *m_notifier;
    Preferences m_prefs;
    TrayIcon *m_tray;
    QPointer<MainWindow> m_window;
    QPointer<PowerNotice> m_notice;
    QPointer<SettingsDialog> m_settings;
    bool m_noTray = false;
    QTimer m_trayCheck;
    ConfirmQuit m_confirmQuit;
    control::PowerPending m_lastPending;
    BusyWatch *m_busy = nullptr;
    bool m_noticeWaiting = false;
    OpenUrl m_openUrl;
};

} // namespace oco::ui
