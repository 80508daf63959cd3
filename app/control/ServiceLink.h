#pragma once

// Transitional: app/main.cpp still names the control socket's controller by its former name. Remove this
// header once it includes ControlService.h.
#include "ControlService.h"

namespace oco {
using ServiceLink = ControlService;
} // namespace oco
