#include "TestServer.h"

#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QRandomGenerator>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <memory>

namespace oco::test {

QByteArray RecordedRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

HttpReply jsonReply(const QJsonObject &o)
{
    HttpReply r;
    r.body = TestServer::phpJson(o);
    return r;
}

HttpReply errorReply(int status, const QByteArray &reason, const QByteArray &body)
{
    HttpReply r;
    r.status = status;
    r.reason = reason;
    r.contentType = "text/html; charset=UTF-8";
    r.body = body;
    return r;
}

TestServer::TestServer(QObject *parent)
    : QObject(parent)
{}
TestServer::~TestServer()
{
    // The sockets' disconnect handlers use m_buffers, which is destroyed before m_server otherwise.
    m_server.reset();
}

QString TestServer::randomKey()
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    QString key;
    for (int i = 0; i < 30; ++i)
        key += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(36)]);
    return key;
}

QByteArray TestServer::phpJson(const QJsonObject &o)
{
    const QString compact = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    QByteArray out;
    out.reserve(compact.size());
    for (const QChar c : compact) {
        if (c == QLatin1Char('/'))
            out += "\\/";
        else if (c.unicode() > 0x7f)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toLatin1();
        else
            out += static_cast<char>(c.unicode());
    }
    return out;
}

bool TestServer::listen(quint16 port)
{
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::newConnection, this, &TestServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, port);
}

bool TestServer::listenTls(const QSslCertificate &cert, const QSslKey &key, quint16 port)
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(cert);
    conf.setPrivateKey(key);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(conf);
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this, &TestServer::onNewConnection);
    m_server = std::move(server);
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 TestServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl TestServer::apiUrl() const
{
    const bool tls = qobject_cast<QSslServer *>(m_server.get()) != nullptr;
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/api-agent.php")
                    .arg(tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(port()));
}

QUrl TestServer::payloadUrl() const
{
    QUrl u = apiUrl();
    u.setPath(QStringLiteral("/payloadprovider.php"));
    return u;
}

TestServer::Computer &TestServer::addComputer(const QString &hostname, const QString &agentKey,
                                              const QString &serverKey)
{
    Computer c;
    c.hostname = hostname;
    c.agentKey = agentKey;
    c.serverKey = serverKey;
    computers.insert(hostname.toLower(), c);
    return computers[hostname.toLower()];
}

TestServer::Computer *TestServer::computer(const QString &hostname)
{
    auto it = computers.find(hostname.toLower());
    return it == computers.end() ? nullptr : &it.value();
}

TestServer::Job &TestServer::addJob(const QString &hostname, QJsonValue id, QJsonValue containerId,
                                    QJsonValue packageId, const QString &procedure, bool download)
{
    Job j;
    j.hostname = hostname;
    j.id = id;
    j.containerId = containerId;
    j.packageId = packageId;
    j.procedure = procedure;
    j.download = download;
    jobs.append(j);
    return jobs.last();
}

static QString idText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::number(static_cast<qint64>(v.toDouble()));
}

TestServer::Job *TestServer::job(const QJsonValue &id)
{
    for (Job &j : jobs)
        if (idText(j.id) == idText(id))
            return &j;
    return nullptr;
}

void TestServer::addPackage(const QString &id, const QByteArray &zip)
{
    packages.insert(id, Package{zip, {}});
}

void TestServer::addPackageFile(const QString &id, const QString &path)
{
    packages.insert(id, Package{{}, path});
}

QStringList TestServer::rpcMethods() const
{
    QStringList out;
    for (const RecordedRequest &r : requests)
        out << (r.rpcMethod.isEmpty() ? QStringLiteral("GET ") + QString::fromLatin1(r.path.split('?').first())
                                      : r.rpcMethod);
    return out;
}

int TestServer::countRequests(const QString &rpcMethod) const
{
    int n = 0;
    for (const RecordedRequest &r : requests)
        if (r.rpcMethod == rpcMethod)
            ++n;
    return n;
}

