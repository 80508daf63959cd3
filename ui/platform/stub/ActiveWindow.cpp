#include "platform/ActiveWindow.h"

namespace oco::ui::platform {

ActiveWindow activeWindow()
{
    return {}; // Unknown: nobody to ask
}

} // namespace oco::ui::platform
