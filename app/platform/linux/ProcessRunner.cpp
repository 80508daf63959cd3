#include "platform/ProcessRunner.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace oco::platform {

void prepareChild(QProcess &process, const ChildSetup &setup)
{
    process.setChildProcessModifier([setup] {
        // Only async-signal-safe calls here: this runs between fork and exec.
        if (setup.ownProcessGroup)
            ::setpgid(0, 0);
        if (setup.privateFiles)
            ::umask(077);
        if (setup.defaultSignals) {
            // The service ignores SIGPIPE and catches TERM/INT.
            ::signal(SIGPIPE, SIG_DFL);
            ::signal(SIGTERM, SIG_DFL);
            ::signal(SIGINT, SIG_DFL);
        }
    });
}

void endProcessGroup(qint64 group, GroupEnd how)
{
    if (group <= 0)
        return;
    const pid_t target = -static_cast<pid_t>(group);
    if (how == GroupEnd::Kill) {
        ::kill(target, SIGKILL);
        return;
    }
    ::kill(target, SIGTERM);
    ::kill(target, SIGCONT); // a stopped process would not see SIGTERM
}

QString processIdentity(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    QFile boot(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly) || !boot.open(QIODevice::ReadOnly))
        return {};
    const QByteArray s = stat.readAll();
    // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return {};
    return QString::fromLatin1(boot.readAll().trimmed() + '/' + fields.at(19));
}

ServiceAccount serviceAccount()
{
    ServiceAccount account;
    account.home = QStringLiteral("/");
    if (const passwd *pw = ::getpwuid(::geteuid())) {
        if (pw->pw_dir && *pw->pw_dir)
            account.home = QFile::decodeName(pw->pw_dir);
        account.user = QFile::decodeName(pw->pw_name);
    }
    return account;
}

bool makePrivateDirectory(const QString &parent, const QString &prefix, QString *path, QString *error)
{
    QDir().mkpath(parent);
    ::chmod(QFile::encodeName(parent).constData(), 0700);
    QByteArray tmpl = QFile::encodeName(parent + QLatin1Char('/') + prefix + QStringLiteral("XXXXXX"));
    if (!::mkdtemp(tmpl.data())) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    *path = QFile::decodeName(tmpl);
    return true;
}

bool programFileFacts(int directory, const QString &name, ProgramFileFacts *facts)
{
    struct stat st
    {
    };
    if (::fstatat(directory, QFile::encodeName(name).constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return false;
    facts->symbolicLink = S_ISLNK(st.st_mode);
    facts->regularFile = S_ISREG(st.st_mode);
    facts->executable = (st.st_mode & 0111) != 0;
    facts->writableByOthers = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    facts->owner = st.st_uid;
    facts->permissions = st.st_mode & 07777;
    return true;
}

} // namespace oco::platform
