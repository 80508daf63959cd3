#pragma once

#include "jobs/Archive.h"

#include <QString>

namespace oco {

// Extracts a package with oco-agent-unpack, a process of its own: libarchive parses what the server sent
// outside the service, so a crash or a hang in the parser fails the job instead of the service, the event
// loop (control socket, signals) keeps running meanwhile, and the idle service does not carry libarchive.
// Same rules and result as extractArchive(); the extractor is killed after `timeoutSecs`. Which program:
// helperProgram("oco-agent-unpack", the unpack helper of core/TestHooks.h).
ExtractResult extractPackage(const QString &archivePath, const QString &destDir, const ExtractLimits &limits,
                             double timeoutSecs = 3600);

} // namespace oco
