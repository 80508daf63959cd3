#include "ServiceClient.h"

#include "platform/Paths.h"

#include "controlproto/LineCodec.h"
#include "controlproto/Messages.h"
#include "core/Version.h"
#include "platform/LocalPeer.h"

namespace oco::ui {

QString ServiceClient::defaultSocketPath()
{
    const QByteArray env = qgetenv("OCO_CONTROL_SOCKET");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return oco::platform::defaultControlSocket();
}

ServiceClient::ServiceClient(QString socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(std::move(socketPath))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServiceClient::connectNow);
}

ServiceClient::~ServiceClient()
{
    // Handlers may point at widgets that are being destroyed as well: drop them without calling.
    for (auto &p : m_pending)
        delete p.timer;
    m_pending.clear();
}

void ServiceClient::setRetryDelays(int firstMs, int maxMs)
{
    m_firstRetryMs = firstMs;
    m_maxRetryMs = maxMs;
    m_nextRetryMs = firstMs;
}

void ServiceClient::start()
{
    if (m_running)
        return;
    m_running = true;
    m_nextRetryMs = m_firstRetryMs;
    connectNow();
}

void ServiceClient::stop()
{
    m_running = false;
    m_retryTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failAllPending(tr("The tray stopped talking to the service."));
    setConnection(Connection::Disconnected);
}

void ServiceClient::connectNow()
{
    if (!m_running)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_buffer.clear();
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, &ServiceClient::onConnected);
    connect(m_socket, &QLocalSocket::disconnected, this, &ServiceClient::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &ServiceClient::onError);
    connect(m_socket, &QLocalSocket::readyRead, this, &ServiceClient::onReadyRead);
    m_socket->connectToServer(m_socketPath);
}

void ServiceClient::scheduleRetry()
{
    if (!m_running || m_retryTimer.isActive())
        return;
    m_retryTimer.start(m_nextRetryMs);
    m_nextRetryMs = qMin(m_nextRetryMs * 2, m_maxRetryMs);
}

void ServiceClient::onConnected()
{
    // Only root (the service) or our own user may be on the other end: another user who took the socket's
    // place would otherwise show us made-up restarts and read our answers.
    std::optional<uint> serverUid;
    if (!platform::isTrustedServer(m_socket->socketDescriptor(), &serverUid)) {
        m_connectError = tr("%1 is not served by the OCO agent service (it belongs to uid %2, not to root); "
                            "the tray does not talk to it.")
                             .arg(m_socketPath)
                             .arg(serverUid ? QString::number(*serverUid) : QStringLiteral("?"));
        m_nextRetryMs = m_maxRetryMs;
        setConnection(Connection::Refused);
        m_socket->abort();
        return;
    }
    setConnection(Connection::Connecting);
    control::Hello hello;
    hello.client = QStringLiteral("oco-tray/" OCO_VERSION);
    m_socket->write(control::encodeLine(hello.toJson()));
}

void ServiceClient::onDisconnected()
{
    if (m_connection != Connection::Refused) {
        if ((m_connection == Connection::Connected || m_connection == Connection::Connecting) &&
            m_connectError.isEmpty())
            m_connectError = tr("The connection to the service was lost.");
        setConnection(Connection::Disconnected);
    }
    failAllPending(tr("The connection to the service was lost before it answered."));
    // Without a service nobody can act on a pending restart: the notice goes away until the service is back.
    if (!m_power.isEmpty()) {
        m_power = {};
        Q_EMIT powerChanged();
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    scheduleRetry();
}

void ServiceClient::onError(QLocalSocket::LocalSocketError error)
{
    if (error == QLocalSocket::PeerClosedError)
        return; // onDisconnected handles it
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
        m_connectError = tr("The OCO agent service is not running (there is no socket at %1).").arg(m_socketPath);
        break;
    case QLocalSocket::ConnectionRefusedError:
        m_connectError = tr("The OCO agent service is not accepting connections at %1.").arg(m_socketPath);
        break;
    case QLocalSocket::SocketAccessError:
        m_connectError = tr("You are not allowed to open %1.").arg(m_socketPath);
        break;
    default:
        m_connectError =
            tr("Cannot talk to the OCO agent service at %1: %2").arg(m_socketPath, m_socket->errorString());
        break;
    }
    // An error before the connection was made gets no "disconnected" signal: retry from here.
    if (m_socket && m_connection != Connection::Connected && m_connection != Connection::Connecting) {
        if (m_connection != Connection::Refused)
            setConnection(Connection::Disconnected);
        else
            Q_EMIT connectionChanged();
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
        scheduleRetry();
    }
}

