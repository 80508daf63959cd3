#include "Archive.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <QSet>
#include <QStringList>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include <fcntl.h>
#include <unistd.h>

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

ExtractResult extractArchive(const QString &archivePath, const QString &destDir, const ExtractLimits &limits)
{
    ExtractResult result;
    std::unique_ptr<archive, ReadCloser> in;
    // First pass, nothing written: names, links, entry count and declared sizes of the whole archive.
    if (!openReader(in, archivePath, &result.error))
        return result;
    QList<EntryInfo> entries;
    QSet<QString> links, regularFiles;
    qint64 declared = 0;
    archive_entry *entry = nullptr;
    for (;;) {
        const int r = archive_read_next_header(in.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            result.error = QStringLiteral("the package archive is corrupt: %1")
                               .arg(QString::fromUtf8(archive_error_string(in.get())));
            return result;
        }
        if (entries.size() >= limits.maxEntries) {
            result.error = QStringLiteral("the package has more than %1 entries (extract-max-entries): refused")
                               .arg(limits.maxEntries);
            return result;
        }
        const EntryInfo info = describe(entry);
        const QString bad = checkName(info.name);
        if (!bad.isEmpty()) {
            result.error = QStringLiteral("refused a hostile package: %1").arg(bad);
            return result;
        }
        if (archive_entry_size_is_set(entry))
            declared += archive_entry_size(entry);
        if (declared > limits.maxTotalBytes) {
            result.error = QStringLiteral("the package declares more than %1 MiB of content (extract-max-mib): "
                                          "refused as a possible zip bomb")
                               .arg(mib(limits.maxTotalBytes));
            return result;
        }
        if (info.hardlink.isEmpty() && info.type == AE_IFLNK)
            links.insert(cleanRelative(info.name));
        else if (info.hardlink.isEmpty() && info.type == AE_IFREG)
            regularFiles.insert(cleanRelative(info.name));
        entries.append(info);
        archive_read_data_skip(in.get());
    }
    for (const EntryInfo &e : qAsConst(entries)) {
        const QString problem = checkEntry(e, links, regularFiles);
        if (!problem.isEmpty()) {
            result.error = QStringLiteral("refused a hostile package: %1").arg(problem);
            return result;
        }
    }
    // Second pass: extract; sizes are counted again as data really comes out (declared sizes can lie).
    if (!openReader(in, archivePath, &result.error))
        return result;
    std::unique_ptr<archive, WriteCloser> out(archive_write_disk_new());
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                  ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                  ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_UNLINK);
    // libarchive's secure flags work on relative paths: extract from inside the destination and return to
    // the previous working directory afterwards (the agent's cycle is single-threaded).
    const int oldCwd = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (oldCwd < 0 || ::chdir(QFile::encodeName(destDir).constData()) != 0) {
        if (oldCwd >= 0)
            ::close(oldCwd);
        result.error = QStringLiteral("cannot enter the staging directory %1").arg(destDir);
        return result;
    }
    struct CwdRestorer
    {
        int fd;
        ~CwdRestorer()
        {
            [[maybe_unused]] const int r = ::fchdir(fd);
            ::close(fd);
        }
    } restore{oldCwd};
    qsizetype index = 0;
    for (;;) {
        const int r = archive_read_next_header(in.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            result.error = QStringLiteral("the package archive is corrupt: %1")
                               .arg(QString::fromUtf8(archive_error_string(in.get())));
            return result;
        }
        const EntryInfo info = describe(entry);
        const QString &name = info.name;
        // Only what the first pass checked may be written.
        if (index >= entries.size() || entries.at(index).name != name || entries.at(index).type != info.type ||
            entries.at(index).symlink != info.symlink || entries.at(index).hardlink != info.hardlink) {
            result.error = QStringLiteral("the package archive changed while it was being extracted");
            return result;
        }
        ++index;
        ++result.entries;
        archive_entry_set_perm(entry, archive_entry_perm(entry) & 0777);
        if (archive_write_header(out.get(), entry) != ARCHIVE_OK) {
            result.error =
                QStringLiteral("cannot extract '%1': %2").arg(name, QString::fromUtf8(archive_error_string(out.get())));
            return result;
        }
        if (archive_entry_size(entry) > 0 || archive_entry_filetype(entry) == AE_IFREG) {
            const void *buf = nullptr;
            size_t size = 0;
            la_int64_t offset = 0;
            for (;;) {
                const int rr = archive_read_data_block(in.get(), &buf, &size, &offset);
                if (rr == ARCHIVE_EOF)
                    break;
                if (rr != ARCHIVE_OK) {
                    result.error = QStringLiteral("the package archive is corrupt at '%1': %2")
                                       .arg(name, QString::fromUtf8(archive_error_string(in.get())));
                    return result;
                }
                result.bytes += static_cast<qint64>(size);
                if (result.bytes > limits.maxTotalBytes) {
                    result.error = QStringLiteral("the package expands to more than %1 MiB (extract-max-mib): "
                                                  "refused as a possible zip bomb")
                                       .arg(mib(limits.maxTotalBytes));
                    return result;
                }
                if (archive_write_data_block(out.get(), buf, size, offset) != ARCHIVE_OK) {
                    result.error = QStringLiteral("cannot write '%1': %2")
                                       .arg(name, QString::fromUtf8(archive_error_string(out.get())));
                    return result;
                }
            }
        }
        if (archive_write_finish_entry(out.get()) != ARCHIVE_OK) {
            result.error =
                QStringLiteral("cannot finish '%1': %2").arg(name, QString::fromUtf8(archive_error_string(out.get())));
            return result;
        }
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK) {
        result.error =
            QStringLiteral("cannot finish extraction: %1").arg(QString::fromUtf8(archive_error_string(out.get())));
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace oco
