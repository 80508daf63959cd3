#pragma once

#include "controlproto/LineCodec.h"
#include "controlproto/Messages.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>
#include <QTimer>

#include <functional>

namespace oco::ui {

// The tray's side of the control protocol (app/control/PROTOCOL.md): connects to the service's local socket,
// says hello, keeps the last pushed state, sends requests with ids and routes replies. When the service is
// not there it retries with a growing pause, so starting the tray before the service is fine.
class ServiceClient : public QObject
{
    Q_OBJECT
public:
    enum class Connection
    {
        Disconnected, // not connected; retrying
        Connecting,   // socket open, waiting for the welcome
        Connected,    // welcomed; pushes arrive
        Refused       // the service refused us (reason in connectError()); retrying slowly
    };
    Q_ENUM(Connection)

    using ReplyHandler = std::function<void(const QJsonObject &reply)>;

    static QString defaultSocketPath();

    explicit ServiceClient(QString socketPath, QObject *parent = nullptr);
    ~ServiceClient() override;

    void start();
    void stop();
    // The pause before the first retry and the longest pause between retries.
    void setRetryDelays(int firstMs, int maxMs);
    void setRequestTimeout(int ms) { m_requestTimeoutMs = ms; }

    QString socketPath() const { return m_socketPath; }
    Connection connection() const { return m_connection; }
    bool isConnected() const { return m_connection == Connection::Connected; }
    QString connectError() const { return m_connectError; }

    const control::PeerInfo &peer() const { return m_peer; }
    QString agentVersion() const { return m_agentVersion; }
    const control::Status &status() const { return m_status; }
    QJsonObject inventory() const { return m_inventory.inventory; }
    QDateTime inventoryCollected() const { return m_inventory.collected; }
    const control::Jobs &jobs() const { return m_jobs; }
    // The pending power action; isEmpty() when none is pending.
    const control::PowerPending &powerPending() const { return m_power; }
    const QList<control::LogRecord> &logLines() const { return m_log; }
    // The `ui` push: the admin's words, links and logo per language; empty from services that predate it.
    QJsonObject adminVoice() const { return m_adminVoice; }
    bool hasAdminVoice() const { return !m_adminVoice.isEmpty(); }

    // Sends a request; the handler gets the reply, or a synthetic {"ok":false,"reason":...} when the service
    // is not connected, the connection drops or no reply comes in time. Returns the request id.
    qint64 request(control::RequestType type, const QJsonObject &params = {}, ReplyHandler handler = {},
                   int timeoutMs = -1);

    static constexpr int kMaxLogLines = 2000;

Q_SIGNALS:
    void connectionChanged();
    void statusChanged();
    void inventoryChanged();
    void jobsChanged();
    void powerChanged();
    void logAppended(const QList<oco::control::LogRecord> &lines);
    void adminVoiceChanged();
    // A push the tray does not know (newer service); ignored apart from this signal.
    void unknownMessage(const QJsonObject &message);

private:
    void connectNow();
    void scheduleRetry();
    void onConnected();
    void onDisconnected();
    void onError(QLocalSocket::LocalSocketError error);
    void onReadyRead();
    void handleMessage(const QJsonObject &message);
    void handlePush(control::MessageType type, const QJsonObject &message);
    void setConnection(Connection c);
    void failAllPending(const QString &reason);
    void finish(qint64 id, const QJsonObject &reply);

    struct Pending
    {
        ReplyHandler handler;
        QTimer *timer = nullptr;
    };

    QString m_socketPath;
    QLocalSocket *m_socket = nullptr;
    QTimer m_retryTimer;
    bool m_running = false;
    int m_firstRetryMs = 250;
    int m_maxRetryMs = 10000;
    int m_nextRetryMs = 250;
    int m_requestTimeoutMs = 15000;
    Connection m_connection = Connection::Disconnected;
    QString m_connectError;
    control::LineBuffer m_buffer{control::kMaxPushLine};
    qint64 m_nextId = 1;
    QHash<qint64, Pending> m_pending;

    control::PeerInfo m_peer;
    QString m_agentVersion;
    control::Status m_status;
    control::InventoryPush m_inventory;
    control::Jobs m_jobs;
    control::PowerPending m_power;
    QList<control::LogRecord> m_log;
    QJsonObject m_adminVoice;
};

} // namespace oco::ui
