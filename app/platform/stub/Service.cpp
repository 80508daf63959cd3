#include "platform/Service.h"

#include "platform/Platform.h"

namespace oco::platform {

StopRequests::StopRequests(QObject *parent)
    : QObject(parent)
{}

StopRequests::~StopRequests() = default;

bool StopRequests::install(QString *error)
{
    *error = notAvailable(QStringLiteral("listening for stop requests"));
    return false;
}

void releaseFreeMemory() {}

} // namespace oco::platform
