#include "Archive.h"

#include "platform/Sandbox.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <QSet>
#include <QStringList>

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <memory>

namespace oco {

bool staysInside(const QString &relative)
{
    if (relative.isEmpty() || relative.startsWith(QLatin1Char('/')))
        return false;
    int depth = 0;
    const QStringList parts = relative.split(QLatin1Char('/'));
    for (const QString &p : parts) {
        if (p.isEmpty() || p == QLatin1String("."))
            continue;
        if (p == QLatin1String("..")) {
            if (--depth < 0)
                return false;
        } else {
            ++depth;
        }
    }
    return true;
}

namespace {
struct ReadCloser
{
    void operator()(archive *a) const { archive_read_free(a); }
};
struct WriteCloser
{
    void operator()(archive *a) const { archive_write_free(a); }
};

QString entryName(archive_entry *e)
{
    const char *utf8 = archive_entry_pathname_utf8(e);
    if (utf8)
        return QString::fromUtf8(utf8);
    const char *raw = archive_entry_pathname(e);
    return raw ? QString::fromLocal8Bit(raw) : QString();
}

// libarchive's disk writer says "Write failed" without the reason; errno has it (disk full, read-only).
QString writeError(archive *a)
{
    const QString text = QString::fromUtf8(archive_error_string(a));
    const int err = archive_errno(a);
    if (err > 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(err));
        if (!text.contains(why))
            return text.isEmpty() ? why : QStringLiteral("%1: %2").arg(text, why);
    }
    return text;
}

// Lexically cleaned relative path ("a/./b/../c" -> "a/c"); the caller made sure it stays inside.
QString cleanRelative(const QString &path)
{
    QStringList out;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &p : parts) {
        if (p.isEmpty() || p == QLatin1String("."))
            continue;
        if (p == QLatin1String("..")) {
            if (!out.isEmpty())
                out.removeLast();
        } else {
            out << p;
        }
    }
    return out.join(QLatin1Char('/'));
}

// True when walking `path` passes through one of the archive's own symlinks and goes on from there: the
// lexical check cannot see where such a path really ends (a link to "." followed by ".." leaves the root).
bool passesThroughLink(const QString &path, const QSet<QString> &links)
{
    QStringList prefix;
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (int i = 0; i < parts.size(); ++i) {
        const QString &p = parts.at(i);
        if (p == QLatin1String("."))
            continue;
        if (p == QLatin1String("..")) {
            if (!prefix.isEmpty())
                prefix.removeLast();
            continue;
        }
        prefix << p;
        if (i + 1 < parts.size() && links.contains(prefix.join(QLatin1Char('/'))))
            return true;
    }
    return false;
}

struct EntryInfo
{
    QString name;
    mode_t type = 0;
    QString symlink;
    QString hardlink;
};

EntryInfo describe(archive_entry *e)
{
    EntryInfo info;
    info.name = entryName(e);
    info.type = archive_entry_filetype(e);
    if (const char *t = archive_entry_symlink_utf8(e))
        info.symlink = QString::fromUtf8(t);
    else if (const char *t = archive_entry_symlink(e))
        info.symlink = QString::fromLocal8Bit(t);
    if (const char *h = archive_entry_hardlink_utf8(e))
        info.hardlink = QString::fromUtf8(h);
    else if (const char *h = archive_entry_hardlink(e))
        info.hardlink = QString::fromLocal8Bit(h);
    return info;
}

QString checkName(const QString &name)
{
    if (name.startsWith(QLatin1Char('/')) || (name.size() > 1 && name.at(1) == QLatin1Char(':')))
        return QStringLiteral("entry '%1' has an absolute path").arg(name);
    if (name.contains(QLatin1Char('\\')) && !staysInside(QString(name).replace(QLatin1Char('\\'), QLatin1Char('/'))))
        return QStringLiteral("entry '%1' points outside the package directory").arg(name);
    if (!staysInside(name))
        return QStringLiteral("entry '%1' points outside the package directory").arg(name);
    return {};
}

