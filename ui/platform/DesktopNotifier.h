#pragma once

#include <QObject>
#include <QStringList>

#include <memory>

namespace oco::ui {

// Desktop notifications ("bubbles"): on Linux org.freedesktop.Notifications on the session bus (an XEmbed
// tray's own balloons are not notifications). Each topic replaces its previous bubble instead of stacking.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Urgency
    {
        Low = 0,
        Normal = 1,
        Critical = 2
    };

    // The notifications of this system's desktop.
    static std::unique_ptr<DesktopNotifier> create(QObject *parent = nullptr);

    // actions: pairs of key and label; "default" is a click on the bubble.
    virtual void notify(const QString &topic, const QString &summary, const QString &body, Urgency urgency,
                        const QStringList &actions = {}) = 0;
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void delivered(const QString &topic, uint id);
    void failed(const QString &topic, const QString &error);
    void actionInvoked(const QString &topic, const QString &key); // the person clicked one of ours

protected:
    explicit DesktopNotifier(QObject *parent = nullptr)
        : QObject(parent)
    {}
    void fail(const QString &topic, const QString &error)
    {
        m_lastError = error;
        Q_EMIT failed(topic, error);
    }

private:
    QString m_lastError;
};

} // namespace oco::ui
