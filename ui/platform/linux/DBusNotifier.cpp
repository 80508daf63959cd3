#include "DBusNotifier.h"

#include <QCoreApplication>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace oco::ui {

std::unique_ptr<DesktopNotifier> DesktopNotifier::create(QObject *parent)
{
    return std::make_unique<DBusNotifier>(QDBusConnection::sessionBus(), parent);
}

DBusNotifier::DBusNotifier(QDBusConnection bus, QObject *parent)
    : DesktopNotifier(parent)
    , m_bus(std::move(bus))
{
    if (m_bus.isConnected())
        m_bus.connect(QString(), QStringLiteral("/org/freedesktop/Notifications"),
                      QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"), this,
                      SLOT(onActionInvoked(uint, QString)));
}

void DBusNotifier::onActionInvoked(uint id, const QString &key)
{
    // The signal goes to every client of the daemon: only our own bubbles count.
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it) {
        if (it.value() == id) {
            Q_EMIT actionInvoked(it.key(), key);
            return;
        }
    }
}

void DBusNotifier::notify(const QString &topic, const QString &summary, const QString &body, Urgency urgency,
                          const QStringList &actions)
{
    if (!m_bus.isConnected()) {
        // The translation context of the class this came from, so the existing translations still apply.
        fail(topic, QCoreApplication::translate("oco::ui::Notifier", "There is no session bus for desktop "
                                                                     "notifications."));
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue<uchar>(static_cast<uchar>(urgency)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("oco-tray"));
    // Critical bubbles stay until dismissed; the others use the daemon's default timeout.
    const int timeout = urgency == Urgency::Critical ? 0 : -1;
    call << QStringLiteral("OCO Agent") << m_ids.value(topic) << QStringLiteral("oco-tray") << summary << body
         << actions << hints << timeout;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, topic](QDBusPendingCallWatcher *w) {
        QDBusPendingReply<uint> reply = *w;
        w->deleteLater();
        if (reply.isError()) {
            fail(topic, reply.error().message());
            return;
        }
        m_ids.insert(topic, reply.value());
        Q_EMIT delivered(topic, reply.value());
    });
}

} // namespace oco::ui
