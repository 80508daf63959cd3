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

namespace {
// An entry is disabled by Hidden=true (the spec) or X-GNOME-Autostart-enabled=false (GNOME).
bool entryEnabled(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    bool inEntry = false;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().simplified().replace(' ', "");
        if (line.startsWith('['))
            inEntry = line == "[DesktopEntry]";
        else if (inEntry && (line == "Hidden=true" || line == "X-GNOME-Autostart-enabled=false"))
            return false;
    }
    return true;
}

bool writeEntry(const QString &path, const QByteArray &content, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = Preferences::tr("Cannot create the folder %1.").arg(QFileInfo(path).absolutePath());
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(content) < 0 || !out.commit()) {
        *error = Preferences::tr("Cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}
} // namespace

QString Preferences::systemAutostartPath()
{
    QString dirs = QString::fromLocal8Bit(qgetenv("XDG_CONFIG_DIRS"));
    if (dirs.isEmpty())
        dirs = QStringLiteral("/etc/xdg");
    for (const QString &dir : dirs.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QString path = dir + QStringLiteral("/autostart/oco-tray.desktop");
        if (QFileInfo::exists(path))
            return path; // the first one found counts
    }
    return {};
}

bool Preferences::startWithSession() const
{
    if (QFileInfo::exists(autostartPath()))
        return entryEnabled(autostartPath());
    const QString system = systemAutostartPath();
    return !system.isEmpty() && entryEnabled(system);
}

bool Preferences::setStartWithSession(bool on, QString *error)
{
    const QString path = autostartPath();
    const QString system = systemAutostartPath();
    const bool systemOn = !system.isEmpty() && entryEnabled(system);
    if (on == systemOn) {
        // The system-wide entry already says so: no override.
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            *error = tr("Cannot remove %1.").arg(path);
            return false;
        }
        return true;
    }
    if (!on) // only reached with a system-wide entry that starts the tray
        return writeEntry(path, "[Desktop Entry]\nType=Application\nName=OCO Agent tray\nExec=oco-tray\nHidden=true\n",
                          error);
    QFile source(QStringLiteral(":/oco-tray/oco-tray-autostart.desktop"));
    if (!source.open(QIODevice::ReadOnly)) {
        *error = tr("The autostart entry is missing from this build.");
        return false;
    }
    return writeEntry(path, source.readAll(), error);
}

} // namespace oco::ui
