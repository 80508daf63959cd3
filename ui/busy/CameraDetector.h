#pragma once

#include "BusyDetector.h"
#include "platform/CameraUse.h"
#include "platform/Paths.h"

namespace oco::ui {

// The camera is open: a process of this user holds a video device (a video call). On Linux it reads
// procRoot/<pid>/status (the real uid) and procRoot/<pid>/fd/* links to /dev/video*; other users' fds are not
// readable anyway. Without any video device in devRoot there is nothing to scan. Both roots are injectable for
// tests.
class CameraDetector : public BusyDetector
{
    Q_OBJECT
public:
    explicit CameraDetector(QString procRoot = oco::platform::processInfoRoot(), uint uid = platform::currentUserId(),
                            QString devRoot = oco::platform::deviceRoot(), QObject *parent = nullptr);
    void poll() override;
    int scans() const { return m_scans; } // how often the process table was read (tests)

private:
    QString m_procRoot;
    uint m_uid;
    QString m_devRoot;
    int m_scans = 0;
};

} // namespace oco::ui
