#include "AdminVoice.h"

#include <QBuffer>
#include <QImageReader>

namespace oco::ui {

namespace {
QUrl safeLink(const QString &text, bool web)
{
    const QUrl u(text, QUrl::StrictMode);
    const QString s = u.scheme();
    if (!u.isValid())
        return {};
    if ((s == QLatin1String("http") || s == QLatin1String("https")) && !u.host().isEmpty())
        return u;
    if (!web && (s == QLatin1String("mailto") || s == QLatin1String("tel")) && !u.path().isEmpty())
        return u;
    return {};
}

QImage readLogo(const QString &base64)
{
    QByteArray bytes = QByteArray::fromBase64(base64.toLatin1());
    if (bytes.isEmpty() || bytes.size() > 256 * 1024)
        return {};
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QByteArray format = reader.format();
    if (format != "png" && format != "jpeg")
        return {};
    const QSize size = reader.size(); // from the header, before anything is decoded
    if (!size.isValid() || size.width() > AdminVoice::kMaxLogoSide || size.height() > AdminVoice::kMaxLogoSide)
        return {};
    return reader.read();
}
} // namespace

QString AdminVoice::pick(const QJsonObject &perLanguage, const QLocale &locale)
{
    const QString name = locale.name().toLower(); // "de_at"
    for (const QString &key : {name, name.section(QLatin1Char('_'), 0, 0), QString()}) {
        const QString text = perLanguage.value(key).toString().trimmed();
        if (!text.isEmpty())
            return text;
    }
    return {};
}

AdminVoice AdminVoice::fromPush(const QJsonObject &push, const QLocale &locale)
{
    AdminVoice v;
    auto text = [&](const char *key) { return pick(push.value(QLatin1String(key)).toObject(), locale); };
    v.organisation = text("organisation");
    v.message = text("message");
    v.infoUrl = safeLink(text("info_url"), true);
    v.helpdeskUrl = safeLink(text("helpdesk_url"), false);
    v.logo = readLogo(push.value(QStringLiteral("logo")).toString());
    return v;
}

} // namespace oco::ui
