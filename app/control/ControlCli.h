#pragma once

#include <QString>

namespace oco {

struct CommandLine;

// `oco-agent --status`, `--cancel-power-action` and `--control-request`: one request to the running service
// through its control socket (`--socket`, else `defaultSocket` from the config), the answer printed.
// Returns the exit status.
int runControlCli(const CommandLine &commandLine, const QString &defaultSocket);

} // namespace oco
