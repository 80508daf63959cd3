#include "platform/Paths.h"

namespace oco::platform {

QString defaultConfigFile()
{
    return QStringLiteral("/etc/oco-agent.ini");
}

QString defaultStateDirectory()
{
    return QStringLiteral("/var/lib/oco-agent");
}

QString defaultControlSocket()
{
    return QStringLiteral("/run/oco-agent/control.sock");
}

QString defaultServiceChecksDirectory()
{
    return QStringLiteral("/usr/lib/oco-agent/service-checks");
}

QString resolverConfigFile()
{
    return QStringLiteral("/etc/resolv.conf");
}

QString processInfoRoot()
{
    return QStringLiteral("/proc");
}

QString deviceRoot()
{
    return QStringLiteral("/dev");
}

} // namespace oco::platform
