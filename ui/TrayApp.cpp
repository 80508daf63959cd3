#include "TrayApp.h"

#include "AdminBanner.h"
#include "PowerNotice.h"
#include "ServiceClient.h"
#include "SettingsDialog.h"
#include "TrayIcon.h"
#include "TrayState.h"
#include "busy/BusyWatch.h"

#include "core/Version.h"

#include <QApplication>
#include <QDesktopServices>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSystemTrayIcon>
#include <QTimer>

namespace oco::ui {

TrayApp::TrayApp(ServiceClient *link, const Clock &clock, DesktopNotifier *notifier, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_clock(clock)
    , m_notifier(notifier)
    , m_tray(new TrayIcon(link, clock, this))
{
    connect(m_tray, &TrayIcon::openRequested, this, [this] { openWindow(); });
    connect(m_tray, &TrayIcon::settingsRequested, this, &TrayApp::openSettings);
    connect(m_tray, &TrayIcon::aboutRequested, this, &TrayApp::showAbout);
    connect(m_tray, &TrayIcon::quitRequested, this, &TrayApp::requestQuit);
    connect(m_tray, &TrayIcon::postponeRequested, this, &TrayApp::postpone);
    connect(m_tray, &TrayIcon::noticeRequested, this, &TrayApp::showNotice);
    connect(m_tray, &TrayIcon::helpdeskRequested, this, [this](const QUrl &url) {
        if (url.isValid() && m_openUrl)
            m_openUrl(url);
    });
    m_openUrl = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    connect(link, &ServiceClient::adminVoiceChanged, this, [this] {
        if (m_notice && !m_notice->pending().isEmpty())
            m_notice->setPending(m_notice->pending()); // the banner now says the admin's words
    });
    connect(link, &ServiceClient::connectionChanged, this, [this] {
        if (m_link->isConnected() && m_busy && m_busy->isBusy())
            tellServiceBusy(); // a restarted service hears it again
    });
    connect(notifier, &DesktopNotifier::actionInvoked, this, [this](const QString &topic, const QString &) {
        if (topic == QLatin1String("power"))
            showNotice();
    });
    connect(link, &ServiceClient::powerChanged, this, &TrayApp::onPowerChanged);
    m_trayCheck.setInterval(5000);
    connect(&m_trayCheck, &QTimer::timeout, this, &TrayApp::showIcon);
    applyPanel();
    qApp->installEventFilter(this); // follows a switch between light and dark themes
}

bool TrayApp::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        applyPanel();
    return QObject::eventFilter(watched, event);
}

TrayApp::~TrayApp()
{
    delete m_window;
    delete m_notice;
    delete m_settings;
}

bool TrayApp::start()
{
    showIcon();
    if (m_noTray) // the launcher (a second oco-tray --open) brings up the window when wanted
        qWarning("oco-tray: this desktop has no system tray; running without an icon until one appears");
    onPowerChanged();
    return !m_noTray;
}

void TrayApp::showIcon()
{
    m_noTray = !m_tray->show();
    if (m_noTray) {
        if (!m_trayCheck.isActive())
            m_trayCheck.start();
        return;
    }
    if (m_trayCheck.isActive()) {
        m_trayCheck.stop();
        qInfo("oco-tray: a system tray has appeared; showing the icon");
    }
    if (m_window)
        m_window->setNoTray(false);
    // The icon's place in the panel is known once the panel has embedded it.
    QTimer::singleShot(1500, this, &TrayApp::applyPanel);
}

MainWindow *TrayApp::window()
{
    if (!m_window) {
        m_window = new MainWindow(m_link, &m_prefs);
        m_window->setNoTray(m_noTray);
        connect(m_window, &MainWindow::settingsRequested, this, &TrayApp::openSettings);
        connect(m_window, &MainWindow::aboutRequested, this, &TrayApp::showAbout);
        connect(m_window, &MainWindow::quitRequested, this, &TrayApp::requestQuit);
        connect(m_window, &MainWindow::noticeRequested, this, &TrayApp::showNotice);
        connect(m_window, &MainWindow::actNowRequested, this, [this] {
            if (m_notice && !m_notice->pending().isEmpty())
                m_notice->actNow();
        });
    }
    return m_window;
}

void TrayApp::openWindow(MainWindow::Page page)
{
    window()->showPage(page);
}

void TrayApp::openSettings()
{
    if (!m_settings) {
        m_settings = new SettingsDialog(m_link, &m_prefs, m_window);
        connect(m_settings, &SettingsDialog::panelChanged, this, &TrayApp::applyPanel);
    }
    m_settings->load();
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

void TrayApp::requestQuit()
{
    bool quit = true;
    if (m_confirmQuit) {
        quit = m_confirmQuit();
    } else {
        QMessageBox box(QMessageBox::Question, tr("Quit the OCO Agent tray?"),
                        tr("Until you log in again or start “OCO Agent” from the applications menu, this session "
                           "shows no restart notices: restarts are then announced only as desktop notifications. "
                           "The OCO agent service keeps running."),
                        QMessageBox::NoButton, m_window);
        QPushButton *yes = box.addButton(tr("&Quit"), QMessageBox::AcceptRole);
        box.setDefaultButton(box.addButton(QMessageBox::Cancel));
        box.exec();
        quit = box.clickedButton() == yes;
    }
    if (quit)
        Q_EMIT quitRequested();
}

QString TrayApp::aboutText() const
{
    return tr("<p><b>OCO Agent tray</b> %1</p>"
              "<p>Shows what the OCO agent service on this computer does: inventory, software jobs "
              "and restarts. It holds no keys; the service does the work.</p>"
              "<p>Service: %2<br>Socket: %3</p>")
               .arg(QStringLiteral(OCO_VERSION), m_link->isConnected() ? m_link->agentVersion() : tr("not connected"),
                    m_link->socketPath().toHtmlEscaped()) +
           AdminBanner::aboutHtml(AdminVoice::fromPush(m_link->adminVoice()));
}

void TrayApp::showAbout()
{
    const AdminVoice voice = AdminVoice::fromPush(m_link->adminVoice());
    if (voice.logo.isNull()) {
        QMessageBox::about(m_window, tr("About OCO Agent"), aboutText());
        return;
    }
    QMessageBox box(m_window);
    box.setWindowTitle(tr("About OCO Agent"));
    box.setTextFormat(Qt::RichText);
    box.setText(aboutText());
    box.setIconPixmap(QPixmap::fromImage(voice.logo.scaled(64, 64, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    box.exec();
}

void TrayApp::setBusyWatch(BusyWatch *watch)
{
    m_busy = watch;
    connect(watch, &BusyWatch::busyChanged, this, &TrayApp::onBusyChanged);
    if (watch->isBusy())
        tellServiceBusy();
}

void TrayApp::tellServiceBusy()
{
    // Only for the service's log; nothing there depends on it.
    const bool busy = m_busy && m_busy->isBusy();
    m_link->request(
        control::RequestType::SessionBusy,
        QJsonObject{{QStringLiteral("busy"), busy}, {QStringLiteral("why"), busy ? m_busy->why() : QString()}});
}

void TrayApp::onBusyChanged(bool busy, const QString &why)
{
    if (busy)
        qInfo("oco-tray: do not disturb: %s", qUtf8Printable(why));
    else
        qInfo("oco-tray: do not disturb ended");
    tellServiceBusy();
    if (busy || !m_noticeWaiting)
        return;
    m_noticeWaiting = false;
    if (m_notice && !m_notice->pending().isEmpty()) {
        m_notice->show(); // without taking the keyboard, as when it first appears
        m_notice->raise();
    }
}

void TrayApp::postpone(int minutes)
{
    m_link->request(control::RequestType::Postpone, QJsonObject{{QStringLiteral("minutes"), minutes}},
                    [this](const QJsonObject &json) {
                        const control::Reply reply = control::Reply::fromJson(json);
                        if (reply.ok)
                            return; // the new deadline arrives as a push
                        m_notifier->notify(QStringLiteral("power-result"), tr("Not postponed"), reply.reason,
                                           DesktopNotifier::Urgency::Normal);
                    });
}

void TrayApp::showNotice()
{
    if (!m_notice || m_notice->pending().isEmpty())
        return;
    m_notice->show();
    m_notice->raise();
    m_notice->activateWindow(); // asked for: it may take the keyboard
}

std::optional<Panel> TrayApp::panelBehindIcon() const
{
    // "Automatic" means the panel's colour, which can differ from the application's theme: look at it.
    QSystemTrayIcon *icon = m_tray->systemTrayIcon();
    const QRect g = icon ? icon->geometry() : QRect();
    QScreen *screen = g.isEmpty() ? nullptr : QGuiApplication::screenAt(g.center());
    if (!screen)
        return std::nullopt;
    const QPoint at = g.topLeft() - screen->geometry().topLeft();
    return panelFromBackground(screen->grabWindow(0, at.x(), at.y(), g.width(), g.height()).toImage());
}

void TrayApp::applyPanel()
{
    const QString panel = m_prefs.panel();
    if (panel == QLatin1String("dark"))
        m_tray->setPanel(Panel::Dark);
    else if (panel == QLatin1String("light"))
        m_tray->setPanel(Panel::Light);
    else
        m_tray->setPanel(panelBehindIcon().value_or(panelFromPalette()));
}

QStringList TrayApp::noticeAction()
{
    // "default" is a click on the bubble itself; the other key is a button in it.
    return {QStringLiteral("default"), tr("Show"), QStringLiteral("open"), tr("Show details")};
}

void TrayApp::onPowerChanged()
{
    const control::PowerPending pending = m_link->powerPending();
    const control::PowerPending previous = m_lastPending;
    m_lastPending = pending;
    if (pending.isEmpty()) {
        m_noticeWaiting = false;
        if (m_notice)
            m_notice->setPending({});
        return;
    }
    if (!m_notice)
        m_notice = new PowerNotice(m_link, m_clock);
    m_notice->setPending(pending);

    const bool shutdown = pending.isShutdown();
    const QString at = TrayText::localTime(pending.deadline);
    const bool isNew = previous.isEmpty() || previous.jobId != pending.jobId || previous.action != pending.action;
    const bool becameFinal = pending.finalCountdown && !previous.finalCountdown;
    const bool moved = !isNew && previous.deadline != pending.deadline;
    const bool reminder = pending.reminder;
    // Presenting or in a call: a quiet bubble now, the notice when that ends. Never for the final countdown.
    const bool quiet = m_busy && m_busy->isBusy() && !pending.finalCountdown;

    // Scheduling and the final countdown are always announced; postponements and reminders only when the user
    // keeps notifications on.
    if (quiet) {
        if (isNew || ((moved || reminder) && m_prefs.notifications()))
            m_notifier->notify(QStringLiteral("power"), shutdown ? tr("Shutdown scheduled") : tr("Restart scheduled"),
                               shutdown ? tr("This computer will shut down at %1. Not interrupting you now (%2); "
                                             "the notice appears when that ends.")
                                              .arg(at, m_busy->why())
                                        : tr("This computer will restart at %1. Not interrupting you now (%2); "
                                             "the notice appears when that ends.")
                                              .arg(at, m_busy->why()),
                               DesktopNotifier::Urgency::Low, noticeAction());
        if (isNew || reminder)
            m_noticeWaiting = true;
        return;
    }
    if (becameFinal) {
        m_notifier->notify(QStringLiteral("power"), shutdown ? tr("Shutdown imminent") : tr("Restart imminent"),
                           shutdown ? tr("This computer will shut down at %1. Save your work now.").arg(at)
                                    : tr("This computer will restart at %1. Save your work now.").arg(at),
                           DesktopNotifier::Urgency::Critical, noticeAction());
    } else if (isNew) {
        m_notifier->notify(QStringLiteral("power"), shutdown ? tr("Shutdown scheduled") : tr("Restart scheduled"),
                           shutdown ? tr("This computer will shut down at %1.").arg(at)
                                    : tr("This computer will restart at %1.").arg(at),
                           DesktopNotifier::Urgency::Normal, noticeAction());
    } else if ((moved || reminder) && m_prefs.notifications()) {
        m_notifier->notify(QStringLiteral("power"), shutdown ? tr("Shutdown pending") : tr("Restart pending"),
                           shutdown ? tr("This computer will shut down at %1.").arg(at)
                                    : tr("This computer will restart at %1.").arg(at),
                           DesktopNotifier::Urgency::Normal, noticeAction());
    }
    if (isNew || becameFinal || reminder || m_noticeWaiting) {
        m_noticeWaiting = false;
        // Shown on top but never activated: the person may be typing in another window.
        m_notice->show();
        m_notice->raise();
    }
}

} // namespace oco::ui
