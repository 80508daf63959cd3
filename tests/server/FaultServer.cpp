#include "FaultServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace oco::test {

QString FaultServer::faultName(Fault f)
{
    switch (f) {
    case Fault::None:
        return QStringLiteral("none");
    case Fault::DropMidHeaders:
        return QStringLiteral("drop-mid-headers");
    case Fault::DropMidBody:
        return QStringLiteral("drop-mid-body");
    case Fault::Stall:
        return QStringLiteral("stall");
    case Fault::Huge:
        return QStringLiteral("huge");
    case Fault::HugeNoLength:
        return QStringLiteral("huge-no-length");
    case Fault::TruncatedJson:
        return QStringLiteral("truncated-json");
    case Fault::WrongContentType:
        return QStringLiteral("wrong-content-type");
    case Fault::Http10NoLength:
        return QStringLiteral("http10-no-length");
    case Fault::TlsPlainReply:
        return QStringLiteral("tls-plain-reply");
    case Fault::TlsCloseEarly:
        return QStringLiteral("tls-close-early");
    case Fault::SlowLoris:
        return QStringLiteral("slow-loris");
    }
    return QStringLiteral("?");
}

namespace {
bool isTlsFault(FaultServer::Fault f)
{
    return f == FaultServer::Fault::TlsPlainReply || f == FaultServer::Fault::TlsCloseEarly;
}

// Splits a raw HTTP message into the header block (without the blank line) and the body.
void splitMessage(const QByteArray &raw, QByteArray *head, QByteArray *body)
{
    const int end = raw.indexOf("\r\n\r\n");
    *head = end < 0 ? raw : raw.left(end);
    *body = end < 0 ? QByteArray() : raw.mid(end + 4);
}

QByteArray withoutHeaders(const QByteArray &head, const QList<QByteArray> &names)
{
    QList<QByteArray> kept;
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &l : lines) {
        bool drop = false;
        for (const QByteArray &n : names)
            if (l.toLower().startsWith(n.toLower() + ':'))
                drop = true;
        if (!drop)
            kept << l;
    }
    return kept.join('\n');
}
} // namespace

