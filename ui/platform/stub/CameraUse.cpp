#include "platform/CameraUse.h"

namespace oco::ui::platform {

uint currentUserId()
{
    return 0;
}

bool mayHaveCamera(const QString &)
{
    return true;
}

bool findCameraUser(const QString &, uint, QString *)
{
    return false; // cannot tell here
}

} // namespace oco::ui::platform
