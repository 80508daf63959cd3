#include "ControlServer.h"

#include "core/Log.h"
#include "core/Version.h"
#include "power/Sessions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <optional>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

namespace oco {

struct ControlServer::Client
{
    QLocalSocket *socket = nullptr;
    Peer peer;
    QByteArray in;
    bool greeted = false;
    bool closing = false;
    Access access = Access::User;
    QTimer *helloTimer = nullptr;
};

namespace {
bool readPeer(qintptr fd, Peer *peer)
{
    struct ucred cred
    {
    };
    socklen_t len = sizeof cred;
    if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    peer->pid = cred.pid;
    peer->uid = cred.uid;
    peer->gid = cred.gid;
    peer->user = userName(cred.uid);
    // The peer's own supplementary groups (Linux >= 4.13); without them only the primary group counts.
    std::vector<gid_t> groups(64);
    socklen_t glen = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    int rc = ::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_PEERGROUPS, groups.data(), &glen);
    if (rc != 0 && errno == ERANGE) {
        groups.resize(glen / sizeof(gid_t) + 1);
        glen = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        rc = ::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_PEERGROUPS, groups.data(), &glen);
    }
    if (rc == 0) {
        for (size_t i = 0; i < glen / sizeof(gid_t); ++i)
            peer->groups << groups[i];
    }
    return true;
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
    const QFileInfo fi(path);
    QDir dir = fi.absoluteDir();
    if (!dir.exists()) {
        if (!dir.mkpath(QStringLiteral("."))) {
            *error = QStringLiteral("cannot create the directory %1 for the control socket").arg(dir.path());
            return false;
        }
        ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
    }
    if (!checkSocketDirectory(dir.path(), error))
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

bool ControlServer::checkSocketDirectory(const QString &dir, QString *error)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(dir).constData(), &st) != 0) {
        *error = QStringLiteral("cannot check the directory %1 of the control socket: %2")
                     .arg(dir, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        *error = QStringLiteral("%1 is not a directory (a symbolic link?): refusing to put the control socket there")
                     .arg(dir);
        return false;
    }
    if (st.st_uid != ::geteuid()) {
        *error = QStringLiteral("the directory %1 belongs to uid %2, not to uid %3 (this service): refusing to put "
                                "the control socket there")
                     .arg(dir)
                     .arg(st.st_uid)
                     .arg(::geteuid());
        return false;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        *error = QStringLiteral("the directory %1 is writable by others (mode %2): refusing to put the control "
                                "socket there")
                     .arg(dir)
                     .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
        return false;
    }
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
    c->in += c->socket->readAll();
    for (;;) {
        if (c->closing)
            return;
        const int nl = c->in.indexOf('\n');
        if (nl < 0)
            break;
        if (nl > kMaxLine) {
            refuse(c, QStringLiteral("message longer than %1 bytes").arg(kMaxLine));
            return;
        }
        const QByteArray line = c->in.left(nl);
        c->in.remove(0, nl + 1);
        QPointer<QLocalSocket> guard(c->socket);
        if (!line.trimmed().isEmpty())
            handleLine(c, line);
        if (!guard)
            return;
    }
    if (c->in.size() > kMaxLine)
        refuse(c, QStringLiteral("message longer than %1 bytes").arg(kMaxLine));
}

bool ControlServer::parseMessage(const QByteArray &line, QJsonObject *msg, QString *error)
{
    if (line.size() > kMaxLine) {
        *error = QStringLiteral("message longer than %1 bytes").arg(kMaxLine);
        return false;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = perr.error != QJsonParseError::NoError
                     ? QStringLiteral("malformed message: %1").arg(perr.errorString())
                     : QStringLiteral("malformed message: not a JSON object");
        return false;
    }
    *msg = doc.object();
    return true;
}

bool ControlServer::checkHello(const QJsonObject &msg, QString *error)
{
    if (msg.value(QStringLiteral("type")).toString() != QLatin1String("hello")) {
        *error = QStringLiteral("the first message must be a hello");
        return false;
    }
    const QJsonValue v = msg.value(QStringLiteral("version"));
    if (!v.isDouble() || v.toDouble() != kVersion) {
        *error = QStringLiteral("protocol version %1 is not supported; this service speaks %2")
                     .arg(v.isDouble() ? QString::number(v.toDouble()) : QStringLiteral("(none)"))
                     .arg(kVersion);
        return false;
    }
    return true;
}