// Checks one entry against the whole archive's list of symlinks (collected in the first pass).
QString checkEntry(const EntryInfo &e, const QSet<QString> &links, const QSet<QString> &regularFiles)
{
    const QString &name = e.name;
    QString problem = checkName(name);
    if (!problem.isEmpty())
        return problem;
    if (passesThroughLink(name, links))
        return QStringLiteral("entry '%1' would be written through a symlink of the package").arg(name);
    if (!e.hardlink.isEmpty()) {
        const QString &target = e.hardlink;
        if (target.startsWith(QLatin1Char('/')) || !staysInside(target) || passesThroughLink(target, links))
            return QStringLiteral("hard link '%1' points outside the package directory (to '%2')").arg(name, target);
        if (!regularFiles.contains(cleanRelative(target)))
            return QStringLiteral("hard link '%1' points to '%2', which is not a file of the package")
                .arg(name, target);
        return {};
    }
    if (e.type != AE_IFREG && e.type != AE_IFDIR && e.type != AE_IFLNK)
        return QStringLiteral("entry '%1' is a device, FIFO or socket").arg(name);
    if (e.type == AE_IFLNK) {
        const QString &target = e.symlink;
        const int slash = cleanRelative(name).lastIndexOf(QLatin1Char('/'));
        const QString dir = slash >= 0 ? cleanRelative(name).left(slash) : QString();
        const QString resolved = dir.isEmpty() ? target : dir + QLatin1Char('/') + target;
        if (target.isEmpty() || target.startsWith(QLatin1Char('/')) || !staysInside(resolved) ||
            passesThroughLink(resolved, links))
            return QStringLiteral("symlink '%1' points outside the package directory (to '%2')").arg(name, target);
    }
    return {};
}

bool openReader(std::unique_ptr<archive, ReadCloser> &in, const QString &archivePath, QString *error)
{
    in.reset(archive_read_new());
    // Seekable: entries come from the central directory, and skipping an entry does not inflate it.
    archive_read_support_format_zip_seekable(in.get());
    // OCO packages are ZIP files; tar archives (which some admins upload instead) are accepted too.
    archive_read_support_format_tar(in.get());
    archive_read_support_filter_none(in.get());
    if (archive_read_open_filename(in.get(), QFile::encodeName(archivePath).constData(), 256 * 1024) != ARCHIVE_OK) {
        *error = QStringLiteral("the package is not a readable ZIP or tar archive: %1")
                     .arg(QString::fromUtf8(archive_error_string(in.get())));
        return false;
    }
    return true;
}

QString mib(qint64 bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', bytes < 10 * 1024 * 1024 ? 1 : 0);
}
} // namespace

namespace {
// What the first pass learns about the whole archive.
struct ArchiveListing
{
    QList<EntryInfo> entries;
    QSet<QString> links, regularFiles;
};

// First pass, nothing written: names, links, entry count and declared sizes of the whole archive.
bool listEntries(archive *in, const ExtractLimits &limits, ArchiveListing *listing, QString *error)
{
    qint64 declared = 0;
    archive_entry *entry = nullptr;
    for (;;) {
        const int r = archive_read_next_header(in, &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            *error =
                QStringLiteral("the package archive is corrupt: %1").arg(QString::fromUtf8(archive_error_string(in)));
            return false;
        }
        if (listing->entries.size() >= limits.maxEntries) {
            *error = QStringLiteral("the package has more than %1 entries (extract-max-entries): refused")
                         .arg(limits.maxEntries);
            return false;
        }
        const EntryInfo info = describe(entry);
        const QString bad = checkName(info.name);
        if (!bad.isEmpty()) {
            *error = QStringLiteral("refused a hostile package: %1").arg(bad);
            return false;
        }
        if (archive_entry_size_is_set(entry))
            declared += archive_entry_size(entry);
        if (declared > limits.maxTotalBytes) {
            *error = QStringLiteral("the package declares more than %1 MiB of content (extract-max-mib): "
                                    "refused as a possible zip bomb")
                         .arg(mib(limits.maxTotalBytes));
            return false;
        }
        if (info.hardlink.isEmpty() && info.type == AE_IFLNK)
            listing->links.insert(cleanRelative(info.name));
        else if (info.hardlink.isEmpty() && info.type == AE_IFREG)
            listing->regularFiles.insert(cleanRelative(info.name));
        listing->entries.append(info);
        archive_read_data_skip(in);
    }
    for (const EntryInfo &e : qAsConst(listing->entries)) {
        const QString problem = checkEntry(e, listing->links, listing->regularFiles);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("refused a hostile package: %1").arg(problem);
            return false;
        }
    }
    return true;
}

