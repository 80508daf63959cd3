#pragma once

#include <QString>

namespace oco {

struct ExtractLimits
{
    qint64 maxTotalBytes = 16LL * 1024 * 1024 * 1024; // what all entries may expand to together
    qint64 maxEntries = 200000;
};

struct ExtractResult
{
    bool ok = false;
    QString error;
    qint64 entries = 0;
    qint64 bytes = 0;
};

// Extracts a ZIP (or tar) package into `destDir` with libarchive. Every entry is checked before anything is written:
// absolute paths, `..` components, symlinks or hard links pointing outside `destDir` abort the extraction
// with an error naming the entry. Unix permission bits are restored (without setuid/setgid/sticky);
// ownership is not. Total size and entry count are limited so a zip bomb is refused.
ExtractResult extractArchive(const QString &archivePath, const QString &destDir, const ExtractLimits &limits = {});

// Lexical check used for entry names and link targets: true when `relative` stays inside its root.
bool staysInside(const QString &relative);

} // namespace oco
