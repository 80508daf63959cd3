#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace oco::platform {

class SysRoot;

// Packages whose files are installed, from dpkg's status database and the journal of updates dpkg has not
// merged yet (/var/lib/dpkg/updates/NNNN, applied in order); first line of the description; one row for
// multi-arch twins.
QJsonArray parseDpkgStatus(const QByteArray &status, const QList<QByteArray> &updates = {});
QJsonArray collectDpkg(const SysRoot &root);
// Output of `rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\t%{SUMMARY}\n'`.
QJsonArray parseRpmQuery(const QByteArray &output);
// System-wide flatpak applications (/var/lib/flatpak/app): id, version and summary from their AppStream file.
QJsonArray collectFlatpaks(const SysRoot &root);
// Snaps (/snap/<name>/current/meta/snap.yaml).
QJsonArray collectSnaps(const SysRoot &root);
// rpm database through the rpm program, only when both are present.
QJsonArray collectRpms(const SysRoot &root);

// All of the above, each source failing on its own (logged), in the order dpkg, rpm, flatpak, snap.
QJsonArray collectSoftware(const SysRoot &root);

} // namespace oco::platform
