#pragma once

#include <QString>
#include <QtGlobal>

namespace oco::platform {

// An exclusive lock on a file in the state directory: a second agent on the same state refuses to start.
// The system drops the lock when the process dies, so no stale PID files (Linux: flock()).
class InstanceLock
{
public:
    InstanceLock() = default;
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    bool acquire(const QString &path, QString *error);

private:
    qintptr m_handle = -1; // the open lock file (a descriptor on Linux)
};

} // namespace oco::platform
