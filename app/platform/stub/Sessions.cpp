#include "platform/Sessions.h"

namespace oco::platform {

QList<SessionRecord> loginRecords(const QString &)
{
    return {};
}

QString userName(uint uid)
{
    return QString::number(uid);
}

std::optional<uint> userId(const QString &)
{
    return std::nullopt;
}

QString userRuntimeDir(uint)
{
    return {};
}

QString userBusAddress(uint)
{
    return {};
}

} // namespace oco::platform
