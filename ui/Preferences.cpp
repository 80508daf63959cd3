#include "Preferences.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

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
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/oco-tray.desktop");
}

bool Preferences::startWithSession() const
{
    return QFileInfo::exists(autostartPath());
}

bool Preferences::setStartWithSession(bool on, QString *error)
{
    const QString path = autostartPath();
    if (!on) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            *error = tr("Cannot remove %1.").arg(path);
            return false;
        }
        return true;
    }
    QFile source(QStringLiteral(":/oco-tray/oco-tray-autostart.desktop"));
    if (!source.open(QIODevice::ReadOnly)) {
        *error = tr("The autostart entry is missing from this build.");
        return false;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = tr("Cannot create the folder %1.").arg(QFileInfo(path).absolutePath());
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(source.readAll()) < 0 || !out.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}

} // namespace oco::ui
