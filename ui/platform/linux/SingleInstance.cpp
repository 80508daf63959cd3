#include "platform/SingleInstance.h"

#include <QDir>
#include <QStandardPaths>

#include <unistd.h>

namespace oco::ui::platform {

QString singleInstanceName()
{
    QString display = QString::fromLocal8Bit(qgetenv("WAYLAND_DISPLAY"));
    if (display.isEmpty())
        display = QString::fromLocal8Bit(qgetenv("DISPLAY"));
    display.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char(':'), QLatin1Char('_'));
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    return QStringLiteral("%1/oco-tray-%2-%3").arg(dir).arg(::getuid()).arg(display);
}

} // namespace oco::ui::platform
