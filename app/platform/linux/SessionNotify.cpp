#include "platform/SessionNotify.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace oco::platform {

bool writeToTerminal(const QString &tty, const QString &text, QString *error)
{
    static const QRegularExpression valid(QStringLiteral("^(pts/[0-9]+|tty[A-Za-z0-9]+|console)$"));
    if (!valid.match(tty).hasMatch()) {
        *error = QStringLiteral("'%1' is not a terminal name").arg(tty);
        return false;
    }
    const QByteArray path = QFile::encodeName(QStringLiteral("/dev/") + tty);
    const int fd = ::open(path.constData(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) || !::isatty(fd)) {
        ::close(fd);
        *error = QStringLiteral("%1 is not a terminal").arg(QString::fromLocal8Bit(path));
        return false;
    }
    const QByteArray bytes = text.toUtf8();
    // Non-blocking: a terminal nobody reads must not stall the service; what does not fit is lost.
    const ssize_t n = ::write(fd, bytes.constData(), static_cast<size_t>(bytes.size()));
    ::close(fd);
    if (n < 0) {
        *error = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    return true;
}

bool runAsUser(QProcess &process, uint uid, UserAccount *account, QString *error)
{
    // Everything the child needs is looked up here: after fork only async-signal-safe calls are allowed.
    struct passwd pw
    {
    };
    struct passwd *res = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &res) != 0 || !res) {
        *error = QStringLiteral("no user account for uid %1").arg(uid);
        return false;
    }
    const uid_t userId = res->pw_uid;
    const gid_t gid = res->pw_gid;
    account->home = QFile::decodeName(res->pw_dir);
    account->name = QString::fromLocal8Bit(res->pw_name);
    int ngroups = 64;
    std::vector<gid_t> groups(static_cast<size_t>(ngroups));
    if (::getgrouplist(res->pw_name, gid, groups.data(), &ngroups) < 0) {
        groups.resize(static_cast<size_t>(ngroups));
        if (::getgrouplist(res->pw_name, gid, groups.data(), &ngroups) < 0)
            ngroups = 0;
    }
    groups.resize(static_cast<size_t>(std::max(ngroups, 0)));
    if (groups.empty())
        groups.push_back(gid);
    process.setChildProcessModifier([userId, gid, groups] {
        if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 || ::setuid(userId) != 0)
            ::_exit(126);
        if (::setuid(0) == 0 && userId != 0)
            ::_exit(126); // the drop must be permanent
    });
    return true;
}

} // namespace oco::platform
