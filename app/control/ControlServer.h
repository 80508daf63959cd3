#pragma once

#include "controlproto/Messages.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QLocalServer;
class QLocalSocket;
class QTimer;

namespace oco {

using control::Access;

// Who is on the other end of a control connection, as the kernel reports it.
struct Peer
{
    qint64 pid = 0;
    uint uid = 0;
    uint gid = 0;
    QList<uint> groups; // supplementary groups of the peer process
    QString user;
    QString client; // what the hello said, e.g. "oco-tray/1.3.0"
    bool inGroup(uint g) const { return gid == g || groups.contains(g); }
};

// The service end of the control socket (app/control/PROTOCOL.md): JSON lines, version handshake,
// the current state on connect and pushes on change, requests answered through a handler.
// It protects the service: oversized or malformed input closes that connection only, a client that
// does not read is dropped before its buffer grows past a limit, the number of clients is capped.
class ControlServer : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kMaxPending = 4 * 1024 * 1024;
    // All clients together: 64 users' clients that stop reading must not hold 64 x kMaxPending.
    static constexpr qint64 kMaxPendingTotal = 16 * 1024 * 1024;
    static constexpr int kMaxClients = 512;
    static constexpr int kMaxClientsPerUser = 64;
    static constexpr int kLogLines = 200;

    // One line from a client: a JSON object of at most control::kMaxRequestLine bytes, else false with the
    // refusal in words.
    static bool parseMessage(const QByteArray &line, QJsonObject *msg, QString *error);

    explicit ControlServer(QObject *parent = nullptr);
    ~ControlServer() override;

    // Creates the directory (0755) when missing, replaces a stale socket, listens, makes the socket 0666.
    // Refuses a directory that is not owned by the service's user or that others may write to: anyone who
    // can write there can squat the socket name.
    bool listen(const QString &path, QString *error);
    QString path() const { return m_path; }

    using Reply = std::function<void(QJsonObject)>;
    using Handler = std::function<void(const Peer &, const QJsonObject &, Reply)>;
    void setRequestHandler(Handler h) { m_handler = std::move(h); }
    // Fills admin / has_session of the `peer` member of the welcome.
    void setPeerDescriber(std::function<void(const Peer &, control::PeerInfo *)> f) { m_describe = std::move(f); }
    // Decides a peer's access level at its hello; without it every peer is a plain user.
    void setAccessOf(std::function<Access(const Peer &)> f) { m_accessOf = std::move(f); }
    // What a peer of that access level gets of a push (status, jobs, log, ...); without it, everything.
    void setView(std::function<QJsonObject(Access, const QJsonObject &)> f) { m_view = std::move(f); }

    // Replaces the current state of one push type (status, inventory, jobs, power) and sends it to everyone.
    void publish(const QJsonObject &message);
    // Replaces the current state of one push type without sending it (values that age, like seconds_left).
    void update(const QJsonObject &message);
    // Called right before a new client gets the current state.
    void setBeforeSnapshot(std::function<void()> f) { m_beforeSnapshot = std::move(f); }
    // Appends log lines (kept: the last 200) and sends them to everyone.
    void publishLog(const QList<control::LogRecord> &lines);

    int clientCount() const { return m_clients.size(); }
    // Whether a greeted client of this user that calls itself oco-tray is connected.
    bool hasTray(uint uid) const;

Q_SIGNALS:
    void clientGreeted(const oco::Peer &peer);
    void clientsChanged();

private:
    struct Client;
    void onNewConnection();
    void onReadyRead(Client *c);
    void handleLine(Client *c, const QByteArray &line);
    void greet(Client *c, const QJsonObject &msg);
    void send(Client *c, const QJsonObject &message);
    void refuse(Client *c, const QString &reason);
    void drop(Client *c, const QString &why);
    void sendSnapshot(Client *c);
    // Sends one push to every greeted client, each getting the view of its access level.
    void sendToAll(const QJsonObject &message);
    qint64 pendingTotal() const;

    QLocalServer *m_server = nullptr;
    QString m_path;
    QList<Client *> m_clients;
    QList<Client *> m_closed; // disconnected, deleted on the next event loop pass
    Handler m_handler;
    std::function<void(const Peer &, control::PeerInfo *)> m_describe;
    std::function<void()> m_beforeSnapshot;
    std::function<Access(const Peer &)> m_accessOf;
    std::function<QJsonObject(Access, const QJsonObject &)> m_view;
    QList<control::MessageType> m_order; // push types in the order they were first published
    QHash<int, QJsonObject> m_state;     // by control::MessageType
    QList<control::LogRecord> m_log;
};

} // namespace oco
