#include "Archive.h"

#include <QDir>
#include <QFile>
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

QString checkEntry(archive_entry *e, const QString &name)
{
    if (name.startsWith(QLatin1Char('/')) || (name.size() > 1 && name.at(1) == QLatin1Char(':')))
        return QStringLiteral("entry '%1' has an absolute path").arg(name);
    if (name.contains(QLatin1Char('\\')) && !staysInside(QString(name).replace(QLatin1Char('\\'), QLatin1Char('/'))))
        return QStringLiteral("entry '%1' points outside the package directory").arg(name);
    if (!staysInside(name))
        return QStringLiteral("entry '%1' points outside the package directory").arg(name);
    const mode_t type = archive_entry_filetype(e);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
        return QStringLiteral("entry '%1' is a device, FIFO or socket").arg(name);
    if (type == AE_IFLNK) {
        const char *t = archive_entry_symlink(e);
        const QString target = t ? QString::fromUtf8(t) : QString();
        const int slash = name.lastIndexOf(QLatin1Char('/'));
        const QString dir = slash >= 0 ? name.left(slash) : QString();
        if (target.isEmpty() || target.startsWith(QLatin1Char('/')) ||
            !staysInside(dir.isEmpty() ? target : dir + QLatin1Char('/') + target))
            return QStringLiteral("symlink '%1' points outside the package directory (to '%2')").arg(name, target);
    }
    if (const char *h = archive_entry_hardlink(e)) {
        const QString target = QString::fromUtf8(h);
        if (!staysInside(target))
            return QStringLiteral("hard link '%1' points outside the package directory (to '%2')").arg(name, target);
    }
    return {};
}
} // namespace

ExtractResult extractArchive(const QString &archivePath, const QString &destDir, const ExtractLimits &limits)
{
    ExtractResult result;
    std::unique_ptr<archive, ReadCloser> in(archive_read_new());
    // OCO packages are ZIP files; tar archives (which some admins upload instead) are accepted too.
    archive_read_support_format_zip(in.get());
    archive_read_support_format_tar(in.get());
    archive_read_support_filter_none(in.get());
    if (archive_read_open_filename(in.get(), QFile::encodeName(archivePath).constData(), 64 * 1024) != ARCHIVE_OK) {
        result.error = QStringLiteral("the package is not a readable ZIP or tar archive: %1")
                           .arg(QString::fromUtf8(archive_error_string(in.get())));
        return result;
    }
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
        const QString name = entryName(entry);
        const QString problem = checkEntry(entry, name);
        if (!problem.isEmpty()) {
            result.error = QStringLiteral("refused a hostile package: %1").arg(problem);
            return result;
        }
        if (++result.entries > limits.maxEntries) {
            result.error = QStringLiteral("the package has more than %1 entries: refused").arg(limits.maxEntries);
            return result;
        }
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
                    result.error = QStringLiteral("the package expands to more than %1 MiB: refused (zip bomb?)")
                                       .arg(limits.maxTotalBytes / (1024 * 1024));
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
