#include "platform/InstanceLock.h"

#include "platform/Platform.h"

namespace oco::platform {

InstanceLock::~InstanceLock() = default;

bool InstanceLock::acquire(const QString &, QString *error)
{
    *error = notAvailable(QStringLiteral("locking the state directory against a second agent"));
    return false;
}

} // namespace oco::platform