void TestServer::onNewConnection()
{
    while (QTcpSocket *s = m_server->nextPendingConnection()) {
        m_buffers.insert(s, {});
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            m_buffers.remove(s);
            s->deleteLater();
        });
        if (s->bytesAvailable() > 0)
            onReadyRead(s);
    }
}

void TestServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    const int headerEnd = buf.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
    RecordedRequest req;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    req.method = first.value(0);
    req.path = first.value(1);
    qint64 length = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const int colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        req.headers.append({name, value});
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            length = value.toLongLong();
    }
    if (buf.size() < headerEnd + 4 + length)
        return;
    req.body = buf.mid(headerEnd + 4, length);
    buf.clear();
    handle(socket, req);
}

void TestServer::handle(QTcpSocket *socket, RecordedRequest &req)
{
    HttpReply reply;
    bool intercepted = false;
    if (interceptor) {
        const QJsonObject parsed = QJsonDocument::fromJson(req.body).object();
        req.json = parsed;
        req.rpcMethod = parsed.value(QStringLiteral("method")).toString();
        intercepted = interceptor(req, &reply);
    }
    if (!intercepted)
        reply = dispatch(req);
    if (afterDispatch)
        afterDispatch(req, &reply);
    req.status = reply.status;
    requests.append(req);
    send(socket, reply, req.header("Range"));
    Q_EMIT requestHandled(req.rpcMethod, reply.status);
}

HttpReply TestServer::dispatch(RecordedRequest &req)
{
    const QByteArray path = req.path.split('?').first();
    const bool era = dialect == Generation::Era016 || dialect == Generation::Era11;
    if (path.endsWith("/payloadprovider.php") && dialect == Generation::Legacy2021) {
        if (forcedReplies.contains(QStringLiteral("download")))
            return forcedReplies.value(QStringLiteral("download"));
        return handlePayload(req);
    }
    // v0.15.0-v1.0.1: payloadprovider.php is a link to api-agent.php, which serves GET downloads.
    if (path.endsWith("/payloadprovider.php") && dialect == Generation::Era016)
        return eraDownload(req);
    if (!path.endsWith("/api-agent.php"))
        return errorReply(404, "Not Found");
    if (dialect == Generation::Current)
        return handleCurrentRpc(req);
    if (era && req.header("Content-Type").isEmpty() &&
        !QUrlQuery(QString::fromLatin1(req.path.mid(req.path.indexOf('?') + 1)))
             .queryItemValue(QStringLiteral("id"))
             .isEmpty())
        return eraDownload(req);
    if (era)
        return handleEraRpc(req);
    return handleLegacyRpc(req);
}

HttpReply TestServer::handleLegacyRpc(RecordedRequest &req)
{
    if (req.header("Content-Type") != "application/json")
        return errorReply(400, "Content Type Mismatch");
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
    const QJsonObject o = doc.object();
    req.json = o;
    req.rpcMethod = o.value(QStringLiteral("method")).toString();
    if (perr.error != QJsonParseError::NoError || !doc.isObject() ||
        o.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0") ||
        !o.contains(QStringLiteral("method")) || !o.value(QStringLiteral("params")).isObject() ||
        !o.contains(QStringLiteral("id")) || o.value(QStringLiteral("id")).isNull())
        return errorReply(400, "Payload Corrupt");
    if (forcedReplies.contains(req.rpcMethod))
        return forcedReplies.value(req.rpcMethod);
    const QJsonObject params = o.value(QStringLiteral("params")).toObject();
    if (req.rpcMethod == QLatin1String("oco.agent_hello"))
        return legacyHello(params);
    if (req.rpcMethod == QLatin1String("oco.agent_update"))
        return legacyUpdate(params);
    if (req.rpcMethod == QLatin1String("oco.update_deploy_status"))
        return legacyDeployStatus(params);
    return jsonReply(QJsonObject{{QStringLiteral("id"), o.value(QStringLiteral("id"))},
                                 {QStringLiteral("result"), QJsonValue::Null},
                                 {QStringLiteral("error"), QStringLiteral("Unknown Method")}});
}

