#include "TrayIcon.h"

#include "AdminVoice.h"
#include "ServiceClient.h"

#include "core/Clock.h"

#include <QJsonArray>

namespace oco::ui {

TrayIcon::TrayIcon(ServiceClient *link, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_clock(clock)
{
    m_menu.setTitle(tr("OCO Agent"));
    m_menu.setAccessibleName(tr("OCO Agent menu"));
    // While a restart is pending, the first line says when and reopens the notice.
    m_pendingLine = m_menu.addAction(QString(), this, &TrayIcon::noticeRequested);
    m_pendingLine->setObjectName(QStringLiteral("pendingLine"));
    m_pendingSeparator = m_menu.addSeparator();
    m_organisationLine = m_menu.addAction(QString());
    m_organisationLine->setObjectName(QStringLiteral("organisationLine"));
    m_organisationLine->setEnabled(false);
    m_open = m_menu.addAction(tr("&Open"), this, &TrayIcon::openRequested);
    m_checkNow = m_menu.addAction(tr("&Check now"), this, [this] {
        Q_EMIT checkNowRequested();
        m_link->request(control::RequestType::CheckNow);
    });
    m_postpone = m_menu.addMenu(&m_postponeMenu);
    m_menu.addSeparator();
    m_settings = m_menu.addAction(tr("&Settings…"), this, &TrayIcon::settingsRequested);
    m_helpdesk = m_menu.addAction(tr("Contact the help des&k"), this, [this] {
        Q_EMIT helpdeskRequested(AdminVoice::fromPush(m_link->adminVoice()).helpdeskUrl);
    });
    m_helpdesk->setObjectName(QStringLiteral("helpdeskAction"));
    m_about = m_menu.addAction(tr("&About"), this, &TrayIcon::aboutRequested);
    m_menu.addSeparator();
    m_quit = m_menu.addAction(tr("&Quit tray"), this, &TrayIcon::quitRequested);
    m_quit->setToolTip(tr("Closes the tray icon: no restart notices in this session until you log in again. The "
                          "OCO agent service keeps running and still sends desktop notifications."));
    m_open->setObjectName(QStringLiteral("openAction"));
    m_checkNow->setObjectName(QStringLiteral("checkNowAction"));
    m_postpone->setObjectName(QStringLiteral("postponeAction"));
    m_settings->setObjectName(QStringLiteral("settingsAction"));
    m_about->setObjectName(QStringLiteral("aboutAction"));
    m_quit->setObjectName(QStringLiteral("quitAction"));

    connect(link, &ServiceClient::connectionChanged, this, &TrayIcon::refresh);
    connect(link, &ServiceClient::statusChanged, this, &TrayIcon::refresh);
    connect(link, &ServiceClient::jobsChanged, this, &TrayIcon::refresh);
    connect(link, &ServiceClient::powerChanged, this, &TrayIcon::refresh);
    connect(link, &ServiceClient::adminVoiceChanged, this, &TrayIcon::applyAdminVoice);
    applyAdminVoice();
    // The time left in the tooltip moves on its own.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &TrayIcon::refresh);
    refresh();
}

void TrayIcon::applyAdminVoice()
{
    const AdminVoice voice = AdminVoice::fromPush(m_link->adminVoice());
    m_organisationLine->setText(tr("Managed by %1").arg(voice.organisation));
    m_organisationLine->setVisible(!voice.organisation.isEmpty());
    m_helpdesk->setVisible(voice.helpdeskUrl.isValid());
    m_helpdesk->setToolTip(voice.helpdeskUrl.toDisplayString());
}

TrayIcon::~TrayIcon()
{
    delete m_tray;
}

bool TrayIcon::show()
{
    if (!m_available())
        return false;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(this);
        m_tray->setContextMenu(&m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
            if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
                Q_EMIT openRequested();
        });
        m_iconKey.clear();
        refresh();
    }
    m_tray->show();
    return true;
}

void TrayIcon::setPanel(Panel panel)
{
    m_panel = panel;
    m_iconKey.clear();
    refresh();
}

void TrayIcon::refresh()
{
    m_view = TrayText::describe(*m_link, m_clock.nowUtc());
    const QString key = QStringLiteral("%1/%2/%3").arg(int(m_view.state)).arg(int(m_panel)).arg(m_view.progress);
    if (key != m_iconKey) {
        m_iconKey = key;
        m_icon = stateIcon(m_view.state, m_panel, m_view.progress);
        if (m_tray)
            m_tray->setIcon(m_icon);
    }
    if (m_tray && m_tray->toolTip() != m_view.tooltip)
        m_tray->setToolTip(m_view.tooltip);

    const bool connected = m_link->isConnected();
    m_checkNow->setEnabled(connected);
    const control::PowerPending &pending = m_link->powerPending();
    const bool canPostpone = connected && !pending.isEmpty() && pending.canPostpone && !pending.finalCountdown &&
                             pending.postponementsLeft > 0;
    m_pendingLine->setVisible(!pending.isEmpty());
    m_pendingSeparator->setVisible(!pending.isEmpty());
    if (!pending.isEmpty()) {
        const bool shutdown = pending.isShutdown();
        const QString at = TrayText::clockTime(pending.deadline, m_clock.nowUtc());
        if (canPostpone)
            m_pendingLine->setText(shutdown ? tr("Shutdown at %1 — Postpone…").arg(at)
                                            : tr("Restart at %1 — Postpone…").arg(at));
        else
            m_pendingLine->setText(shutdown ? tr("Shutdown at %1 — Details…").arg(at)
                                            : tr("Restart at %1 — Details…").arg(at));
    }
    m_postpone->setVisible(canPostpone);
    m_postpone->setEnabled(canPostpone);
    if (canPostpone)
        rebuildPostponeMenu(pending);
    if (pending.isEmpty())
        m_tick.stop();
    else if (!m_tick.isActive())
        m_tick.start();
}

void TrayIcon::rebuildPostponeMenu(const control::PowerPending &pending)
{
    const bool shutdown = pending.isShutdown();
    m_postponeMenu.setTitle(shutdown ? tr("&Postpone shutdown until") : tr("&Postpone restart until"));
    if (m_postponeMenu.isVisible())
        return; // not under the pointer; it is rebuilt when it opens again
    m_postponeMenu.clear();
    const QList<QPair<int, QString>> choices = TrayText::postponeChoices(pending, m_clock.nowUtc());
    for (const auto &[minutes, text] : choices) {
        QAction *a = m_postponeMenu.addAction(text, this, [this, m = minutes] { Q_EMIT postponeRequested(m); });
        a->setData(minutes);
    }
}

} // namespace oco::ui
