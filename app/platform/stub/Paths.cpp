#include "platform/Paths.h"

#include <QDir>
#include <QStandardPaths>

namespace oco::platform {

// Qt's per-user locations: enough for a build that runs nothing as a service.
namespace {
QString dataDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("oco-agent"));
}
} // namespace

QString defaultConfigFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("oco-agent.ini"));
}

QString defaultStateDirectory()
{
    return dataDir();
}

QString defaultControlSocket()
{
    return QStringLiteral("oco-agent-control"); // a QLocalServer name
}

QString defaultServiceChecksDirectory()
{
    return QDir(dataDir()).filePath(QStringLiteral("service-checks"));
}

QString resolverConfigFile()
{
    return {};
}

QString processInfoRoot()
{
    return {};
}

QString deviceRoot()
{
    return {};
}

} // namespace oco::platform
