#include "platform/Sessions.h"

#include <QFile>
#include <QFileInfo>

#include <pwd.h>
#include <utmpx.h>

#include <cstring>
#include <string>

namespace oco::platform {

namespace {
// utmp fields are fixed-size and not always NUL-terminated; copying first keeps -O2's
// nonstring checks (qstrlen on the raw field) quiet.
QString fixedField(const char *field, size_t size)
{
    const std::string copy(field, ::strnlen(field, size));
    return QString::fromLocal8Bit(copy.data(), static_cast<qsizetype>(copy.size()));
}
} // namespace

QList<SessionRecord> loginRecords(const QString &file)
{
    QList<SessionRecord> out;
    if (!file.isEmpty())
        ::utmpxname(QFile::encodeName(file).constData());
    ::setutxent();
    while (const struct utmpx *u = ::getutxent()) {
        if (u->ut_type != USER_PROCESS)
            continue;
        SessionRecord r;
        r.user = fixedField(u->ut_user, sizeof u->ut_user);
        r.line = fixedField(u->ut_line, sizeof u->ut_line);
        r.host = fixedField(u->ut_host, sizeof u->ut_host);
        r.pid = u->ut_pid;
        out << r;
    }
    ::endutxent();
    if (!file.isEmpty())
        ::utmpxname(_PATH_UTMPX);
    return out;
}

QString userName(uint uid)
{
    struct passwd pw
    {
    };
    struct passwd *res = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
        return QString::fromLocal8Bit(res->pw_name);
    return QString::number(uid);
}

std::optional<uint> userId(const QString &name)
{
    struct passwd pw
    {
    };
    struct passwd *res = nullptr;
    char buf[4096];
    if (::getpwnam_r(name.toLocal8Bit().constData(), &pw, buf, sizeof buf, &res) == 0 && res)
        return res->pw_uid;
    return std::nullopt;
}

QString userRuntimeDir(uint uid)
{
    return QStringLiteral("/run/user/%1").arg(uid);
}

QString userBusAddress(uint uid)
{
    const QString path = userRuntimeDir(uid) + QStringLiteral("/bus");
    return QFileInfo::exists(path) ? QStringLiteral("unix:path=%1").arg(path) : QString();
}

} // namespace oco::platform
