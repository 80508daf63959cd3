#include "Notifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace oco::ui {

Notifier::Notifier(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus))
{
    if (m_bus.isConnected())
        m_bus.connect(QString(), QStringLiteral("/org/freedesktop/Notifications"),
                      QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"), this,
                      SLOT(onActionInvoked(uint, QString)));
}

void Notifier::onActionInvoked(uint id, const QString &key)
{
    // The signal goes to every client of the daemon: only our own bubbles count.
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it) {
        if (it.value() == id) {
            Q_EMIT actionInvoked(it.key(), key);
            return;
        }
    }
}

void Notifier::notify(const QString &topic, const QString &summary, const QString &body, Urgency urgency,
                      const QStringList &actions)
{
    if (!m_bus.isConnected()) {
        m_lastError = tr("There is no session bus for desktop notifications.");
        Q_EMIT failed(topic, m_lastError);
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
            m_lastError = reply.error().message();
            Q_EMIT failed(topic, m_lastError);
            return;
        }
        m_ids.insert(topic, reply.value());
        Q_EMIT delivered(topic, reply.value());
    });
}

} // namespace oco::ui
