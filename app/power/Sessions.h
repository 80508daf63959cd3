#pragma once

#include "platform/Sessions.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace oco {

// One login on this machine: a graphical session (X11/Wayland) or a terminal (tty, pts, ssh).
struct Session
{
    QString id;
    uint uid = 0;
    QString user;
    bool graphical = false;
    QString tty;        // "pts/3", "tty2"; empty when the session has no terminal
    QString display;    // ":0" for X11
    QString busAddress; // the user's D-Bus session bus, empty when unknown
};

// Who is logged in. Implementations: logind over the system D-Bus, utmp, a JSON file for tests.
class SessionLister
{
public:
    virtual ~SessionLister() = default;
    virtual QList<Session> sessions() = 0;
    virtual QString name() const = 0;
};

// A fixed list, for unit tests.
class FixedSessions : public SessionLister
{
public:
    QList<Session> list;
    QList<Session> sessions() override { return list; }
    QString name() const override { return QStringLiteral("fixed"); }
};

// The system's login accounting (utmp on Linux: USER_PROCESS records), or the utmp file given.
class UtmpSessions : public SessionLister
{
public:
    explicit UtmpSessions(QString file = {})
        : m_file(std::move(file))
    {}
    QList<Session> sessions() override;
    QString name() const override { return QStringLiteral("utmp"); }

private:
    QString m_file;
};

// Asks systemd-logind (org.freedesktop.login1) on the system bus (power/SessionBus.cpp, in
// oco-agent-session).
class LogindSessions : public SessionLister
{
public:
    static bool available();
    QList<Session> sessions() override;
    QString name() const override { return QStringLiteral("logind"); }
};

// logind when it runs at the time of asking (through oco-agent-session: the service links no D-Bus),
// else utmp. Nothing is asked before the first call.
class SystemSessions : public SessionLister
{
public:
    QList<Session> sessions() override;
    QString name() const override { return QStringLiteral("system"); }
};

// Sessions described in a JSON file (an array of {id, uid, user, type: "x11"|"wayland"|"tty", tty, display,
// bus}); re-read on every call so integration tests can log people in and out.
class FileSessions : public SessionLister
{
public:
    explicit FileSessions(QString path)
        : m_path(std::move(path))
    {}
    QList<Session> sessions() override;
    QString name() const override { return QStringLiteral("file"); }

private:
    QString m_path;
};

// A session as oco-agent-session passes it to the service.
QJsonObject sessionToJson(const Session &s);
Session sessionFromJson(const QJsonObject &o);

// The lister for this machine: the sessions file of the test hooks when set, else SystemSessions.
std::unique_ptr<SessionLister> makeSystemSessionLister();

// Account look-ups of the platform, under their old names for the service's callers.
using platform::userBusAddress;
using platform::userName;

} // namespace oco
