#include "AdminBanner.h"

#include "ServiceClient.h"

#include <QDesktopServices>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace oco::ui {

AdminBanner::AdminBanner(ServiceClient *link, QWidget *parent)
    : QFrame(parent)
    , m_link(link)
{
    setObjectName(QStringLiteral("adminBanner"));
    setFrameShape(QFrame::StyledPanel);
    // Logo left of the texts; the help desk button under them, so the message keeps the full width.
    auto *grid = new QGridLayout(this);
    m_logo = new QLabel(this);
    m_logo->setObjectName(QStringLiteral("adminLogo"));
    m_logo->setAlignment(Qt::AlignTop);
    m_organisation = new QLabel(this);
    m_organisation->setObjectName(QStringLiteral("adminOrganisation"));
    QFont bold = m_organisation->font();
    bold.setBold(true);
    m_organisation->setFont(bold);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("adminMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_message->setMinimumWidth(fontMetrics().averageCharWidth() * 40);
    connect(m_message, &QLabel::linkActivated, this, [this](const QString &url) { openLink(QUrl(url)); });
    m_helpdesk = new QPushButton(this);
    m_helpdesk->setObjectName(QStringLiteral("helpdeskButton"));
    m_helpdesk->setAutoDefault(false);
    connect(m_helpdesk, &QPushButton::clicked, this, [this] { openLink(m_voice.helpdeskUrl); });
    grid->addWidget(m_logo, 0, 0, 3, 1);
    grid->addWidget(m_organisation, 0, 1);
    grid->addWidget(m_message, 1, 1);
    grid->addWidget(m_helpdesk, 2, 1, Qt::AlignRight);
    grid->setColumnStretch(1, 1);
    m_openUrl = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    connect(link, &ServiceClient::adminVoiceChanged, this, &AdminBanner::refresh);
    refresh();
}

void AdminBanner::openLink(const QUrl &url)
{
    if (url.isValid() && m_openUrl)
        m_openUrl(url);
}

bool AdminBanner::replacesNoticeText() const
{
    return m_link->hasAdminVoice();
}

void AdminBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::LocaleChange)
        refresh();
    QFrame::changeEvent(event);
}

QString AdminBanner::aboutHtml(const AdminVoice &v)
{
    QString html;
    if (!v.organisation.isEmpty())
        html += QStringLiteral("<p>") + tr("This computer is managed by %1.").arg(v.organisation.toHtmlEscaped()) +
                QStringLiteral("</p>");
    if (!v.message.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(v.message.toHtmlEscaped());
    QStringList links;
    if (v.infoUrl.isValid())
        links << QStringLiteral("<a href=\"%1\">%2</a>")
                     .arg(v.infoUrl.toString(QUrl::FullyEncoded).toHtmlEscaped(), tr("More information"));
    if (v.helpdeskUrl.isValid())
        links << QStringLiteral("<a href=\"%1\">%2</a>")
                     .arg(v.helpdeskUrl.toString(QUrl::FullyEncoded).toHtmlEscaped(), tr("Contact the help desk"));
    if (!links.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(links.join(QStringLiteral(" · ")));
    return html;
}

void AdminBanner::refresh()
{
    m_voice = AdminVoice::fromPush(m_link->adminVoice());
    setVisible(!m_voice.isEmpty());
    if (m_voice.logo.isNull()) {
        m_logo->hide();
    } else {
        const qreal dpr = devicePixelRatioF();
        QImage scaled = m_voice.logo.scaledToHeight(qRound(kLogoHeight * dpr), Qt::SmoothTransformation);
        if (scaled.width() > 4 * kLogoHeight * dpr) // a very wide logo: bound the width instead
            scaled = m_voice.logo.scaledToWidth(qRound(4 * kLogoHeight * dpr), Qt::SmoothTransformation);
        QPixmap pixmap = QPixmap::fromImage(scaled);
        pixmap.setDevicePixelRatio(dpr);
        m_logo->setPixmap(pixmap);
        m_logo->setAccessibleName(m_voice.organisation.isEmpty() ? tr("Logo")
                                                                 : tr("Logo of %1").arg(m_voice.organisation));
        m_logo->show();
    }
    m_organisation->setText(m_voice.organisation);
    m_organisation->setVisible(!m_voice.organisation.isEmpty());
    QString html = m_voice.message.toHtmlEscaped();
    if (m_voice.infoUrl.isValid())
        html += QStringLiteral("%1<a href=\"%2\">%3</a>")
                    .arg(html.isEmpty() ? QString() : QStringLiteral(" "),
                         m_voice.infoUrl.toString(QUrl::FullyEncoded).toHtmlEscaped(), tr("More information"));
    m_message->setText(html);
    m_message->setVisible(!html.isEmpty());
    m_helpdesk->setText(tr("Contact the help des&k"));
    m_helpdesk->setToolTip(m_voice.helpdeskUrl.toDisplayString());
    m_helpdesk->setVisible(m_voice.helpdeskUrl.isValid());
}

} // namespace oco::ui