QJsonValue TestServer::exportId(const QJsonValue &v) const
{
    if (idsAsStrings && v.isDouble())
        return QString::number(static_cast<qint64>(v.toDouble()));
    return v;
}

QJsonObject TestServer::jobJson(const Job &j) const
{
    return QJsonObject{{QStringLiteral("id"), exportId(j.id)},
                       {QStringLiteral("container-id"), exportId(j.containerId)},
                       {QStringLiteral("package-id"), exportId(j.packageId)},
                       {QStringLiteral("download"), j.download},
                       {QStringLiteral("procedure"), j.procedure},
                       {QStringLiteral("sequence-mode"), j.sequenceMode},
                       {QStringLiteral("restart"), j.restart},
                       {QStringLiteral("shutdown"), j.shutdown},
                       {QStringLiteral("exit"), j.exit}};
}

QString TestServer::outgoingServerKey(const Computer &c) const
{
    return serverKeyOverride.isEmpty() ? c.serverKey : serverKeyOverride;
}

static QJsonObject envelope(const QJsonObject &params)
{
    return QJsonObject{
        {QStringLiteral("id"), 1},
        {QStringLiteral("error"), QJsonValue::Null},
        {QStringLiteral("result"), QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("params"), params}}}};
}

HttpReply TestServer::legacyHello(const QJsonObject &params)
{
    const QString hostname = params.value(QStringLiteral("hostname")).toString();
    const QString key = params.value(QStringLiteral("agent-key")).toString();
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    Computer *c = computer(hostname);
    QJsonValue newAgentKey = QJsonValue::Null;
    if (!c) {
        if (key != registrationKey)
            return errorReply(401, "Client Not Authorized");
        if (!selfRegistration)
            return errorReply(403, "Client Self-Registration Disabled");
        Computer &nc = addComputer(hostname, randomKey(), randomKey());
        nc.networks = data.value(QStringLiteral("networks")).toArray();
        nc.lastPing = QDateTime::currentDateTimeUtc();
        QJsonObject p{{QStringLiteral("server-key"), outgoingServerKey(nc)},
                      {QStringLiteral("agent-key"), agentKeyOverride.isEmpty() ? nc.agentKey : agentKeyOverride},
                      {QStringLiteral("update"), 1},
                      {QStringLiteral("software-jobs"), QJsonArray()}};
        return jsonReply(envelope(p));
    }
    if (c->agentKey.isEmpty()) {
        if (key != registrationKey)
            return errorReply(401, "Client Not Authorized");
        c->agentKey = randomKey();
        newAgentKey = c->agentKey;
    } else if (key != c->agentKey) {
        return errorReply(401, "Client Not Authorized");
    }
    if (!agentKeyOverride.isEmpty())
        newAgentKey = agentKeyOverride;
    if (c->serverKey.isEmpty())
        c->serverKey = randomKey();
    c->lastPing = QDateTime::currentDateTimeUtc();
    const bool update = c->forceUpdate || !c->lastUpdate.isValid() ||
                        c->lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) > updateIntervalSecs;
    QJsonArray list;
    for (const Job &j : qAsConst(jobs))
        if (j.hostname.compare(c->hostname, Qt::CaseInsensitive) == 0 && j.state >= 0 && j.state <= 2)
            list.append(jobJson(j));
    QJsonObject p{{QStringLiteral("server-key"), outgoingServerKey(*c)},
                  {QStringLiteral("agent-key"), newAgentKey},
                  {QStringLiteral("update"), update ? 1 : 0}};
    if (jobsAsSingleObject && list.size() == 1)
        p.insert(QStringLiteral("software-jobs"), list.first());
    else
        p.insert(QStringLiteral("software-jobs"), list);
    return jsonReply(envelope(p));
}

