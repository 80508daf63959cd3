#pragma once

#include <QString>
#include <QtGlobal>

namespace oco::platform {

// The process's working directory moved into a directory for as long as this object lives; afterwards the
// previous one again, even when it was renamed meanwhile (Linux: a descriptor of it and fchdir()). Not
// for threads that rely on the working directory at the same time.
class WorkingDirectory
{
public:
    WorkingDirectory() = default;
    ~WorkingDirectory();
    WorkingDirectory(const WorkingDirectory &) = delete;
    WorkingDirectory &operator=(const WorkingDirectory &) = delete;

    // False when `dir` cannot be entered (the working directory is then unchanged).
    bool enter(const QString &dir);

private:
    qintptr m_previous = -1; // Linux: a descriptor of the previous directory
    QString m_previousPath;  // where the system has no such descriptor
};

// Limits for a helper process that handles what the server sent (the package unpacker), as defence in depth
// around its own checks: no file it writes may grow past `maxFileBytes` (the write fails instead of a
// signal), no core dump, and no privileges gained through set-id programs. Best effort: a limit the
// system does not offer is left out.
void confineHelperProcess(qint64 maxFileBytes);

} // namespace oco::platform
