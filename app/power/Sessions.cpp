#include "Sessions.h"

#include "core/Log.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

namespace {
const QString kLogin1 = QStringLiteral("org.freedesktop.login1");

struct SessionEntry
{
    QString id;
    uint uid = 0;
    QString user;
    QString seat;
    QDBusObjectPath path;
};
} // namespace
} // namespace oco

Q_DECLARE_METATYPE(oco::SessionEntry)

namespace oco {
namespace {
QDBusArgument &operator<<(QDBusArgument &a, const SessionEntry &e)
{
    a.beginStructure();
    a << e.id << e.uid << e.user << e.seat << e.path;
    a.endStructure();
    return a;
}
const QDBusArgument &operator>>(const QDBusArgument &a, SessionEntry &e)
{
    a.beginStructure();
    a >> e.id >> e.uid >> e.user >> e.seat >> e.path;
    a.endStructure();
    return a;
}
} // namespace

namespace {
// A private system-bus connection for one question: the service asks logind only while it plans a power
// action, so between cycles it holds no bus connection and D-Bus has touched none of its memory.
class SystemBus
{
public:
    SystemBus()
        : m_bus(QDBusConnection::connectToBus(QDBusConnection::SystemBus, name()))
    {}
    ~SystemBus() { QDBusConnection::disconnectFromBus(name()); }
    Q_DISABLE_COPY_MOVE(SystemBus)
    const QDBusConnection &bus() const { return m_bus; }
    bool hasLogind() const
    {
        return m_bus.isConnected() && m_bus.interface() && m_bus.interface()->isServiceRegistered(kLogin1).value();
    }

private:
    static QString name() { return QStringLiteral("oco-agent-logind"); }
    QDBusConnection m_bus;
};
} // namespace

bool LogindSessions::available()
{
    return SystemBus().hasLogind();
}

QList<Session> LogindSessions::sessions()
{
    static const bool registered = [] {
        qDBusRegisterMetaType<SessionEntry>();
        qDBusRegisterMetaType<QList<SessionEntry>>();
        return true;
    }();
    Q_UNUSED(registered);
    QList<Session> out;
    const SystemBus system;
    const QDBusConnection &bus = system.bus();
    QDBusInterface manager(kLogin1, QStringLiteral("/org/freedesktop/login1"),
                           QStringLiteral("org.freedesktop.login1.Manager"), bus);
    const QDBusReply<QList<SessionEntry>> reply = manager.call(QStringLiteral("ListSessions"));
    if (!reply.isValid()) {
        qCWarning(lcAgent).noquote() << "cannot list the sessions through logind:" << reply.error().message();
        return UtmpSessions().sessions();
    }
    for (const SessionEntry &e : reply.value()) {
        QDBusInterface props(kLogin1, e.path.path(), QStringLiteral("org.freedesktop.login1.Session"), bus);
        const QString cls = props.property("Class").toString();
        if (cls != QLatin1String("user"))
            continue; // greeters and lock screens are not people
        const QString state = props.property("State").toString();
        if (state == QLatin1String("closing"))
            continue;
        Session s;
        s.id = e.id;
        s.uid = e.uid;
        s.user = e.user;
        const QString type = props.property("Type").toString();
        s.graphical = type == QLatin1String("x11") || type == QLatin1String("wayland") || type == QLatin1String("mir");
        s.display = props.property("Display").toString();
        s.tty = props.property("TTY").toString();
        if (s.tty.startsWith(QLatin1String("/dev/")))
            s.tty = s.tty.mid(5);
        s.busAddress = userBusAddress(s.uid);
        out << s;
    }
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
    const QByteArray file = qgetenv("OCO_TEST_SESSIONS_FILE");
    if (!file.isEmpty())
        return std::make_unique<FileSessions>(QString::fromLocal8Bit(file));
    return std::make_unique<SystemSessions>();
}

QList<Session> SystemSessions::sessions()
{
    if (LogindSessions::available())
        return LogindSessions().sessions();
    return UtmpSessions().sessions();
}

} // namespace oco
