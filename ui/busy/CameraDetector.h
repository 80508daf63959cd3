#pragma once

#include "BusyDetector.h"

#include <sys/types.h>

namespace oco::ui {

// The camera is open: a process of this user holds a file descriptor on /dev/video* (a video call).
// Reads procRoot/<pid>/status (the real uid) and procRoot/<pid>/fd/* links; other users' fds are not readable
// anyway. Without any /dev/video* there is nothing to scan. Both roots are injectable for tests.
class CameraDetector : public BusyDetector
{
    Q_OBJECT
public:
    explicit CameraDetector(QString procRoot = QStringLiteral("/proc"), uid_t uid = currentUid(),
                            QString devRoot = QStringLiteral("/dev"), QObject *parent = nullptr);
    void poll() override;
    static uid_t currentUid();
    int scans() const { return m_scans; } // how often /proc was read (tests)

private:
    bool anyCamera() const;

    QString m_procRoot;
    uid_t m_uid;
    QString m_devRoot;
    int m_scans = 0;
};

} // namespace oco::ui
