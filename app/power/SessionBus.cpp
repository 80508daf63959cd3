// The D-Bus side of sessions and notifications, linked only into oco-agent-session (the helper the
// service runs), never into the service itself.
#include "SessionNotifier.h"
#include "Sessions.h"

#include "core/Log.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusReply>

namespace oco {

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

bool LogindSessions::available()
{
    // oco-agent-session lives for one question: the default connection is closed when it exits.
    const QDBusConnection bus = QDBusConnection::systemBus();
    return bus.isConnected() && bus.interface() && bus.interface()->isServiceRegistered(kLogin1).value();
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
    const QDBusConnection bus = QDBusConnection::systemBus();
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

int sendDesktopNotification(const QJsonObject &notice, QString *error)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        *error = QStringLiteral("cannot connect to the session bus: %1").arg(bus.lastError().message());
        return 1;
    }
    QDBusMessage m = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    const bool critical = notice.value(QStringLiteral("critical")).toBool();
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue<uchar>(critical ? 2 : 1));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("oco-tray"));
    m << QStringLiteral("OCO agent") << 0u << QStringLiteral("system-reboot")
      << notice.value(QStringLiteral("title")).toString() << notice.value(QStringLiteral("body")).toString()
      << QStringList() << hints << (critical ? 0 : -1);
    const QDBusMessage reply = bus.call(m, QDBus::Block, 10000);
    if (reply.type() != QDBusMessage::ReplyMessage) {
        *error = QStringLiteral("the notification service did not take the notification: %1").arg(reply.errorMessage());
        return 1;
    }
    return 0;
}

} // namespace oco