// One client connection: reads one request, then forwards or misbehaves.
class FaultConnection : public QObject
{
public:
    FaultConnection(FaultServer *server, QTcpSocket *client, const QUrl &backend)
        : QObject(client)
        , m_server(server)
        , m_client(client)
        , m_backendUrl(backend)
    {
        connect(client, &QTcpSocket::readyRead, this, &FaultConnection::onRead);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        if (client->bytesAvailable() > 0)
            onRead();
    }

private:
    void onRead()
    {
        if (m_started) {
            m_client->readAll(); // a stalled or broken exchange: the rest is ignored
            return;
        }
        m_request += m_client->readAll();
        if (!m_request.isEmpty() && static_cast<uchar>(m_request.at(0)) == 0x16) {
            m_started = true;
            tls();
            return;
        }
        const int end = m_request.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qint64 length = 0;
        const QList<QByteArray> lines = m_request.left(end).split('\n');
        for (const QByteArray &l : lines)
            if (l.toLower().startsWith("content-length:"))
                length = l.mid(15).trimmed().toLongLong();
        if (m_request.size() < end + 4 + length)
            return;
        m_started = true;
        const QByteArray path = lines.value(0).split(' ').value(1);
        const QString target = path.contains("payloadprovider.php")
                                   ? QStringLiteral("download")
                                   : QJsonDocument::fromJson(m_request.mid(end + 4, length))
                                         .object()
                                         .value(QStringLiteral("method"))
                                         .toString();
        m_fault = m_server->take(target);
        m_server->log << QStringLiteral("%1: %2").arg(target, FaultServer::faultName(m_fault));
        switch (m_fault) {
        case FaultServer::Fault::Stall:
            m_server->served(m_fault, 0);
            return; // keep the connection open and say nothing
        case FaultServer::Fault::Huge:
        case FaultServer::Fault::HugeNoLength:
            startHuge();
            return;
        case FaultServer::Fault::WrongContentType: {
            const QByteArray body = "<html><head><title>Network login</title></head>"
                                    "<body>Please sign in to use this network.</body></html>";
            finish("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            return;
        }
        default:
            forward();
        }
    }

    void tls()
    {
        m_fault = m_server->take(QStringLiteral("tls"), true);
        m_server->log << QStringLiteral("tls: %1").arg(FaultServer::faultName(m_fault));
        if (m_fault == FaultServer::Fault::TlsPlainReply) {
            const QByteArray body = "<html><body>This server speaks plain HTTP.</body></html>";
            finish("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            return;
        }
        m_server->served(m_fault, 0);
        m_client->disconnectFromHost(); // TlsCloseEarly, or TLS without a TLS fault: we cannot speak it
    }

    void forward()
    {
        auto *backend = new QTcpSocket(this);
        connect(backend, &QTcpSocket::connected, this, [this, backend] { backend->write(m_request); });
        connect(backend, &QTcpSocket::readyRead, this, [this, backend] { m_response += backend->readAll(); });
        connect(backend, &QTcpSocket::disconnected, this, [this, backend] {
            m_response += backend->readAll();
            backend->deleteLater();
            deliver();
        });
        connect(backend, &QTcpSocket::errorOccurred, this, [this, backend](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError) {
                backend->deleteLater();
                m_client->abort();
            }
        });
        backend->connectToHost(m_backendUrl.host(), static_cast<quint16>(m_backendUrl.port()));
    }

    void deliver()
    {
        QByteArray head, body;
        splitMessage(m_response, &head, &body);
        switch (m_fault) {
        case FaultServer::Fault::DropMidHeaders:
            finish(head.left(head.size() / 2));
            return;
        case FaultServer::Fault::DropMidBody:
            finish(head + "\r\n\r\n" + body.left(body.size() / 2));
            return;
        case FaultServer::Fault::TruncatedJson: {
            const QByteArray cut = body.left(body.size() / 2);
            finish(withoutHeaders(head, {"content-length"}) + "\r\nContent-Length: " + QByteArray::number(cut.size()) +
                   "\r\n\r\n" + cut);
            return;
        }
        case FaultServer::Fault::Http10NoLength: {
            QByteArray h = withoutHeaders(head, {"content-length", "connection"});
            if (h.startsWith("HTTP/1.1"))
                h.replace(0, 8, "HTTP/1.0");
            finish(h + "\r\n\r\n" + body, false); // valid HTTP: not counted as a fault
            return;
        }
        case FaultServer::Fault::SlowLoris:
            // The header block at once, then the body byte by byte: each byte restarts the client's idle
            // timer, so only a limit on the whole reply ends this. (Qt reports no progress while headers
            // arrive, so trickled headers already run into the idle read-timeout.)
            m_server->served(m_fault, 0);
            m_client->write(head + "\r\n\r\n");
            m_pending = body;
            m_trickle = new QTimer(this);
            connect(m_trickle, &QTimer::timeout, this, [this] {
                if (m_pending.isEmpty()) {
                    m_trickle->stop();
                    m_client->disconnectFromHost();
                    return;
                }
                m_client->write(m_pending.left(1));
                m_pending.remove(0, 1);
                m_server->m_faultBytes = ++m_sent;
            });
            m_trickle->start(m_server->trickleIntervalMs);
            return;
        default:
            finish(m_response, false);
        }
    }

    void startHuge()
    {
        QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
        if (m_fault == FaultServer::Fault::Huge)
            head += "Content-Length: " + QByteArray::number(m_server->hugeBytes) + "\r\n";
        head += "Connection: close\r\n\r\n";
        m_client->write(head);
        m_hugeLeft = m_server->hugeBytes;
        m_hugePrefix = "{\"id\":1,\"error\":null,\"result\":{\"params\":{\"padding\":\"";
        connect(m_client, &QTcpSocket::bytesWritten, this, &FaultConnection::pumpHuge);
        connect(m_client, &QTcpSocket::disconnected, this, [this] { m_server->served(m_fault, m_sent); });
        pumpHuge();
    }

    void pumpHuge()
    {
        static const QByteArray chunk(1024 * 1024, 'A');
        while (m_hugeLeft > 0 && m_client->bytesToWrite() < 4 * 1024 * 1024 &&
               m_client->state() == QAbstractSocket::ConnectedState) {
            QByteArray piece = m_hugePrefix.isEmpty() ? chunk : m_hugePrefix + chunk;
            m_hugePrefix.clear();
            if (piece.size() > m_hugeLeft)
                piece.truncate(m_hugeLeft);
            m_hugeLeft -= piece.size();
            m_sent += m_client->write(piece);
            m_server->m_faultBytes = m_sent;
        }
        if (m_hugeLeft <= 0) {
            disconnect(m_client, &QTcpSocket::bytesWritten, this, &FaultConnection::pumpHuge);
            m_client->disconnectFromHost();
        }
    }

    void finish(const QByteArray &bytes, bool isFault = true)
    {
        m_client->write(bytes);
        m_client->disconnectFromHost();
        if (isFault)
            m_server->served(m_fault, bytes.size());
    }

    FaultServer *m_server;
    QTcpSocket *m_client;
    QUrl m_backendUrl;
    QByteArray m_request, m_response, m_pending, m_hugePrefix;
    bool m_started = false;
    FaultServer::Fault m_fault = FaultServer::Fault::None;
    QTimer *m_trickle = nullptr;
    qint64 m_sent = 0;
    qint64 m_hugeLeft = 0;
};

FaultServer::FaultServer(QUrl backend, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
{}

FaultServer::~FaultServer() = default;

bool FaultServer::listen()
{
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection())
            new FaultConnection(this, s, m_backend);
    });
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FaultServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl FaultServer::apiUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/api-agent.php").arg(port()));
}

QUrl FaultServer::tlsApiUrl() const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1/api-agent.php").arg(port()));
}

QUrl FaultServer::payloadUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/payloadprovider.php").arg(port()));
}

void FaultServer::arm(Fault fault, const QString &target, int times, int skip)
{
    m_fault = fault;
    m_target = target;
    m_times = times;
    m_skip = skip;
}

void FaultServer::disarm()
{
    m_fault = Fault::None;
    m_times = 0;
}

FaultServer::Fault FaultServer::take(const QString &target, bool tls)
{
    if (m_fault == Fault::None || m_times <= 0 || isTlsFault(m_fault) != tls)
        return Fault::None;
    if (!tls && m_target != QLatin1String("*") && m_target != target)
        return Fault::None;
    if (m_skip > 0) {
        --m_skip;
        return Fault::None;
    }
    --m_times;
    return m_fault;
}

void FaultServer::served(Fault f, qint64 bytes)
{
    if (f == Fault::None)
        return;
    ++m_served;
    m_faultBytes = bytes;
    Q_EMIT faultServed(f);
}

} // namespace oco::test
