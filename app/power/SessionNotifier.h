#pragma once

#include "Sessions.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

namespace oco {

struct Notice
{
    QString title;
    QString body;
    bool critical = false; // the final countdown
};

// Tells the people in one session about a power action (the service's side; the tray has its own).
class SessionNotifier
{
public:
    virtual ~SessionNotifier() = default;
    // `desktop`: false when a tray app of that user shows it already (terminals are still told).
    virtual void notify(const Session &session, const Notice &notice, bool desktop) = 0;
};

// Desktop sessions: a freedesktop notification sent by a child process that runs as the session's user
// on the session's bus (`oco-agent-session notify JSON`, or `program` when given). Terminal sessions: the
// text is written to the terminal device, as wall(1) does.
class SystemSessionNotifier : public QObject, public SessionNotifier
{
    Q_OBJECT
public:
    explicit SystemSessionNotifier(QString program = {}, QObject *parent = nullptr);
    void notify(const Session &session, const Notice &notice, bool desktop) override;

Q_SIGNALS:
    void desktopNotificationDone(const QString &sessionId, bool ok);

private:
    void sendDesktop(const Session &session, const Notice &notice);
    QString m_program;
};

// The child side (power/SessionBus.cpp, in oco-agent-session): sends one notification on the bus in
// DBUS_SESSION_BUS_ADDRESS; returns an exit status.
int sendDesktopNotification(const QJsonObject &notice, QString *error);

} // namespace oco
