#pragma once

#include <QString>

namespace oco {

// An exclusive flock() on a file in the state directory: a second agent on the same state refuses to start.
// The kernel drops the lock when the process dies, so no stale PID files.
class InstanceLock
{
public:
    InstanceLock() = default;
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    bool acquire(const QString &path, QString *error);

private:
    int m_fd = -1;
};

} // namespace oco
