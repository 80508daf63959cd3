#include "ZipBuilder.h"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

namespace oco::test {

ZipBuilder &ZipBuilder::file(const QString &name, const QByteArray &data, int mode)
{
    m_entries.push_back({Entry::File, name, data, {}, mode});
    return *this;
}

ZipBuilder &ZipBuilder::dir(const QString &name, int mode)
{
    m_entries.push_back({Entry::Dir, name, {}, {}, mode});
    return *this;
}

ZipBuilder &ZipBuilder::symlink(const QString &name, const QString &target)
{
    m_entries.push_back({Entry::Symlink, name, {}, target, 0777});
    return *this;
}

ZipBuilder &ZipBuilder::hardlink(const QString &name, const QString &target)
{
    m_entries.push_back({Entry::Hardlink, name, {}, target, 0644});
    return *this;
}

ZipBuilder &ZipBuilder::zeros(const QString &name, qint64 size, int mode)
{
    Entry e{Entry::Zeros, name, {}, {}, mode};
    e.size = size;
    m_entries.push_back(e);
    return *this;
}

namespace {
la_ssize_t writeCb(archive *, void *client, const void *buf, size_t n)
{
    static_cast<QByteArray *>(client)->append(static_cast<const char *>(buf), static_cast<qsizetype>(n));
    return static_cast<la_ssize_t>(n);
}
} // namespace

void ZipBuilder::writeEntries(archive *a) const
{
    for (const Entry &e : m_entries) {
        archive_entry *ae = archive_entry_new();
        const QByteArray name = e.name.toUtf8();
        archive_entry_set_pathname(ae, name.constData());
        archive_entry_set_mtime(ae, 1700000000, 0);
        switch (e.kind) {
        case Entry::File:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_size(ae, e.data.size());
            break;
        case Entry::Zeros:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_size(ae, e.size);
            break;
        case Entry::Dir:
            archive_entry_set_filetype(ae, AE_IFDIR);
            break;
        case Entry::Symlink:
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_symlink(ae, e.target.toUtf8().constData());
            break;
        case Entry::Hardlink:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_hardlink(ae, e.target.toUtf8().constData());
            archive_entry_set_size(ae, 0);
            break;
        }
        archive_entry_set_perm(ae, static_cast<mode_t>(e.mode));
        archive_write_header(a, ae);
        if (e.kind == Entry::File && !e.data.isEmpty())
            archive_write_data(a, e.data.constData(), static_cast<size_t>(e.data.size()));
        if (e.kind == Entry::Zeros) {
            const QByteArray chunk(1024 * 1024, '\0');
            for (qint64 left = e.size; left > 0;) {
                const qint64 n = std::min<qint64>(left, chunk.size());
                archive_write_data(a, chunk.constData(), static_cast<size_t>(n));
                left -= n;
            }
        }
        archive_entry_free(ae);
    }
}

QByteArray ZipBuilder::build() const
{
    return buildFormat(false);
}

QByteArray ZipBuilder::buildTar() const
{
    return buildFormat(true);
}

QByteArray ZipBuilder::buildFormat(bool tar) const
{
    QByteArray out;
    archive *a = archive_write_new();
    if (tar)
        archive_write_set_format_pax_restricted(a);
    else
        archive_write_set_format_zip(a);
    if (m_stored && !tar)
        archive_write_set_options(a, "zip:compression=store");
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, &out, nullptr, writeCb, nullptr);
    writeEntries(a);
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

bool ZipBuilder::writeTo(const QString &path) const
{
    archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    if (m_stored)
        archive_write_set_options(a, "zip:compression=store");
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open_filename(a, QFile::encodeName(path).constData()) != ARCHIVE_OK) {
        archive_write_free(a);
        return false;
    }
    writeEntries(a);
    const bool ok = archive_write_close(a) == ARCHIVE_OK;
    archive_write_free(a);
    return ok;
}

} // namespace oco::test
