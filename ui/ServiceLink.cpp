#include "ServiceLink.h"

#include "core/Version.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <sys/socket.h>
#include <unistd.h>

namespace oco::ui {

namespace {
// The service's lines are bounded by its own 4 MiB per-client buffer; anything bigger is a broken peer.
constexpr qsizetype kMaxIncomingLine = 8 * 1024 * 1024;
} // namespace

QString ServiceLink::defaultSocketPath()
{
    const QByteArray env = qgetenv("OCO_CONTROL_SOCKET");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QStringLiteral("/run/oco-agent/control.sock");
}

ServiceLink::ServiceLink(QString socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(std::move(socketPath))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServiceLink::connectNow);
}

ServiceLink::~ServiceLink()
{
    // Handlers may point at widgets that are being destroyed as well: drop them without calling.
    for (auto &p : m_pending)
        delete p.timer;
    m_pending.clear();
}

void ServiceLink::setRetryDelays(int firstMs, int maxMs)
{
    m_firstRetryMs = firstMs;
    m_maxRetryMs = maxMs;
    m_nextRetryMs = firstMs;
}

void ServiceLink::start()
{
    if (m_running)
        return;
    m_running = true;
    m_nextRetryMs = m_firstRetryMs;
    connectNow();
}

void ServiceLink::stop()
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

void ServiceLink::connectNow()
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
    connect(m_socket, &QLocalSocket::connected, this, &ServiceLink::onConnected);
    connect(m_socket, &QLocalSocket::disconnected, this, &ServiceLink::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &ServiceLink::onError);
    connect(m_socket, &QLocalSocket::readyRead, this, &ServiceLink::onReadyRead);
    m_socket->connectToServer(m_socketPath);
}

void ServiceLink::scheduleRetry()
{
    if (!m_running || m_retryTimer.isActive())
        return;
    m_retryTimer.start(m_nextRetryMs);
    m_nextRetryMs = qMin(m_nextRetryMs * 2, m_maxRetryMs);
}

void ServiceLink::onConnected()
{
    // Only root (the service) or our own user may be on the other end: another user who took the socket's
    // place would otherwise show us made-up restarts and read our answers.
    struct ucred cred
    {
    };
    socklen_t len = sizeof cred;
    if (::getsockopt(static_cast<int>(m_socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
        (cred.uid != 0 && cred.uid != ::getuid())) {
        m_connectError = tr("%1 is not served by the OCO agent service (it belongs to uid %2, not to root); "
                            "the tray does not talk to it.")
                             .arg(m_socketPath)
                             .arg(len == sizeof cred ? QString::number(cred.uid) : QStringLiteral("?"));
        m_nextRetryMs = m_maxRetryMs;
        setConnection(Connection::Refused);
        m_socket->abort();
        return;
    }
    setConnection(Connection::Connecting);
    const QJsonObject hello{{QStringLiteral("type"), QStringLiteral("hello")},
                            {QStringLiteral("version"), kProtocolVersion},
                            {QStringLiteral("client"), QStringLiteral("oco-tray/" OCO_VERSION)}};
    m_socket->write(QJsonDocument(hello).toJson(QJsonDocument::Compact) + '\n');
}

void ServiceLink::onDisconnected()
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

void ServiceLink::onError(QLocalSocket::LocalSocketError error)
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

void ServiceLink::onReadyRead()
{
    QLocalSocket *socket = m_socket;
    m_buffer += socket->readAll();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        const QByteArray line = m_buffer.mid(start, nl - start);
        start = nl + 1;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            m_connectError = tr("The service sent something that is not a JSON object; reconnecting.");
            socket->abort();
            return;
        }
        handleMessage(doc.object());
        if (socket != m_socket)
            return; // the message closed the connection
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > kMaxIncomingLine) {
        m_connectError = tr("The service sent a line that is too long; reconnecting.");
        socket->abort();
    }
}

