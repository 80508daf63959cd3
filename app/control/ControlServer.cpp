#include "ControlServer.h"

#include "controlproto/LineCodec.h"
#include "core/Log.h"
#include "core/Version.h"
#include "platform/LocalPeer.h"
#include "power/Sessions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

#include <optional>

namespace oco {

struct ControlServer::Client
{
    QLocalSocket *socket = nullptr;
    Peer peer;
    control::LineBuffer in{control::kMaxRequestLine};
    bool greeted = false;
    bool closing = false;
    Access access = Access::User;
    QTimer *helloTimer = nullptr;
};

namespace {
bool readPeer(qintptr fd, Peer *peer)
{
    platform::LocalPeer local;
    if (!platform::readLocalPeer(fd, &local))
        return false;
    peer->pid = local.pid;
    peer->uid = local.uid;
    peer->gid = local.gid;
    peer->groups = local.groups;
    peer->user = userName(local.uid);
    return true;
}

QString tooLong()
{
    return QStringLiteral("message longer than %1 bytes").arg(control::kMaxRequestLine);
}
} // namespace

ControlServer::ControlServer(QObject *parent)
    : QObject(parent)
{}

ControlServer::~ControlServer()
{
    for (Client *c : qAsConst(m_clients)) {
        c->socket->disconnect(this);
        c->socket->abort();
        delete c->socket;
        delete c;
    }
    m_clients.clear();
    qDeleteAll(m_closed);
    m_closed.clear();
    if (m_server) {
        m_server->close();
        delete m_server;
    }
}

bool ControlServer::listen(const QString &socketPath, QString *error)
{
    const QString path = QFileInfo(socketPath).absoluteFilePath();
    m_path = path;
    if (!platform::prepareSocketDirectory(QFileInfo(path).absolutePath(), error))
        return false;
    if (QFileInfo::exists(path)) {
        // A socket that still answers belongs to a running service: never steal it.
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(1000)) {
            probe.abort();
            *error = QStringLiteral("another service already listens on %1").arg(path);
            return false;
        }
        QLocalServer::removeServer(path);
    }
    m_server = new QLocalServer(this);
    // Many clients connecting at once (a login storm) must not find the queue full.
    m_server->setListenBacklogSize(256);
    m_server->setMaxPendingConnections(256);
    // Every local user may connect; what they may do is decided per request from their credentials. Qt
    // binds in a private directory, sets the mode and renames the socket into place: it never appears with
    // the wrong mode (a tray connecting at that moment would be refused).
    m_server->setSocketOptions(QLocalServer::WorldAccessOption);
    if (!m_server->listen(path)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(path, m_server->errorString());
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
    qCInfo(lcAgent).noquote() << "control socket listening on" << path;
    return true;
}

bool ControlServer::hasTray(uint uid) const
{
    for (const Client *c : m_clients)
        if (c->greeted && !c->closing && c->peer.uid == uid && c->peer.client.startsWith(QLatin1String("oco-tray")))
            return true;
    return false;
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *s = m_server->nextPendingConnection()) {
        auto *c = new Client;
        c->socket = s;
        if (!readPeer(s->socketDescriptor(), &c->peer)) {
            qCWarning(lcSecurity) << "control socket: cannot read the peer's credentials; connection closed";
            s->abort();
            s->deleteLater();
            delete c;
            continue;
        }
        m_clients << c;
        connect(s, &QLocalSocket::readyRead, this, [this, c] { onReadyRead(c); });
        connect(s, &QLocalSocket::disconnected, this, [this, c] {
            // Deferred: this may run inside a handler that still uses `c`.
            if (!m_clients.removeOne(c))
                return;
            c->closing = true;
            c->socket->deleteLater();
            // Kept in m_closed until then: when the service exits first, the destructor frees it (ASan).
            m_closed << c;
            QTimer::singleShot(0, this, [this, c] {
                m_closed.removeOne(c);
                delete c;
            });
            Q_EMIT clientsChanged();
        });
        int sameUser = 0;
        for (const Client *o : qAsConst(m_clients))
            sameUser += o->peer.uid == c->peer.uid ? 1 : 0;
        if (m_clients.size() > kMaxClients || (c->peer.uid != 0 && sameUser > kMaxClientsPerUser)) {
            refuse(c, QStringLiteral("too many connections; try again later"));
            continue;
        }
        // A connection that never says hello does not hold a slot for long.
        c->helloTimer = new QTimer(s);
        c->helloTimer->setSingleShot(true);
        connect(c->helloTimer, &QTimer::timeout, this,
                [this, c] { refuse(c, QStringLiteral("no hello within 10 seconds")); });
        c->helloTimer->start(10000);
        qCDebug(lcAgent).noquote() << QStringLiteral("control connection from uid %1 (%2), pid %3")
                                          .arg(c->peer.uid)
                                          .arg(c->peer.user)
                                          .arg(c->peer.pid);
        Q_EMIT clientsChanged();
        if (s->bytesAvailable() > 0)
            onReadyRead(c);
    }
}

