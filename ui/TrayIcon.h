#pragma once

#include "StateIcon.h"
#include "TrayState.h"

#include <QMenu>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QUrl>

#include <functional>

namespace oco {
class Clock;
}

namespace oco::ui {

class ServiceClient;

// The icon in the panel and its menu. The menu exists even without a system tray, so it can be tested and
// reused; the QSystemTrayIcon is only created when a tray host is there.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    TrayIcon(ServiceClient *link, const Clock &clock, QObject *parent = nullptr);
    ~TrayIcon() override;

    // Shows the icon in the panel; false when this desktop has no system tray.
    bool show();
    // Whether a system tray is there; replaced in tests.
    using Availability = std::function<bool()>;
    void setAvailability(Availability available) { m_available = std::move(available); }
    void setPanel(Panel panel);
    Panel panel() const { return m_panel; }

    TrayView view() const { return m_view; }
    QIcon icon() const { return m_icon; }
    QMenu *menu() { return &m_menu; }
    QAction *pendingLine() const { return m_pendingLine; }
    QAction *openAction() const { return m_open; }
    QAction *checkNowAction() const { return m_checkNow; }
    QAction *postponeAction() const { return m_postpone; }
    QAction *settingsAction() const { return m_settings; }
    QAction *aboutAction() const { return m_about; }
    // "Managed by …" (shown when the admin names the organisation) and the help desk (when a link is set).
    QAction *organisationLine() const { return m_organisationLine; }
    QAction *helpdeskAction() const { return m_helpdesk; }
    QAction *quitAction() const { return m_quit; }
    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }

    void refresh();

Q_SIGNALS:
    void openRequested();
    void settingsRequested();
    void aboutRequested();
    void quitRequested();
    void postponeRequested(int minutes);
    void checkNowRequested();
    void noticeRequested();
    void helpdeskRequested(const QUrl &url);

private:
    void rebuildPostponeMenu(const control::PowerPending &pending);
    void applyAdminVoice();

    ServiceClient *m_link;
    const Clock &m_clock;
    Panel m_panel = Panel::Light;
    QMenu m_menu;
    QMenu m_postponeMenu;
    QAction *m_pendingLine;
    QAction *m_pendingSeparator;
    QAction *m_open;
    QAction *m_checkNow;
    QAction *m_postpone;
    QAction *m_settings;
    QAction *m_about;
    QAction *m_organisationLine;
    QAction *m_helpdesk;
    QAction *m_quit;
    QSystemTrayIcon *m_tray = nullptr;
    Availability m_available = &QSystemTrayIcon::isSystemTrayAvailable;
    QTimer m_tick;
    TrayView m_view;
    QIcon m_icon;
    QString m_iconKey;
};

} // namespace oco::ui
