#include "platform/Autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace oco::ui::platform {

namespace {

// Texts keep the translation context of the class they came from (Preferences), so the existing
// translations still apply.
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
        *error = QCoreApplication::translate("oco::ui::Preferences", "Cannot create the folder %1.")
                     .arg(QFileInfo(path).absolutePath());
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(content) < 0 || !out.commit()) {
        *error =
            QCoreApplication::translate("oco::ui::Preferences", "Cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}

} // namespace

QString userAutostartPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/oco-tray.desktop");
}

QString systemAutostartPath()
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

bool startsWithSession()
{
    if (QFileInfo::exists(userAutostartPath()))
        return entryEnabled(userAutostartPath());
    const QString system = systemAutostartPath();
    return !system.isEmpty() && entryEnabled(system);
}

bool setStartWithSession(bool on, QString *error)
{
    const QString path = userAutostartPath();
    const QString system = systemAutostartPath();
    const bool systemOn = !system.isEmpty() && entryEnabled(system);
    if (on == systemOn) {
        // The system-wide entry already says so: no override.
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            *error = QCoreApplication::translate("oco::ui::Preferences", "Cannot remove %1.").arg(path);
            return false;
        }
        return true;
    }
    if (!on) // only reached with a system-wide entry that starts the tray
        return writeEntry(path, "[Desktop Entry]\nType=Application\nName=OCO Agent tray\nExec=oco-tray\nHidden=true\n",
                          error);
    QFile source(QStringLiteral(":/oco-tray/oco-tray-autostart.desktop"));
    if (!source.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("oco::ui::Preferences", "The autostart entry is missing from this build.");
        return false;
    }
    return writeEntry(path, source.readAll(), error);
}

} // namespace oco::ui::platform