void ControlServer::onReadyRead(Client *c)
{
    if (c->closing) {
        c->socket->readAll();
        return;
    }
    c->in.append(c->socket->readAll());
    QByteArray line;
    for (;;) {
        if (c->closing)
            return;
        const control::LineBuffer::Next next = c->in.next(&line);
        if (next == control::LineBuffer::Next::Incomplete)
            return;
        if (next == control::LineBuffer::Next::TooLong) {
            refuse(c, tooLong());
            return;
        }
        QPointer<QLocalSocket> guard(c->socket);
        handleLine(c, line);
        if (!guard)
            return;
    }
}

bool ControlServer::parseMessage(const QByteArray &line, QJsonObject *msg, QString *error)
{
    if (line.size() > control::kMaxRequestLine) {
        *error = tooLong();
        return false;
    }
    if (!control::decodeLine(line, msg, error)) {
        *error = QStringLiteral("malformed message: %1").arg(*error);
        return false;
    }
    return true;
}

void ControlServer::greet(Client *c, const QJsonObject &msg)
{
    control::Hello hello;
    QString error;
    if (!control::Hello::fromJson(msg, &hello, &error)) {
        refuse(c, error);
        return;
    }
    c->greeted = true;
    c->helloTimer->stop();
    c->access = m_accessOf ? m_accessOf(c->peer) : Access::User;
    c->peer.client = hello.client;
    control::Welcome welcome;
    welcome.agentVersion = QStringLiteral(OCO_VERSION);
    welcome.peer.uid = c->peer.uid;
    welcome.peer.gid = c->peer.gid;
    welcome.peer.pid = c->peer.pid;
    welcome.peer.user = c->peer.user;
    if (m_describe)
        m_describe(c->peer, &welcome.peer);
    send(c, welcome.toJson());
    sendSnapshot(c);
    Q_EMIT clientGreeted(c->peer);
}

void ControlServer::handleLine(Client *c, const QByteArray &line)
{
    QJsonObject msg;
    QString error;
    if (!parseMessage(line, &msg, &error)) {
        refuse(c, error);
        return;
    }
    if (!c->greeted) {
        greet(c, msg);
        return;
    }
    const QJsonValue id = control::Request::fromJson(msg).id;
    QPointer<QLocalSocket> guard(c->socket);
    Reply reply = [this, guard, c, id](const QJsonObject &members) {
        if (!guard || !m_clients.contains(c) || c->socket != guard)
            return; // the client went away meanwhile
        send(c, control::Reply::complete(members, id));
    };
    if (control::messageTypeOf(msg) == control::MessageType::Hello) {
        reply(control::Reply::refusal(QStringLiteral("already greeted")).toJson());
        return;
    }
    if (!m_handler) {
        reply(control::Reply::refusal(QStringLiteral("the service is starting")).toJson());
        return;
    }
    m_handler(c->peer, msg, reply);
}

