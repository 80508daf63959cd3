#include "Sessions.h"

#include "core/Helpers.h"
#include "core/Log.h"
#include "core/TestHooks.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <pwd.h>
#include <utmpx.h>

#include <cstring>
#include <string>

namespace oco {

QString userBusAddress(uint uid)
{
    const QString path = QStringLiteral("/run/user/%1/bus").arg(uid);
    return QFileInfo::exists(path) ? QStringLiteral("unix:path=%1").arg(path) : QString();
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

namespace {
uint uidOf(const QString &user)
{
    struct passwd pw
    {
    };
    struct passwd *res = nullptr;
    char buf[4096];
    if (::getpwnam_r(user.toLocal8Bit().constData(), &pw, buf, sizeof buf, &res) == 0 && res)
        return res->pw_uid;
    return static_cast<uint>(-1);
}
} // namespace

// utmp fields are fixed-size and not always NUL-terminated; copying first keeps -O2's
// nonstring checks (qstrlen on the raw field) quiet.
static QString fixedField(const char *field, size_t size)
{
    const std::string copy(field, ::strnlen(field, size));
    return QString::fromLocal8Bit(copy.data(), static_cast<qsizetype>(copy.size()));
}

QList<Session> UtmpSessions::sessions()
{
    QList<Session> out;
    if (!m_file.isEmpty())
        ::utmpxname(QFile::encodeName(m_file).constData());
    ::setutxent();
    while (const struct utmpx *u = ::getutxent()) {
        if (u->ut_type != USER_PROCESS)
            continue;
        Session s;
        s.user = fixedField(u->ut_user, sizeof u->ut_user);
        const QString line = fixedField(u->ut_line, sizeof u->ut_line);
        const QString host = fixedField(u->ut_host, sizeof u->ut_host);
        s.uid = uidOf(s.user);
        if (s.uid == static_cast<uint>(-1))
            continue;
        s.id = QStringLiteral("utmp-%1").arg(u->ut_pid);
        if (line.startsWith(QLatin1Char(':')) || host.startsWith(QLatin1Char(':'))) {
            s.graphical = true;
            s.display = line.startsWith(QLatin1Char(':')) ? line : host;
        } else {
            s.tty = line;
        }
        s.busAddress = userBusAddress(s.uid);
        out << s;
    }
    ::endutxent();
    if (!m_file.isEmpty())
        ::utmpxname(_PATH_UTMPX);
    return out;
}

QList<Session> FileSessions::sessions()
{
    QList<Session> out;
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray list = QJsonDocument::fromJson(f.readAll()).array();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        Session s;
        s.id = o.value(QStringLiteral("id")).toString();
        s.uid = static_cast<uint>(o.value(QStringLiteral("uid")).toInt());
        s.user = o.value(QStringLiteral("user")).toString(userName(s.uid));
        const QString type = o.value(QStringLiteral("type")).toString();
        s.graphical = type == QLatin1String("x11") || type == QLatin1String("wayland");
        s.tty = o.value(QStringLiteral("tty")).toString();
        s.display = o.value(QStringLiteral("display")).toString();
        s.busAddress = o.value(QStringLiteral("bus")).toString();
        out << s;
    }
    return out;
}

std::unique_ptr<SessionLister> makeSystemSessionLister()
{
    const QString file = TestHooks::active().sessionsFile;
    if (!file.isEmpty())
        return std::make_unique<FileSessions>(file);
    return std::make_unique<SystemSessions>();
}

QJsonObject sessionToJson(const Session &s)
{
    return {{QStringLiteral("id"), s.id},         {QStringLiteral("uid"), static_cast<double>(s.uid)},
            {QStringLiteral("user"), s.user},     {QStringLiteral("graphical"), s.graphical},
            {QStringLiteral("tty"), s.tty},       {QStringLiteral("display"), s.display},
            {QStringLiteral("bus"), s.busAddress}};
}

Session sessionFromJson(const QJsonObject &o)
{
    Session s;
    s.id = o.value(QStringLiteral("id")).toString();
    s.uid = static_cast<uint>(o.value(QStringLiteral("uid")).toDouble());
    s.user = o.value(QStringLiteral("user")).toString();
    s.graphical = o.value(QStringLiteral("graphical")).toBool();
    s.tty = o.value(QStringLiteral("tty")).toString();
    s.display = o.value(QStringLiteral("display")).toString();
    s.busAddress = o.value(QStringLiteral("bus")).toString();
    return s;
}

QList<Session> SystemSessions::sessions()
{
    // logind is asked by oco-agent-session (the service links no D-Bus); without logind, utmp.
    const QString program = helperProgram(QStringLiteral("oco-agent-session"), TestHooks::active().sessionHelper);
    QProcess helper;
    helper.setStandardInputFile(QProcess::nullDevice());
    helper.start(program, {QStringLiteral("list")});
    if (!helper.waitForFinished(15000)) {
        qCWarning(lcAgent).noquote() << "cannot list the sessions with" << program << ":"
                                     << (helper.error() == QProcess::Timedout ? QStringLiteral("no answer in 15 s")
                                                                              : helper.errorString());
        helper.kill();
        helper.waitForFinished(1000);
        return UtmpSessions().sessions();
    }
    const QByteArray problems = helper.readAllStandardError().trimmed();
    if (!problems.isEmpty())
        qCWarning(lcAgent).noquote() << QString::fromUtf8(problems);
    const QJsonObject answer = QJsonDocument::fromJson(helper.readAllStandardOutput()).object();
    if (helper.exitStatus() != QProcess::NormalExit || helper.exitCode() != 0) {
        qCWarning(lcAgent).noquote() << program << "failed (exit status" << helper.exitCode()
                                     << "): the sessions are read from utmp";
        return UtmpSessions().sessions();
    }
    if (!answer.value(QStringLiteral("logind")).toBool())
        return UtmpSessions().sessions();
    QList<Session> out;
    for (const QJsonValue &v : answer.value(QStringLiteral("sessions")).toArray())
        out << sessionFromJson(v.toObject());
    return out;
}

} // namespace oco
