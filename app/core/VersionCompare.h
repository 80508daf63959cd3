#pragma once

#include <QString>

namespace oco {

// Compares two version strings the way PHP's version_compare() does (the OCO server decides with it
// whether an agent speaks the signed protocol, docs/server-protocol.md §4.1). Returns -1, 0 or 1.
int versionCompare(const QString &a, const QString &b);

} // namespace oco
