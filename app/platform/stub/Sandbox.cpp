#include "platform/Sandbox.h"

#include <QDir>

namespace oco::platform {

// By path: a directory renamed while inside it is not found again.
WorkingDirectory::~WorkingDirectory()
{
    if (!m_previousPath.isEmpty())
        QDir::setCurrent(m_previousPath);
}

bool WorkingDirectory::enter(const QString &dir)
{
    const QString previous = QDir::currentPath();
    if (!QDir::setCurrent(dir))
        return false;
    m_previousPath = previous;
    return true;
}

// No limits here: the unpacker's own checks remain.
void confineHelperProcess(qint64) {}

} // namespace oco::platform
