#pragma once

#include <QImage>
#include <QJsonObject>
#include <QLocale>
#include <QString>
#include <QUrl>

namespace oco::ui {

// What the admin tells every user ([ui] in the service's config, the `ui` push), in one language: the
// organisation's name and logo, a message, a "More information" link and a help desk link.
class AdminVoice
{
public:
    AdminVoice() = default;
    // Picks each text in the locale's language ("de_AT", then "de"), else the untranslated one. Links other
    // than http(s), mailto: and tel: and logos that are not small images are left out.
    static AdminVoice fromPush(const QJsonObject &push, const QLocale &locale = QLocale());
    static QString pick(const QJsonObject &perLanguage, const QLocale &locale);

    static constexpr int kMaxLogoSide = 2048;

    QString organisation;
    QString message;
    QUrl infoUrl;
    QUrl helpdeskUrl;
    QImage logo;

    bool isEmpty() const
    {
        return organisation.isEmpty() && message.isEmpty() && infoUrl.isEmpty() && helpdeskUrl.isEmpty() &&
               logo.isNull();
    }
};

} // namespace oco::ui
