#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QLocalServer>
#include <QLocalSocket>
#include <QObject>

#include <functional>

// A stand-in for the service's control socket (app/control/PROTOCOL.md), for GUI tests, screenshots and the
// tray benchmark: it speaks the real protocol (hello/welcome, pushes, replies), holds a state the test sets,
// and records every request it gets.
class ServiceStub : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<QJsonObject(const QJsonObject &request)>;

    explicit ServiceStub(QObject *parent = nullptr);
    ~ServiceStub() override;

    bool listen(const QString &path);
    void close();
    QString path() const { return m_path; }
    int clientCount() const { return int(m_welcomed.size()); }

    // What the stub says in its welcome; `admin` decides what set_settings answers by default.
    QJsonObject peer = QJsonObject{{QStringLiteral("uid"), 1000},
                                   {QStringLiteral("user"), QStringLiteral("jane")},
                                   {QStringLiteral("admin"), false},
                                   {QStringLiteral("has_session"), true}};
    QString refuseReason; // non-empty: refuse every hello with this reason

    // State pushed on connect and by the setters.
    void setStatus(const QJsonObject &status);
    void setInventory(const QJsonObject &inventory, const QString &collected);
    void setJobs(const QJsonObject &jobs);
    void setPower(const QJsonObject &pending, bool reminder = false); // empty object: nothing pending
    void addLog(const QJsonArray &lines);
    void setAdminVoice(const QJsonObject &ui); // the `ui` push; empty: none (an older service)
    QJsonObject settings;                      // get_settings answer (with can_change / reason)
    // get_settings' file_only: {key: reason}, the settings the service takes only from root's file.
    QJsonObject fileOnly;

    // Per request type: the reply members (ok/reason/...). Types without a handler get the defaults below.
    QHash<QString, Handler> handlers;
    QList<QJsonObject> requests; // every request received, in order
    QJsonObject lastRequest(const QString &type) const;
    bool answer = true; // false: never reply (timeouts)

    // A complete, plausible demo state (used by the screenshot script and the benchmark).
    void loadDemoState(bool finalCountdown = false, bool waitingForWindow = false);
    static QJsonObject demoInventory();
    static QJsonObject demoPower(bool finalCountdown,
                                 bool waitingForWindow = false);    // a restart pending for job 18, deadline from now
    static QJsonObject demoAdminVoice(const QByteArray &logo = {}); // [ui] as an organisation would set it

    // Sends raw bytes to every client (broken-service tests).
    void sendRaw(const QByteArray &bytes);

Q_SIGNALS:
    void requestReceived(const QJsonObject &request);
    void clientWelcomed();

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);
    void handle(QLocalSocket *socket, const QJsonObject &message);
    void send(QLocalSocket *socket, const QJsonObject &message);
    void broadcast(const QJsonObject &message);
    void pushAll(QLocalSocket *socket);
    QJsonObject defaultReply(const QJsonObject &request);

    QLocalServer m_server;
    QString m_path;
    QList<QLocalSocket *> m_welcomed;
    QHash<QLocalSocket *, QByteArray> m_buffers;
    QJsonObject m_status;
    QJsonObject m_inventory;
    QString m_collected;
    QJsonObject m_jobs;
    QJsonObject m_power;
    QJsonArray m_log;
    QJsonObject m_adminVoice;
};
