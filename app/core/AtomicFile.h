#pragma once

#include <QByteArray>
#include <QString>

namespace oco {

// Replaces `path` with `data` so that readers see either the old or the new content, never a mix:
// temporary file in the same directory, fsync, rename, fsync of the directory.
bool writeFileAtomic(const QString &path, const QByteArray &data, int mode, QString *error);

// Reads a whole file; returns false and sets `error` (with the path) when it cannot.
bool readWholeFile(const QString &path, QByteArray *data, QString *error);

} // namespace oco
