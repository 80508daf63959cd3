#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QTcpServer;
class QTcpSocket;

namespace oco::test {

// One HTTP request as the test server saw it.
struct RecordedRequest
{
    QByteArray method; // GET / POST
    QByteArray path;   // with query
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString rpcMethod; // JSON-RPC method, empty for downloads
    QJsonObject json;  // parsed body when JSON
    int status = 0;    // what the server answered
    QByteArray header(const QByteArray &name) const;
};

struct HttpReply
{
    int status = 200;
    QByteArray reason = "OK";
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    QString filePath;       // stream this file instead of `body`
    bool sendLength = true; // false: close-delimited body (HTTP/1.0 style)
    bool supportRanges = false;
    // Faults: close the connection after this many body bytes, or send them and then nothing more.
    qint64 dropAfterBytes = -1;
    qint64 stallAfterBytes = -1;
};

// A real HTTP(S) server on 127.0.0.1 that behaves like the OCO server (docs/server-protocol.md). The 2021 dialect
// follows server v0.12.1: api-agent.php and payloadprovider.php. Tests drive it per case through its
// public members; it lives in the test process, so no mocks and no sleeps are needed.
class FeatureServer;

class TestServer : public QObject
{
    Q_OBJECT
public:
    struct Job
    {
        QJsonValue id;
        QJsonValue containerId;
        QJsonValue packageId;
        QString hostname;
        bool download = true;
        QString procedure;
        int sequenceMode = 0;
        QJsonValue restart = QJsonValue::Null;
        QJsonValue shutdown = QJsonValue::Null;
        QJsonValue exit = QJsonValue::Null;
        QList<int> successCodes; // empty = every code is success
        int state = 0;
        QJsonValue returnCode = QJsonValue::Null;
        QString message;
        QList<QJsonObject> reports; // every update_deploy_status data received for this job
    };
    struct Computer
    {
        QString hostname;
        QString agentKey;
        QString serverKey;
        bool forceUpdate = false;
        // current dialect (docs/server-protocol.md §4)
        QString uid;
        QString agentVersion;      // DB agent_version: decides plaintext vs HMAC (§4.1)
        double agentTimestamp = 0; // last accepted request timestamp of a hello
        QJsonObject lastHello;     // data of the last hello
        int helloCount = 0;
        QJsonArray events;
        QJsonArray passwords;
        // What hello and update replies ask of the agent (docs/server-protocol.md §4.5, §4.6), set per test: `events`
        // rules, `update-passwords` requests, and `policies` (undefined: {"machine": []}).
        QJsonArray eventRules;
        QJsonArray updatePasswords;
        QJsonValue policies;
        // When set, oco.agent.events and oco.agent.passwords go through this model of the server (storage,
        // decryption with this computer's agent key, rotation rules, revoke window) instead of the plain
        // recording into `events` / `passwords` above. Not owned.
        FeatureServer *features = nullptr;
        QDateTime lastUpdate;
        QDateTime lastPing;
        QJsonObject inventory;
        QJsonArray networks;
        int inventoryUploads = 0;
    };
    struct Package
    {
        QByteArray zip;
        QString filePath; // large packages are streamed from disk
    };

    explicit TestServer(QObject *parent = nullptr);
    ~TestServer() override;

    bool listen(quint16 port = 0);
    bool listenTls(const QSslCertificate &cert, const QSslKey &key, quint16 port = 0);
    quint16 port() const;
    QUrl apiUrl() const;
    QUrl payloadUrl() const;

    // --- which server generation this is. Each answers unknown method names like the real one. The data (computers,
    // keys, jobs, packages) stays when a test switches generations in the middle: a server upgrade.
    enum class Generation
    {
        Legacy2021, // v0.12.1: 200 {"error":"Unknown Method"}
        Era016,     // v0.16.3: 2021 and dotted names, plaintext keys; 400 "Unknown Method" (reason, no body)
        Era11,      // v1.1.6: dotted names only, plaintext keys and uid; 400 "Unknown Method" (reason, no body)
        Current     // v1.2.2: signed; 400 "Unknown method" (body)
    };
    Generation dialect = Generation::Legacy2021;
    bool plainPasswords = true; // Era11: oco.agent.passwords exists (v1.1.3+); false: v1.0.2-v1.1.2

