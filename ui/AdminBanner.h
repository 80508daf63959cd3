#pragma once

#include "AdminVoice.h"

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;

namespace oco::ui {

class ServiceClient;

// The admin's voice at the top of a notice: logo, organisation, message, "More information" and a help desk
// button. Hidden while the service passes nothing on; follows the `ui` push.
class AdminBanner : public QFrame
{
    Q_OBJECT
public:
    explicit AdminBanner(ServiceClient *link, QWidget *parent = nullptr);

    AdminVoice voice() const { return m_voice; }
    // The service sends the admin's words here (not only inside `power.pending`, as older services do).
    bool replacesNoticeText() const;
    static constexpr int kLogoHeight = 40;

    QLabel *logoLabel() const { return m_logo; }
    QLabel *organisationLabel() const { return m_organisation; }
    QLabel *messageLabel() const { return m_message; }
    QPushButton *helpdeskButton() const { return m_helpdesk; }

    // Opens a link (QDesktopServices by default); replaced in tests.
    using OpenUrl = std::function<void(const QUrl &)>;
    void setOpenUrl(OpenUrl open) { m_openUrl = std::move(open); }
    void openLink(const QUrl &url);

    // The text for the window's About box and similar places: organisation, message and links as HTML.
    static QString aboutHtml(const AdminVoice &voice);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    ServiceClient *m_link;
    AdminVoice m_voice;
    OpenUrl m_openUrl;
    QLabel *m_logo;
    QLabel *m_organisation;
    QLabel *m_message;
    QPushButton *m_helpdesk;
};

} // namespace oco::ui
