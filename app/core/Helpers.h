#pragma once

#include <QString>

#include <cstdio>

namespace oco {

// Where one of the service's helper programs (oco-agent-unpack, oco-agent-session) is: `override` when set
// (a test hook), else next to the running program when it is there (a build tree), else the installed one
// in the package's libexec directory.
QString helperProgram(const QString &name, const QString &override);

// Writes `text` and a newline to `to` (stdout, stderr) as UTF-8.
void printLine(std::FILE *to, const QString &text);

} // namespace oco
