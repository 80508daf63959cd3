#pragma once

#include "platform/DesktopNotifier.h"

#include <QDBusConnection>
#include <QHash>

namespace oco::ui {

// DesktopNotifier through org.freedesktop.Notifications.Notify on `bus` (the session bus; tests pass a
// private one).
class DBusNotifier : public DesktopNotifier
{
    Q_OBJECT
public:
    explicit DBusNotifier(QDBusConnection bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);

    void notify(const QString &topic, const QString &summary, const QString &body, Urgency urgency,
                const QStringList &actions = {}) override;

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &key);

private:
    QDBusConnection m_bus;
    QHash<QString, uint> m_ids;
};

} // namespace oco::ui
