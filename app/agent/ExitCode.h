#pragma once

#include "platform/Service.h"

namespace oco {

// The exit status of oco-agent (README, man oco-agent).
enum ExitCode : int
{
    ExitOk = 0,
    ExitCycleFailed = 1,                     // the one cycle of --once failed
    ExitConfig = 2,                          // the configuration or the state directory cannot be used
    ExitLocked = 3,                          // another agent holds the state directory
    ExitRefused = 4,                         // the service refused a control request
    ExitUsage = 64,                          // invalid command line
    ExitUnavailable = 69,                    // the service cannot be reached over the control socket
    ExitRestart = platform::RestartExitCode, // a job asked to exit: the service manager starts us again
};

} // namespace oco
