#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace oco {
class Clock;
}

namespace oco::ui {

class InventoryPage;
class JobsPage;
class LogPage;
class OverviewPage;
class Preferences;
class ServiceClient;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page
    {
        Overview,
        Inventory,
        Jobs,
        Log
    };
    Q_ENUM(Page)

    MainWindow(ServiceClient *link, Preferences *prefs, QWidget *parent = nullptr);

    void showPage(Page page);
    static bool pageFromName(const QString &name, Page *page);
    // Without a system tray the window is the only way in: it says so, and closing it quits.
    void setNoTray(bool noTray);
    bool noTray() const { return m_noTray; }

    QTabWidget *tabs() const { return m_tabs; }
    OverviewPage *overviewPage() const { return m_overview; }
    InventoryPage *inventoryPage() const { return m_inventory; }
    JobsPage *jobsPage() const { return m_jobs; }
    LogPage *logPage() const { return m_log; }

Q_SIGNALS:
    void settingsRequested();
    void aboutRequested();
    void quitRequested();
    void noticeRequested();
    void actNowRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    ServiceClient *m_link;
    Preferences *m_prefs;
    QTabWidget *m_tabs;
    QLabel *m_noTrayBanner;
    OverviewPage *m_overview;
    InventoryPage *m_inventory;
    JobsPage *m_jobs;
    LogPage *m_log;
    bool m_noTray = false;
};

} // namespace oco::ui
