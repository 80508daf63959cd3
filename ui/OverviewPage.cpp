#include "OverviewPage.h"

#include "ServiceClient.h"
#include "TrayState.h"

#include "core/Version.h"

#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace oco::ui {

OverviewPage::OverviewPage(ServiceClient *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
{
    auto *layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_banner);

    // A pending restart is the most important thing on this page.
    m_powerBanner = new QFrame(this);
    m_powerBanner->setObjectName(QStringLiteral("powerBanner"));
    m_powerBanner->setFrameShape(QFrame::StyledPanel);
    m_powerBanner->setAutoFillBackground(true);
    m_powerBanner->setBackgroundRole(QPalette::AlternateBase);
    auto *pb = new QHBoxLayout(m_powerBanner);
    m_powerText = new QLabel(m_powerBanner);
    m_powerText->setObjectName(QStringLiteral("powerBannerText"));
    m_powerText->setWordWrap(true);
    m_powerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_powerText->font();
    bold.setBold(true);
    m_powerText->setFont(bold);
    m_powerPostpone = new QPushButton(tr("&Postpone…"), m_powerBanner);
    m_powerPostpone->setObjectName(QStringLiteral("powerPostponeButton"));
    connect(m_powerPostpone, &QPushButton::clicked, this, &OverviewPage::noticeRequested);
    m_powerActNow = new QPushButton(m_powerBanner);
    m_powerActNow->setObjectName(QStringLiteral("powerActNowButton"));
    connect(m_powerActNow, &QPushButton::clicked, this, &OverviewPage::actNowRequested);
    pb->addWidget(m_powerText, 1);
    pb->addWidget(m_powerPostpone);
    pb->addWidget(m_powerActNow);
    layout->addWidget(m_powerBanner);
    m_powerTick.setInterval(30000);
    connect(&m_powerTick, &QTimer::timeout, this, &OverviewPage::refreshPower);

    auto *form = new QFormLayout;
    addField(form, QStringLiteral("state"), tr("State:"));
    addField(form, QStringLiteral("lastError"), tr("Last error:"));
    addField(form, QStringLiteral("server"), tr("Server:"));
    addField(form, QStringLiteral("dialect"), tr("Protocol:"));
    addField(form, QStringLiteral("lastContact"), tr("Last contact:"));
    addField(form, QStringLiteral("lastSuccess"), tr("Last successful contact:"));
    addField(form, QStringLiteral("nextContact"), tr("Next contact:"));
    addField(form, QStringLiteral("lastInventory"), tr("Last inventory upload:"));
    addField(form, QStringLiteral("agentVersion"), tr("Agent version:"));
    addField(form, QStringLiteral("trayVersion"), tr("Tray version:"));
    addField(form, QStringLiteral("user"), tr("You are:"));
    layout->addLayout(form);
    layout->addStretch();
    auto *buttons = new QHBoxLayout;
    m_checkNow = new QPushButton(tr("&Check now"), this);
    m_checkNow->setObjectName(QStringLiteral("checkNowButton"));
    connect(m_checkNow, &QPushButton::clicked, this, [this] { m_link->request(control::RequestType::CheckNow); });
    auto *settings = new QPushButton(tr("&Settings…"), this);
    connect(settings, &QPushButton::clicked, this, &OverviewPage::settingsRequested);
    buttons->addWidget(m_checkNow);
    buttons->addWidget(settings);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(link, &ServiceClient::connectionChanged, this, &OverviewPage::refresh);
    connect(link, &ServiceClient::statusChanged, this, &OverviewPage::refresh);
    connect(link, &ServiceClient::powerChanged, this, &OverviewPage::refreshPower);
    refresh();
}

void OverviewPage::refreshPower()
{
    const control::PowerPending pending = m_link->isConnected() ? m_link->powerPending() : control::PowerPending();
    m_powerBanner->setVisible(!pending.isEmpty());
    if (pending.isEmpty()) {
        m_powerTick.stop();
        return;
    }
    m_powerTick.start();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool shutdown = pending.isShutdown();
    const QString at = TrayText::clockTime(pending.deadline, now);
    const QString left = TrayText::timeLeft(TrayText::secondsLeft(pending, now));
    m_powerText->setText(shutdown ? tr("This computer will shut down at %1 (%2).").arg(at, left)
                                  : tr("This computer will restart at %1 (%2).").arg(at, left));
    const bool canPostpone = pending.canPostpone && !pending.finalCountdown && pending.postponementsLeft > 0;
    m_powerPostpone->setVisible(canPostpone);
    m_powerActNow->setText(shutdown ? tr("Shut &down now…") : tr("&Restart now…"));
}

QLabel *OverviewPage::addField(QFormLayout *form, const QString &name, const QString &label)
{
    auto *value = new QLabel(this);
    value->setObjectName(name);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setFocusPolicy(Qt::TabFocus); // reachable by keyboard, so screen readers can read it
    auto *l = new QLabel(label, this);
    l->setBuddy(value);
    value->setAccessibleName(QString(label).remove(QLatin1Char(':')));
    form->addRow(l, value);
    return value;
}

QString OverviewPage::fieldText(const QString &name) const
{
    auto *l = findChild<QLabel *>(name);
    return l ? l->text() : QString();
}

void OverviewPage::refresh()
{
    const control::Status &s = m_link->status();
    auto set = [this](const QString &name, const QString &text) {
        if (auto *l = findChild<QLabel *>(name))
            l->setText(text);
    };
    if (!m_link->isConnected()) {
        m_banner->setText(tr("The OCO agent service cannot be reached; the tray keeps trying.") + QLatin1Char('\n') +
                          m_link->connectError());
        m_banner->setVisible(true);
        set(QStringLiteral("state"), TrayText::stateName(TrayState::NotRunning));
    } else {
        m_banner->setVisible(false);
        set(QStringLiteral("state"), TrayText::serviceState(s.state));
    }
    m_checkNow->setEnabled(m_link->isConnected());
    if (s.lastError.isEmpty() && s.errorKind == control::ErrorKind::Ok)
        set(QStringLiteral("lastError"), tr("none"));
    else
        set(QStringLiteral("lastError"), TrayText::errorKind(s.errorKind) + QLatin1Char(' ') + s.lastError);
    set(QStringLiteral("server"), s.server);
    set(QStringLiteral("dialect"), s.dialect);
    set(QStringLiteral("lastContact"), TrayText::localTime(s.lastContact));
    set(QStringLiteral("lastSuccess"), TrayText::localTime(s.lastSuccess));
    set(QStringLiteral("nextContact"), TrayText::localTime(s.nextContact));
    set(QStringLiteral("lastInventory"), TrayText::localTime(s.lastInventory));
    set(QStringLiteral("agentVersion"), m_link->agentVersion());
    set(QStringLiteral("trayVersion"), QStringLiteral(OCO_VERSION));
    const control::PeerInfo &peer = m_link->peer();
    const QString user = peer.user;
    if (user.isEmpty())
        set(QStringLiteral("user"), QString());
    else if (peer.admin)
        set(QStringLiteral("user"), tr("%1 (may change the machine settings)").arg(user));
    else
        set(QStringLiteral("user"), tr("%1 (may not change the machine settings)").arg(user));
    refreshPower();
}

} // namespace oco::ui
