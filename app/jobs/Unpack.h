#pragma once

#include "jobs/Archive.h"

#include <QString>

namespace oco {

// Extracts a package with oco-agent-unpack, a process of its own: libarchive parses what the server sent
// outside the service, so a crash or a hang in the parser fails the job instead of the service, the event
// loop (control socket, signals) keeps running meanwhile, and the idle service does not carry libarchive.
// Same rules and result as extractArchive(); the extractor is killed after `timeoutSecs`.
ExtractResult extractPackage(const QString &archivePath, const QString &destDir, const ExtractLimits &limits,
                             double timeoutSecs = 3600);

// Where oco-agent-unpack is: $OCO_UNPACK_HELPER when set, else next to the running program when it is
// there (a build tree), else the installed one in the package's libexec directory.
QString unpackHelperPath();

} // namespace oco
