#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>

namespace oco::ui {

// Desktop notifications through org.freedesktop.Notifications.Notify on the session bus (an XEmbed tray's
// own balloons are not notifications). Each topic replaces its previous bubble instead of stacking.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Urgency
    {
        Low = 0,
        Normal = 1,
        Critical = 2
    };

    explicit Notifier(QDBusConnection bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);

    // actions: pairs of key and label; "default" is a click on the bubble (org.freedesktop.Notifications).
    virtual void notify(const QString &topic, const QString &summary, const QString &body, Urgency urgency,
                        const QStringList &actions = {});
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void delivered(const QString &topic, uint id);
    void failed(const QString &topic, const QString &error);
    void actionInvoked(const QString &topic, const QString &key); // the person clicked one of ours

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &key);

private:
    QDBusConnection m_bus;
    QHash<QString, uint> m_ids;
    QString m_lastError;
};

} // namespace oco::ui