void ControlServer::handleLine(Client *c, const QByteArray &line)
{
    QJsonObject msg;
    QString error;
    if (!parseMessage(line, &msg, &error)) {
        refuse(c, error);
        return;
    }
    const QString type = msg.value(QStringLiteral("type")).toString();
    if (!c->greeted) {
        if (!checkHello(msg, &error)) {
            refuse(c, error);
            return;
        }
        c->greeted = true;
        c->helloTimer->stop();
        c->access = m_accessOf ? m_accessOf(c->peer) : Access::User;
        c->peer.client = msg.value(QStringLiteral("client")).toString().left(100);
        QJsonObject peer{{QStringLiteral("uid"), static_cast<qint64>(c->peer.uid)},
                         {QStringLiteral("gid"), static_cast<qint64>(c->peer.gid)},
                         {QStringLiteral("pid"), c->peer.pid},
                         {QStringLiteral("user"), c->peer.user}};
        if (m_describe) {
            const QJsonObject extra = m_describe(c->peer);
            for (auto it = extra.begin(); it != extra.end(); ++it)
                peer.insert(it.key(), it.value());
        }
        send(c, {{QStringLiteral("type"), QStringLiteral("welcome")},
                 {QStringLiteral("version"), kVersion},
                 {QStringLiteral("agent_version"), QStringLiteral(OCO_VERSION)},
                 {QStringLiteral("peer"), peer}});
        sendSnapshot(c);
        Q_EMIT clientGreeted(c->peer);
        return;
    }
    const QJsonValue id = msg.value(QStringLiteral("id"));
    QPointer<QLocalSocket> guard(c->socket);
    Reply reply = [this, guard, c, id](QJsonObject r) {
        if (!guard || !m_clients.contains(c) || c->socket != guard)
            return; // the client went away meanwhile
        r.insert(QStringLiteral("type"), QStringLiteral("reply"));
        r.insert(QStringLiteral("id"), id);
        if (!r.contains(QStringLiteral("ok")))
            r.insert(QStringLiteral("ok"), true);
        if (!r.value(QStringLiteral("ok")).toBool() && !r.contains(QStringLiteral("reason")))
            r.insert(QStringLiteral("reason"), QStringLiteral("refused"));
        send(c, r);
    };
    if (type == QLatin1String("hello")) {
        reply({{QStringLiteral("ok"), false}, {QStringLiteral("reason"), QStringLiteral("already greeted")}});
        return;
    }
    if (!m_handler) {
        reply({{QStringLiteral("ok"), false}, {QStringLiteral("reason"), QStringLiteral("the service is starting")}});
        return;
    }
    m_handler(c->peer, msg, reply);
}

void ControlServer::update(const QJsonObject &message)
{
    const QString type = message.value(QStringLiteral("type")).toString();
    if (!m_state.contains(type))
        m_order << type;
    m_state.insert(type, message);
}

void ControlServer::sendSnapshot(Client *c)
{
    if (m_beforeSnapshot)
        m_beforeSnapshot();
    for (const QString &type : qAsConst(m_order)) {
        if (c->closing)
            return;
        const QJsonObject &message = m_state.value(type);
        const QJsonObject view = m_view ? m_view(c->access, message) : message;
        if (!view.isEmpty())
            send(c, view);
    }
    const QJsonObject log{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("lines"), m_log}};
    const QJsonObject view = m_view ? m_view(c->access, log) : log;
    send(c, view.isEmpty()
                ? QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("lines"), QJsonArray()}}
                : view);
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
    const QByteArray bytes = QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
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
    send(c, {{QStringLiteral("type"), QStringLiteral("refused")}, {QStringLiteral("reason"), reason}});
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
    const QString type = message.value(QStringLiteral("type")).toString();
    if (!m_state.contains(type))
        m_order << type;
    m_state.insert(type, message);
    sendToAll(message);
}

void ControlServer::publishLog(const QJsonArray &lines)
{
    if (lines.isEmpty())
        return;
    for (const QJsonValue &l : lines)
        m_log.append(l);
    while (m_log.size() > kLogLines)
        m_log.removeFirst();
    sendToAll({{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("lines"), lines}});
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
