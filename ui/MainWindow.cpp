#include "MainWindow.h"

#include "InventoryPage.h"
#include "JobsPage.h"
#include "LogPage.h"
#include "OverviewPage.h"
#include "Preferences.h"
#include "ScreenFit.h"
#include "ServiceClient.h"
#include "StateIcon.h"

#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace oco::ui {

MainWindow::MainWindow(ServiceClient *link, Preferences *prefs, QWidget *parent)
    : QMainWindow(parent)
    , m_link(link)
    , m_prefs(prefs)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("OCO Agent"));
    setWindowIcon(appIcon());
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_noTrayBanner = new QLabel(
        tr("This desktop has no system tray. The OCO Agent keeps running in the background and shows restart "
           "notices when needed; open this window again from the applications menu (OCO Agent)."),
        central);
    m_noTrayBanner->setObjectName(QStringLiteral("noTrayBanner"));
    m_noTrayBanner->setWordWrap(true);
    m_noTrayBanner->setVisible(false);
    layout->addWidget(m_noTrayBanner);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("pages"));
    m_tabs->setAccessibleName(tr("Pages"));
    m_overview = new OverviewPage(link, m_tabs);
    m_inventory = new InventoryPage(link, m_tabs);
    m_jobs = new JobsPage(link, m_tabs);
    m_log = new LogPage(link, m_tabs);
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_inventory, tr("&Inventory"));
    m_tabs->addTab(m_jobs, tr("&Jobs"));
    m_tabs->addTab(m_log, tr("&Log"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    connect(m_overview, &OverviewPage::settingsRequested, this, &MainWindow::settingsRequested);
    connect(m_overview, &OverviewPage::noticeRequested, this, &MainWindow::noticeRequested);
    connect(m_overview, &OverviewPage::actNowRequested, this, &MainWindow::actNowRequested);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *settings = file->addAction(tr("&Settings…"), this, &MainWindow::settingsRequested);
    settings->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    QAction *close = file->addAction(tr("&Close window"), this, &QWidget::close);
    close->setShortcut(QKeySequence::Close);
    QAction *quit = file->addAction(tr("&Quit tray"), this, &MainWindow::quitRequested);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList pageNames{tr("Overview"), tr("Inventory"), tr("Jobs"), tr("Log")};
    for (int i = 0; i < pageNames.size(); ++i) {
        QAction *a = view->addAction(pageNames.at(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, &MainWindow::aboutRequested);

    resize(820, 600);
    const QByteArray geometry = m_prefs->windowGeometry();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
}

bool MainWindow::pageFromName(const QString &name, Page *page)
{
    static const QHash<QString, Page> pages{{QStringLiteral("overview"), Overview},
                                            {QStringLiteral("inventory"), Inventory},
                                            {QStringLiteral("jobs"), Jobs},
                                            {QStringLiteral("log"), Log}};
    auto it = pages.find(name.toLower());
    if (it == pages.end())
        return false;
    *page = it.value();
    return true;
}

void MainWindow::showPage(Page page)
{
    m_tabs->setCurrentIndex(int(page));
    show();
    raise();
    activateWindow();
}

void MainWindow::setNoTray(bool noTray)
{
    m_noTray = noTray;
    m_noTrayBanner->setVisible(noTray);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_prefs->setWindowGeometry(saveGeometry());
    QMainWindow::closeEvent(event); // without a tray too: the app keeps running for the notices
}

void MainWindow::showEvent(QShowEvent *event)
{
    fitToScreen(this);
    QMainWindow::showEvent(event);
}

} // namespace oco::ui