    // --- current dialect settings
    double clockOffsetSecs = 0; // the server's clock = real clock + offset (result.timestamp, Date header)
    bool signReplies = true;    // false: no x-oco-server-signature header
    bool sendTimestamps = true; // false: no result.timestamp (servers before v1.1.10)
    double lastReplyTimestamp() const { return m_lastServerTs; }
    double serverNow() const; // the server clock in seconds since the epoch
    static QByteArray hmacHex(const QByteArray &key, const QByteArray &body);
    // AES-256-CBC with the agent key as the server does for oco.agent.passwords (docs/server-protocol.md §4.9).
    static bool decryptPassword(const QJsonObject &encrypted, const QString &agentKey, QString *plain);
    // Called after normal handling with the reply about to be sent (lose it, forge it, replay another).
    std::function<void(const RecordedRequest &, HttpReply *)> afterDispatch;

    // --- server settings (conf.php of v0.12.1)
    QString registrationKey = QStringLiteral("ernesto");
    bool selfRegistration = false;
    int updateIntervalSecs = 3600;
    bool idsAsStrings = false;       // PHP < 8.1: integer DB columns arrive as JSON strings
    bool jobsAsSingleObject = false; // the seed's example shape

    // --- data
    QHash<QString, Computer> computers; // key: lower-case hostname
    QList<Job> jobs;
    QHash<QString, Package> packages; // key: package id as text

    Computer &addComputer(const QString &hostname, const QString &agentKey = {}, const QString &serverKey = {});
    Computer *computer(const QString &hostname);
    Job &addJob(const QString &hostname, QJsonValue id, QJsonValue containerId, QJsonValue packageId,
                const QString &procedure, bool download = true);
    Job *job(const QJsonValue &id);
    void addPackage(const QString &id, const QByteArray &zip);
    void addPackageFile(const QString &id, const QString &path);

    // --- fault injection
    // Answer every request of this JSON-RPC method (or "download") with a fixed reply.
    QHash<QString, HttpReply> forcedReplies;
    // Replace the server key in replies (an impostor, or a reinstalled server).
    QString serverKeyOverride;
    // Hand over this agent key in every hello reply even when the agent has one.
    QString agentKeyOverride;
    // Called for each request before normal handling; return true to skip normal handling (reply set).
    std::function<bool(const RecordedRequest &, HttpReply *)> interceptor;

    // Package download faults, one per download request in order (a broken connection, a stall).
    struct DownloadFault
    {
        qint64 dropAfterBytes = -1;
        qint64 stallAfterBytes = -1;
    };
    QList<DownloadFault> downloadFaults;
    bool honourRanges = true; // false: like a plain file server that ignores Range and sends everything

    QList<RecordedRequest> requests;
    QStringList rpcMethods() const;
    int countRequests(const QString &rpcMethod) const;

    static QString randomKey();
    // PHP json_encode defaults: "/" escaped, non-ASCII as \uXXXX.
    static QByteArray phpJson(const QJsonObject &o);

Q_SIGNALS:
    void requestHandled(const QString &rpcMethod, int status);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, RecordedRequest &req);
    HttpReply dispatch(RecordedRequest &req);
    HttpReply handleLegacyRpc(RecordedRequest &req);
    HttpReply handlePayload(RecordedRequest &req);
    // current dialect (TestServerCurrent.cpp)
    HttpReply handleCurrentRpc(RecordedRequest &req);
    HttpReply currentAuth(const RecordedRequest &req, const QString &key, bool plaintext, bool registration);
    HttpReply currentHello(const RecordedRequest &req);
    HttpReply currentUpdate(const RecordedRequest &req, Computer &c);
    HttpReply currentJobState(const RecordedRequest &req, Computer &c);
    HttpReply currentDownload(const RecordedRequest &req, Computer &c);
    HttpReply currentReply(const QJsonValue &params, const QString &signingKey, bool success = true);
    bool plaintextAgent(const Computer *c, const QJsonObject &data) const;
    HttpReply legacyHello(const QJsonObject &params);
    // v0.16.3 and v1.1.6 (TestServerEras.cpp)
    HttpReply handleEraRpc(RecordedRequest &req);
    HttpReply eraHello(const QJsonObject &params);
    HttpReply eraUpdate(const QJsonObject &params);
    HttpReply eraJobState(const QJsonObject &params);
    HttpReply eraFeature(const QString &method, const QJsonObject &params);
    HttpReply eraDownload(RecordedRequest &req);
    HttpReply legacyUpdate(const QJsonObject &params);
    HttpReply legacyDeployStatus(const QJsonObject &params);
    void send(QTcpSocket *socket, const HttpReply &reply, const QByteArray &rangeHeader);
    QJsonValue exportId(const QJsonValue &v) const;
    QJsonObject jobJson(const Job &j) const;
    QString outgoingServerKey(const Computer &c) const;

    double m_lastServerTs = 0;
    std::unique_ptr<QTcpServer> m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

HttpReply jsonReply(const QJsonObject &o);
HttpReply errorReply(int status, const QByteArray &reason, const QByteArray &body = {});

} // namespace oco::test