// Copies the current entry's data; sizes are counted as data really comes out (declared sizes can lie).
bool copyData(archive *in, archive *out, const QString &name, const ExtractLimits &limits, ExtractResult *result)
{
    const void *buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
        const int r = archive_read_data_block(in, &buf, &size, &offset);
        if (r == ARCHIVE_EOF)
            return true;
        if (r != ARCHIVE_OK) {
            result->error = QStringLiteral("the package archive is corrupt at '%1': %2")
                                .arg(name, QString::fromUtf8(archive_error_string(in)));
            return false;
        }
        result->bytes += static_cast<qint64>(size);
        if (result->bytes > limits.maxTotalBytes) {
            result->error = QStringLiteral("the package expands to more than %1 MiB (extract-max-mib): "
                                           "refused as a possible zip bomb")
                                .arg(mib(limits.maxTotalBytes));
            return false;
        }
        if (archive_write_data_block(out, buf, size, offset) != ARCHIVE_OK) {
            result->error = QStringLiteral("cannot write '%1': %2").arg(name, writeError(out));
            return false;
        }
    }
}

// Second pass, from inside the destination: writes exactly the entries the first pass checked.
bool writeEntries(archive *in, archive *out, const QList<EntryInfo> &checked, const ExtractLimits &limits,
                  ExtractResult *result)
{
    archive_entry *entry = nullptr;
    for (;;) {
        const int r = archive_read_next_header(in, &entry);
        if (r == ARCHIVE_EOF)
            return true;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            result->error =
                QStringLiteral("the package archive is corrupt: %1").arg(QString::fromUtf8(archive_error_string(in)));
            return false;
        }
        const EntryInfo info = describe(entry);
        const QString &name = info.name;
        const qsizetype index = result->entries;
        if (index >= checked.size() || checked.at(index).name != name || checked.at(index).type != info.type ||
            checked.at(index).symlink != info.symlink || checked.at(index).hardlink != info.hardlink) {
            result->error = QStringLiteral("the package archive changed while it was being extracted");
            return false;
        }
        ++result->entries;
        archive_entry_set_perm(entry, archive_entry_perm(entry) & 0777);
        if (archive_write_header(out, entry) != ARCHIVE_OK) {
            result->error = QStringLiteral("cannot extract '%1': %2").arg(name, writeError(out));
            return false;
        }
        if ((archive_entry_size(entry) > 0 || archive_entry_filetype(entry) == AE_IFREG) &&
            !copyData(in, out, name, limits, result))
            return false;
        if (archive_write_finish_entry(out) != ARCHIVE_OK) {
            result->error = QStringLiteral("cannot finish '%1': %2").arg(name, writeError(out));
            return false;
        }
    }
}
} // namespace

ExtractResult extractArchive(const QString &archivePath, const QString &destDir, const ExtractLimits &limits)
{
    ExtractResult result;
    std::unique_ptr<archive, ReadCloser> in;
    ArchiveListing listing;
    if (!openReader(in, archivePath, &result.error) || !listEntries(in.get(), limits, &listing, &result.error))
        return result;
    if (!openReader(in, archivePath, &result.error))
        return result;
    std::unique_ptr<archive, WriteCloser> out(archive_write_disk_new());
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                  ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                  ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_UNLINK);
    // libarchive's secure flags work on relative paths: extract from inside the destination and return to
    // the previous working directory afterwards (the agent's cycle is single-threaded).
    platform::WorkingDirectory cwd;
    if (!cwd.enter(destDir)) {
        result.error = QStringLiteral("cannot enter the staging directory %1").arg(destDir);
        return result;
    }
    if (!writeEntries(in.get(), out.get(), listing.entries, limits, &result))
        return result;
    if (archive_write_close(out.get()) != ARCHIVE_OK) {
        result.error =
            QStringLiteral("cannot finish extraction: %1").arg(QString::fromUtf8(archive_error_string(out.get())));
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace oco
