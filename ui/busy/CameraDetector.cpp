#include "CameraDetector.h"

namespace oco::ui {

CameraDetector::CameraDetector(QString procRoot, uint uid, QString devRoot, QObject *parent)
    : BusyDetector(parent)
    , m_procRoot(std::move(procRoot))
    , m_uid(uid)
    , m_devRoot(std::move(devRoot))
{}

void CameraDetector::poll()
{
    if (!platform::mayHaveCamera(m_devRoot)) {
        setState(State::Idle); // most desktops and every VM: one directory read, nothing else
        return;
    }
    ++m_scans;
    QString user;
    if (!platform::findCameraUser(m_procRoot, m_uid, &user))
        setState(State::Unknown);
    else if (user.isEmpty())
        setState(State::Idle);
    else
        setState(State::Busy, tr("the camera is in use by %1").arg(user));
}

} // namespace oco::ui
