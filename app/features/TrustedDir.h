#pragma once

#include <QString>

namespace oco {

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
    // An O_PATH descriptor of the directory (for the *at() calls), -1 before a successful open().
    int fd() const { return m_fd; }
    // Owned by root or by the user the agent runs as.
    static bool ownedByUs(unsigned uid);

private:
    bool trusted(const QString &where, bool ancestor, QString *error) const;
    void reopenRoot();

    int m_fd = -1;
};

} // namespace oco
