#pragma once

#include <QString>

namespace oco::platform {

// "linux" or "stub": the implementation this build uses (OCO_PLATFORM).
QString name();

// The error text of a seam function this system has no implementation for.
QString notAvailable(const QString &what);

} // namespace oco::platform