void ControlServer::update(const QJsonObject &message)
{
    const control::MessageType type = control::messageTypeOf(message);
    if (!m_state.contains(int(type)))
        m_order << type;
    m_state.insert(int(type), message);
}

void ControlServer::sendSnapshot(Client *c)
{
    if (m_beforeSnapshot)
        m_beforeSnapshot();
    for (const control::MessageType type : qAsConst(m_order)) {
        if (c->closing)
            return;
        const QJsonObject &message = m_state.value(int(type));
        const QJsonObject view = m_view ? m_view(c->access, message) : message;
        if (!view.isEmpty())
            send(c, view);
    }
    const QJsonObject log = control::LogPush{m_log}.toJson();
    const QJsonObject view = m_view ? m_view(c->access, log) : log;
    send(c, view.isEmpty() ? control::LogPush{}.toJson() : view);
}

qint64 ControlServer::pendingTotal() const
{
    qint64 total = 0;
    for (const Client *c : m_clients)
        if (!c->closing)
            total += c->socket->bytesToWrite();
    return total;
}

void ControlServer::send(Client *c, const QJsonObject &message)
{
    if (c->closing)
        return;
    const QByteArray bytes = control::encodeLine(message);
    if (c->socket->bytesToWrite() + bytes.size() > kMaxPending) {
        drop(c,
             QStringLiteral("it does not read what the service sends (more than %1 bytes waiting)").arg(kMaxPending));
        return;
    }
    // Over the limit for all clients together the one holding the most goes: that is one that does not read.
    while (pendingTotal() + bytes.size() > kMaxPendingTotal) {
        Client *worst = c;
        for (Client *o : qAsConst(m_clients))
            if (!o->closing && o->socket->bytesToWrite() > worst->socket->bytesToWrite())
                worst = o;
        drop(worst, QStringLiteral("it does not read what the service sends (all clients together have more "
                                   "than %1 bytes waiting, this one the most)")
                        .arg(kMaxPendingTotal));
        if (worst == c)
            return;
    }
    c->socket->write(bytes);
}

void ControlServer::refuse(Client *c, const QString &reason)
{
    if (c->closing)
        return;
    qCInfo(lcAgent).noquote() << QStringLiteral("control connection of uid %1 (pid %2) closed: %3")
                                     .arg(c->peer.uid)
                                     .arg(c->peer.pid)
                                     .arg(reason);
    send(c, control::Refused{reason}.toJson());
    c->closing = true;
    c->in.clear();
    c->socket->disconnectFromServer(); // flushes the refusal, then closes
}

void ControlServer::drop(Client *c, const QString &why)
{
    if (c->closing)
        return;
    qCWarning(lcAgent).noquote()
        << QStringLiteral("control client uid %1 (pid %2) dropped: %3").arg(c->peer.uid).arg(c->peer.pid).arg(why);
    c->closing = true;
    c->in.clear();
    QLocalSocket *s = c->socket;
    QTimer::singleShot(0, s, [s] { s->abort(); });
}

void ControlServer::publish(const QJsonObject &message)
{
    update(message);
    sendToAll(message);
}

void ControlServer::publishLog(const QList<control::LogRecord> &lines)
{
    if (lines.isEmpty())
        return;
    m_log << lines;
    if (m_log.size() > kLogLines)
        m_log.remove(0, m_log.size() - kLogLines);
    sendToAll(control::LogPush{lines}.toJson());
}

void ControlServer::sendToAll(const QJsonObject &message)
{
    std::optional<QJsonObject> views[3];
    const QList<Client *> clients = m_clients;
    for (Client *c : clients) {
        if (!c->greeted)
            continue;
        std::optional<QJsonObject> &view = views[static_cast<int>(c->access)];
        if (!view)
            view = m_view ? m_view(c->access, message) : message;
        if (!view->isEmpty())
            send(c, *view);
    }
}

} // namespace oco
