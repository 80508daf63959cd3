#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace oco::platform {

// Every inventory file read goes through here, so a test can point the whole inventory at a fixture tree.
class SysRoot
{
public:
    explicit SysRoot(QString root = QStringLiteral("/"));

    QString root() const { return m_root; }
    bool isHostRoot() const { return m_hostRoot; }
    // The real path of an absolute path inside the root.
    QString path(const QString &absolute) const;

    QByteArray read(const QString &absolute, bool *ok = nullptr) const;
    // Text of a one-line sysfs/proc file without the trailing newline; empty if absent.
    QString readLine(const QString &absolute, bool *ok = nullptr) const;
    bool exists(const QString &absolute) const;
    bool isDir(const QString &absolute) const;
    // Names of the entries of a directory, sorted by name (stable output order).
    QStringList list(const QString &absolute) const;
    // Target of a symbolic link as stored (may be relative); empty if not a link.
    QString linkTarget(const QString &absolute) const;

private:
    QString m_root;
    bool m_hostRoot = true;
};

} // namespace oco::platform