void ServiceClient::onReadyRead()
{
    QLocalSocket *socket = m_socket;
    m_buffer.append(socket->readAll());
    QByteArray line;
    for (;;) {
        const control::LineBuffer::Next next = m_buffer.next(&line);
        if (next == control::LineBuffer::Next::Incomplete)
            return;
        if (next == control::LineBuffer::Next::TooLong) {
            m_connectError = tr("The service sent a line that is too long; reconnecting.");
            socket->abort();
            return;
        }
        QJsonObject message;
        QString error;
        if (!control::decodeLine(line, &message, &error)) {
            m_connectError = tr("The service sent something that is not a JSON object; reconnecting.");
            socket->abort();
            return;
        }
        handleMessage(message);
        if (socket != m_socket)
            return; // the message closed the connection
    }
}

void ServiceClient::handleMessage(const QJsonObject &message)
{
    using control::MessageType;
    const MessageType type = control::messageTypeOf(message);
    if (type == MessageType::Welcome) {
        const control::Welcome welcome = control::Welcome::fromJson(message);
        m_peer = welcome.peer;
        m_agentVersion = welcome.agentVersion;
        m_connectError.clear();
        m_log = {}; // the service sends its recent lines again after the welcome
        m_nextRetryMs = m_firstRetryMs;
        setConnection(Connection::Connected);
        return;
    }
    if (type == MessageType::Refused) {
        m_connectError = tr("The service refused the tray: %1").arg(control::Refused::fromJson(message).reason);
        // Retrying quickly would only hear the same answer.
        m_nextRetryMs = m_maxRetryMs;
        setConnection(Connection::Refused);
        m_socket->abort();
        return;
    }
    if (m_connection != Connection::Connected)
        return; // nothing counts before the welcome
    handlePush(type, message);
}

void ServiceClient::handlePush(control::MessageType type, const QJsonObject &message)
{
    using control::MessageType;
    switch (type) {
    case MessageType::Reply:
        finish(control::Reply::fromJson(message).id.toVariant().toLongLong(), message);
        break;
    case MessageType::Status:
        m_status = control::Status::fromJson(message);
        Q_EMIT statusChanged();
        break;
    case MessageType::Inventory:
        m_inventory = control::InventoryPush::fromJson(message);
        Q_EMIT inventoryChanged();
        break;
    case MessageType::Jobs:
        m_jobs = control::Jobs::fromJson(message);
        Q_EMIT jobsChanged();
        break;
    case MessageType::Power:
        // A reminder flag travels on the push, not in the state.
        m_power = control::PowerPush::pendingFrom(message);
        Q_EMIT powerChanged();
        break;
    case MessageType::AdminVoice:
        m_adminVoice = message;
        Q_EMIT adminVoiceChanged();
        break;
    case MessageType::Log: {
        const QList<control::LogRecord> lines = control::LogPush::fromJson(message).lines;
        m_log << lines;
        if (m_log.size() > kMaxLogLines)
            m_log.remove(0, m_log.size() - kMaxLogLines);
        Q_EMIT logAppended(lines);
        break;
    }
    default:
        Q_EMIT unknownMessage(message);
    }
}

namespace {
// What a request's handler gets when the service cannot answer.
QJsonObject failed(qint64 id, const QString &reason)
{
    control::Reply r = control::Reply::refusal(reason);
    r.id = id;
    return r.toJson();
}
} // namespace

qint64 ServiceClient::request(control::RequestType type, const QJsonObject &params, ReplyHandler handler, int timeoutMs)
{
    const qint64 id = m_nextId++;
    if (!isConnected()) {
        const QString reason =
            m_connectError.isEmpty() ? tr("The OCO agent service is not connected.") : m_connectError;
        if (handler)
            QTimer::singleShot(0, this, [handler, id, reason] { handler(failed(id, reason)); });
        return id;
    }
    Pending p;
    p.handler = std::move(handler);
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this,
            [this, id] { finish(id, failed(id, tr("The service did not answer in time."))); });
    p.timer->start(timeoutMs > 0 ? timeoutMs : m_requestTimeoutMs);
    m_pending.insert(id, p);
    m_socket->write(control::encodeLine(control::Request{type, id, params}.toJson()));
    return id;
}

void ServiceClient::finish(qint64 id, const QJsonObject &reply)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // late reply after a timeout
    Pending p = it.value();
    m_pending.erase(it);
    p.timer->deleteLater();
    if (p.handler)
        p.handler(reply);
}

void ServiceClient::failAllPending(const QString &reason)
{
    const QList<qint64> ids = m_pending.keys();
    for (qint64 id : ids)
        finish(id, failed(id, reason));
}

void ServiceClient::setConnection(Connection c)
{
    if (m_connection == c && c != Connection::Refused)
        return;
    m_connection = c;
    Q_EMIT connectionChanged();
}

} // namespace oco::ui
