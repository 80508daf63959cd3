#include "platform/Sandbox.h"

#include <QFile>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace oco::platform {

WorkingDirectory::~WorkingDirectory()
{
    if (m_previous < 0)
        return;
    [[maybe_unused]] const int r = ::fchdir(static_cast<int>(m_previous));
    ::close(static_cast<int>(m_previous));
}

bool WorkingDirectory::enter(const QString &dir)
{
    const int previous = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (previous < 0 || ::chdir(QFile::encodeName(dir).constData()) != 0) {
        if (previous >= 0)
            ::close(previous);
        return false;
    }
    m_previous = previous;
    return true;
}

namespace {
void setLimit(int resource, rlim_t value)
{
    const struct rlimit r = {value, value};
    ::setrlimit(resource, &r);
}
} // namespace

void confineHelperProcess(qint64 maxFileBytes)
{
    ::signal(SIGXFSZ, SIG_IGN);
    setLimit(RLIMIT_FSIZE, static_cast<rlim_t>(maxFileBytes) + 1);
    setLimit(RLIMIT_CORE, 0);
    ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

} // namespace oco::platform
