#pragma once

#include <QByteArray>
#include <QString>

namespace oco::platform {

// Replaces `path` with `data` so that readers see either the old or the new content, never a mix:
// temporary file in the same directory, flushed to disk, renamed over the target, directory flushed.
// Temporary files that earlier interrupted writes of the same file left behind are removed.
bool writeFileAtomic(const QString &path, const QByteArray &data, int mode, QString *error);

// Makes the existing directory `dir` private to the user the agent runs as (owner only) and checks that
// this user may create files in it; false with the system's reason when it may not.
bool makeDirectoryPrivate(const QString &dir, QString *reason);

// A directory whose content no user but root (or the user the agent runs as) can change, opened so that
// what was checked is what is used: the path is walked one component at a time from /, each directory
// opened relative to the one before without following links. Trusted means owned by root (or the agent's
// user) and not writable by group or others; ancestors may instead be sticky (like /tmp), where others can
// add entries but cannot rename or replace ours. A symbolic link on the way is followed only when root (or
// the agent's user) owns it, and its target is walked with the same checks.
class TrustedDir
{
public:
    TrustedDir() = default;
    ~TrustedDir();
    TrustedDir(const TrustedDir &) = delete;
    TrustedDir &operator=(const TrustedDir &) = delete;

    // `create`: missing directories are made (mode 0755) inside trusted ones. False with a reason naming
    // the directory at fault.
    bool open(const QString &path, bool create, QString *error);
    // A descriptor of the directory for the *at() calls (Linux: O_PATH), -1 before a successful open().
    int fd() const { return m_fd; }
    // Owned by root or by the user the agent runs as.
    static bool ownedByUs(unsigned uid);

private:
    bool trusted(const QString &where, bool ancestor, QString *error) const;
    void reopenRoot();

    int m_fd = -1;
};

// A file in a trusted directory (created when missing), never reached through a symbolic link: read, then
// replaced atomically with the owner and mode it had (a new file: mode 0644, the agent's user). Owner and
// mode are set on the new file before it replaces the old one, and nothing is done by a path that a link
// could redirect.
class TrustedFile
{
public:
    // Checks the directory chain of `path` and reads the file. A missing file is no error: empty data and
    // exists() false.
    bool read(const QString &path, QByteArray *data, QString *error);
    bool exists() const { return m_exists; }
    // Replaces the file read before with `data`.
    bool replace(const QByteArray &data, QString *error);

private:
    TrustedDir m_dir;
    QString m_path;
    QByteArray m_name; // the file name inside m_dir
    bool m_exists = false;
    unsigned m_owner = 0;
    unsigned m_group = 0;
    unsigned m_mode = 0;
};

} // namespace oco::platform
