#include "Preferences.h"

#include "platform/Autostart.h"

namespace oco::ui {

Preferences::Preferences()
    : m_settings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("oco"), QStringLiteral("oco-tray"))
{}

QString Preferences::language() const
{
    return m_settings.value(QStringLiteral("language")).toString();
}

void Preferences::setLanguage(const QString &lang)
{
    m_settings.setValue(QStringLiteral("language"), lang);
    m_settings.sync();
}

bool Preferences::notifications() const
{
    return m_settings.value(QStringLiteral("notifications"), true).toBool();
}

void Preferences::setNotifications(bool on)
{
    m_settings.setValue(QStringLiteral("notifications"), on);
    m_settings.sync();
}

QString Preferences::panel() const
{
    return m_settings.value(QStringLiteral("panel"), QStringLiteral("auto")).toString();
}

void Preferences::setPanel(const QString &panel)
{
    m_settings.setValue(QStringLiteral("panel"), panel);
    m_settings.sync();
}

QByteArray Preferences::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

void Preferences::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(QStringLiteral("window/geometry"), geometry);
    m_settings.sync();
}

QString Preferences::autostartPath()
{
    return platform::userAutostartPath();
}

QString Preferences::systemAutostartPath()
{
    return platform::systemAutostartPath();
}

bool Preferences::startWithSession() const
{
    return platform::startsWithSession();
}

bool Preferences::setStartWithSession(bool on, QString *error)
{
    return platform::setStartWithSession(on, error);
}

} // namespace oco::ui
