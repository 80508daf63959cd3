#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace oco::test {

// Builds real ZIP archives with libarchive's writer, including hostile ones (`../` names, absolute paths,
// symlinks and hard links pointing out) that ordinary zip tools refuse to make.
class ZipBuilder
{
public:
    ZipBuilder &file(const QString &name, const QByteArray &data, int mode = 0644);
    ZipBuilder &dir(const QString &name, int mode = 0755);
    ZipBuilder &symlink(const QString &name, const QString &target);
    ZipBuilder &hardlink(const QString &name, const QString &target);
    QByteArray build() const;
    // The same entries as a POSIX tar archive (ZIP has no hard links; tar packages are accepted too).
    QByteArray buildTar() const;
    bool writeTo(const QString &path) const;

private:
    QByteArray buildFormat(bool tar) const;
    struct Entry
    {
        enum Kind
        {
            File,
            Dir,
            Symlink,
            Hardlink
        } kind;
        QString name;
        QByteArray data;
        QString target;
        int mode;
    };
    QVector<Entry> m_entries;
};

} // namespace oco::test