HttpReply TestServer::legacyUpdate(const QJsonObject &params)
{
    Computer *c = computer(params.value(QStringLiteral("hostname")).toString());
    if (!c || c->agentKey.isEmpty() || params.value(QStringLiteral("agent-key")).toString() != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    // v0.12.1 has no defaults for these: a missing one is NULL in a NOT NULL column (strict SQL -> 500).
    static const char *required[] = {"os",    "os_version",   "kernel_version", "architecture", "cpu",
                                     "gpu",   "ram",          "agent_version",  "serial",       "manufacturer",
                                     "model", "bios_version", "boot_type",      "secure_boot"};
    for (const char *k : required)
        if (!data.contains(QLatin1String(k)) || data.value(QLatin1String(k)).isNull())
            return errorReply(500, "Internal Server Error");
    const bool due = c->forceUpdate || !c->lastUpdate.isValid() ||
                     c->lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) > updateIntervalSecs;
    if (due) {
        c->inventory = data;
        c->lastUpdate = QDateTime::currentDateTimeUtc();
        c->forceUpdate = false;
        ++c->inventoryUploads;
    }
    return jsonReply(envelope(QJsonObject{{QStringLiteral("server-key"), outgoingServerKey(*c)}}));
}

HttpReply TestServer::legacyDeployStatus(const QJsonObject &params)
{
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    for (const char *k : {"job-id", "state", "return-code", "message"})
        if (!data.contains(QLatin1String(k)) || data.value(QLatin1String(k)).isNull())
            return errorReply(400, "Parameter Mismatch");
    Computer *c = computer(params.value(QStringLiteral("hostname")).toString());
    if (!c)
        return errorReply(404, "Computer Not Found");
    if (c->agentKey.isEmpty() || params.value(QStringLiteral("agent-key")).toString() != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    Job *j = job(data.value(QStringLiteral("job-id")));
    if (!j)
        return errorReply(400, "Job Not Found");
    if (j->hostname.compare(c->hostname, Qt::CaseInsensitive) != 0)
        return errorReply(403, "Forbidden");
    j->reports.append(data);
    const QJsonValue stateValue = data.value(QStringLiteral("state"));
    int state = stateValue.isString() ? stateValue.toString().toInt() : stateValue.toInt();
    const int rc = data.value(QStringLiteral("return-code")).isString()
                       ? data.value(QStringLiteral("return-code")).toString().toInt()
                       : data.value(QStringLiteral("return-code")).toInt();
    if (state == 3 && !j->successCodes.isEmpty() && !j->successCodes.contains(rc))
        state = -1;
    j->state = state;
    j->returnCode = data.value(QStringLiteral("return-code"));
    j->message = data.value(QStringLiteral("message")).toString();
    if (state == -1 && j->sequenceMode == 1) {
        for (Job &other : jobs) {
            if (idText(other.containerId) == idText(j->containerId) && other.state == 0) {
                other.state = -1;
                other.returnCode = -8888;
                other.message = QStringLiteral("aborted after failed");
            }
        }
    }
    return jsonReply(envelope(QJsonObject{{QStringLiteral("server-key"), outgoingServerKey(*c)},
                                          {QStringLiteral("job-succeeded"), state == 3}}));
}

HttpReply TestServer::handlePayload(RecordedRequest &req)
{
    const QUrlQuery q(QString::fromLatin1(req.path.mid(req.path.indexOf('?') + 1)));
    const QString hostname = q.queryItemValue(QStringLiteral("hostname"), QUrl::FullyDecoded);
    const QString key = q.queryItemValue(QStringLiteral("agent-key"), QUrl::FullyDecoded);
    const QString id = q.queryItemValue(QStringLiteral("id"), QUrl::FullyDecoded);
    if (hostname.isEmpty() || key.isEmpty())
        return errorReply(401, "Client Not Authorized");
    Computer *c = computer(hostname);
    if (!c || c->agentKey != key)
        return errorReply(401, "Client Not Authorized");
    HttpReply r;
    r.contentType = "application/octet-stream";
    if (id.isEmpty()) {
        r.contentType = "text/html";
        return r;
    }
    if (!packages.contains(id))
        return errorReply(404, "Not Found");
    const Package &p = packages.value(id);
    r.extraHeaders.append({"Content-Disposition", "attachment; filename=\"" + id.toLatin1() + ".zip\""});
    r.supportRanges = q.hasQueryItem(QStringLiteral("resumable")) && honourRanges;
    if (!downloadFaults.isEmpty()) {
        const DownloadFault f = downloadFaults.takeFirst();
        r.dropAfterBytes = f.dropAfterBytes;
        r.stallAfterBytes = f.stallAfterBytes;
    }
    if (!p.filePath.isEmpty())
        r.filePath = p.filePath;
    else
        r.body = p.zip;
    return r;
}

namespace {
// Streams a file to a socket in bounded memory, then closes the connection (unless told to stall).
class FileStreamer : public QObject
{
public:
    FileStreamer(QTcpSocket *s, const QString &path, qint64 from, qint64 count, bool closeAtEnd)
        : QObject(s)
        , m_socket(s)
        , m_file(path)
        , m_close(closeAtEnd)
    {
        m_file.open(QIODevice::ReadOnly);
        m_file.seek(from);
        m_left = count;
        connect(s, &QTcpSocket::bytesWritten, this, &FileStreamer::pump);
        pump();
    }

private:
    void pump()
    {
        while (m_left > 0 && m_socket->bytesToWrite() < 4 * 1024 * 1024) {
            const QByteArray chunk = m_file.read(std::min<qint64>(m_left, 1024 * 1024));
            if (chunk.isEmpty())
                break;
            m_left -= chunk.size();
            m_socket->write(chunk);
        }
        if (m_left <= 0 || m_file.atEnd()) {
            disconnect(m_socket, &QTcpSocket::bytesWritten, this, &FileStreamer::pump);
            if (m_close)
                m_socket->disconnectFromHost();
        }
    }
    QTcpSocket *m_socket;
    QFile m_file;
    qint64 m_left = 0;
    bool m_close = true;
};
} // namespace

void TestServer::send(QTcpSocket *socket, const HttpReply &reply, const QByteArray &rangeHeader)
{
    qint64 total = reply.filePath.isEmpty() ? reply.body.size() : QFile(reply.filePath).size();
    qint64 from = 0;
    int status = reply.status;
    QByteArray reason = reply.reason;
    QByteArray head;
    if (reply.supportRanges && status == 200 && rangeHeader.startsWith("bytes=")) {
        from = rangeHeader.mid(6).split('-').first().toLongLong();
        if (from > 0 && from < total) {
            status = 206;
            reason = "Partial Content";
            head += "Content-Range: bytes " + QByteArray::number(from) + "-" + QByteArray::number(total - 1) + "/" +
                    QByteArray::number(total) + "\r\n";
        } else {
            from = 0;
        }
    }
    const qint64 count = total - from;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
    out += "Content-Type: " + reply.contentType + "\r\n";
    if (reply.sendLength)
        out += "Content-Length: " + QByteArray::number(count) + "\r\n";
    if (reply.supportRanges)
        out += "Accept-Ranges: bytes\r\n";
    for (const auto &h : reply.extraHeaders)
        out += h.first + ": " + h.second + "\r\n";
    out += head;
    out += "Date: " +
           QLocale::c()
               .toString(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(serverNow() * 1000), Qt::UTC),
                         QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
               .toLatin1() +
           "\r\n";
    out += "Connection: close\r\n\r\n";
    socket->write(out);
    qint64 send = count;
    if (reply.dropAfterBytes >= 0)
        send = std::min(send, reply.dropAfterBytes);
    if (reply.stallAfterBytes >= 0)
        send = std::min(send, reply.stallAfterBytes);
    const bool close = reply.stallAfterBytes < 0;
    if (!reply.filePath.isEmpty()) {
        new FileStreamer(socket, reply.filePath, from, send, close);
        return;
    }
    socket->write(reply.body.mid(from, send));
    if (close)
        socket->disconnectFromHost();
}

} // namespace oco::test
