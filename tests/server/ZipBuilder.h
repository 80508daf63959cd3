#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

struct archive;

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
    // A file of `size` zero bytes generated while writing (large packages, zip bombs) without memory.
    ZipBuilder &zeros(const QString &name, qint64 size, int mode = 0644);
    // Store entries uncompressed (a 1 GiB package that really is 1 GiB on the wire).
    ZipBuilder &stored(bool on = true)
    {
        m_stored = on;
        return *this;
    }
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
            Hardlink,
            Zeros
        } kind;
        QString name;
        QByteArray data;
        QString target;
        int mode;
        qint64 size = 0;
    };
    void writeEntries(::archive *a) const;
    QVector<Entry> m_entries;
    bool m_stored = false;
};

} // namespace oco::test