void ServiceLink::handleMessage(const QJsonObject &message)
{
    const QString type = message.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("welcome")) {
        m_peer = message.value(QStringLiteral("peer")).toObject();
        m_agentVersion = message.value(QStringLiteral("agent_version")).toString();
        m_connectError.clear();
        m_log = {}; // the service sends its recent lines again after the welcome
        m_nextRetryMs = m_firstRetryMs;
        setConnection(Connection::Connected);
    } else if (type == QLatin1String("refused")) {
        m_connectError = tr("The service refused the tray: %1").arg(message.value(QStringLiteral("reason")).toString());
        // Retrying quickly would only hear the same answer.
        m_nextRetryMs = m_maxRetryMs;
        setConnection(Connection::Refused);
        m_socket->abort();
    } else if (m_connection != Connection::Connected) {
        return; // nothing counts before the welcome
    } else if (type == QLatin1String("reply")) {
        finish(message.value(QStringLiteral("id")).toVariant().toLongLong(), message);
    } else if (type == QLatin1String("status")) {
        m_status = message;
        Q_EMIT statusChanged();
    } else if (type == QLatin1String("inventory")) {
        m_inventory = message.value(QStringLiteral("inventory")).toObject();
        m_inventoryCollected = message.value(QStringLiteral("collected")).toString();
        Q_EMIT inventoryChanged();
    } else if (type == QLatin1String("jobs")) {
        m_jobs = message;
        Q_EMIT jobsChanged();
    } else if (type == QLatin1String("power")) {
        m_power = message.value(QStringLiteral("pending")).toObject();
        // A reminder flag travels on the push, not in the state.
        if (message.value(QStringLiteral("reminder")).toBool())
            m_power.insert(QStringLiteral("reminder"), true);
        Q_EMIT powerChanged();
    } else if (type == QLatin1String("ui")) {
        m_adminVoice = message;
        Q_EMIT adminVoiceChanged();
    } else if (type == QLatin1String("log")) {
        const QJsonArray lines = message.value(QStringLiteral("lines")).toArray();
        for (const QJsonValue &l : lines)
            m_log.append(l);
        while (m_log.size() > kMaxLogLines)
            m_log.removeFirst();
        Q_EMIT logAppended(lines);
    } else {
        Q_EMIT unknownMessage(message);
    }
}

qint64 ServiceLink::request(const QString &type, const QJsonObject &params, ReplyHandler handler, int timeoutMs)
{
    const qint64 id = m_nextId++;
    if (!isConnected()) {
        const QString reason =
            m_connectError.isEmpty() ? tr("The OCO agent service is not connected.") : m_connectError;
        if (handler) {
            QTimer::singleShot(0, this, [handler, id, reason] {
                handler(QJsonObject{{QStringLiteral("type"), QStringLiteral("reply")},
                                    {QStringLiteral("id"), id},
                                    {QStringLiteral("ok"), false},
                                    {QStringLiteral("reason"), reason}});
            });
        }
        return id;
    }
    QJsonObject message = params;
    message.insert(QStringLiteral("type"), type);
    message.insert(QStringLiteral("id"), id);
    Pending p;
    p.handler = std::move(handler);
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id] {
        finish(id, QJsonObject{{QStringLiteral("type"), QStringLiteral("reply")},
                               {QStringLiteral("id"), id},
                               {QStringLiteral("ok"), false},
                               {QStringLiteral("reason"), tr("The service did not answer in time.")}});
    });
    p.timer->start(timeoutMs > 0 ? timeoutMs : m_requestTimeoutMs);
    m_pending.insert(id, p);
    m_socket->write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    return id;
}

void ServiceLink::finish(qint64 id, const QJsonObject &reply)
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

void ServiceLink::failAllPending(const QString &reason)
{
    const QList<qint64> ids = m_pending.keys();
    for (qint64 id : ids) {
        finish(id, QJsonObject{{QStringLiteral("type"), QStringLiteral("reply")},
                               {QStringLiteral("id"), id},
                               {QStringLiteral("ok"), false},
                               {QStringLiteral("reason"), reason}});
    }
}

void ServiceLink::setConnection(Connection c)
{
    if (m_connection == c && c != Connection::Refused)
        return;
    m_connection = c;
    Q_EMIT connectionChanged();
}

} // namespace oco::ui
