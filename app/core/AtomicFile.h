#pragma once

#include "platform/SecureFile.h"

#include <QByteArray>
#include <QString>

namespace oco {

// Replaces `path` with `data` so that readers see either the old or the new content, never a mix
// (platform/SecureFile.h).
using platform::writeFileAtomic;

// Reads a whole file; returns false and sets `error` (with the path) when it cannot.
bool readWholeFile(const QString &path, QByteArray *data, QString *error);

} // namespace oco
