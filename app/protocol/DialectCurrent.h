#pragma once

#include "Dialect.h"
#include "KeyKeeper.h"

#include <QDateTime>

namespace oco {

class Clock;

// What a reply tells about the server's dialect (for `[server] protocol = auto`).
enum class ServerDialect
{
    Unknown, // no OCO answer (transport failure, proxy page, ...)
    Legacy2021,
    Current
};

// The signed dialect of OCO servers v1.1.7+ (docs/server-protocol.md §4): oco.agent.* methods, uid/hostname/timestamp
// in params, HMAC-SHA256 signatures both ways, rolling timestamps.
//
// A reply is used only after, in this order: HTTP 200; the server signature over the exact received bytes
// (when a server key is configured); a valid JSON envelope; `result.timestamp` newer than every one accepted
// before (persisted atomically); then the key rules (KeyKeeper). A reply failing any step is not acted on.
//
// A lost agent-key hand-over (the server generated the individual key, its reply never arrived) cannot be
// repaired by the agent: the key is sent once and the server now refuses the registration key with 401
// "Invalid agent signature". The agent keeps its registration key, says what happened and what the admin must
// do (clear the computer's agent key in the web console, or enter that key in [agent] agent-key), and backs
// off exponentially in daemon mode; the first hello after the admin cleared the key receives a new one.
class DialectCurrent : public Dialect
{
public:
    DialectCurrent(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity);

    QString name() const override { return QStringLiteral("current"); }
    bool reportsProgress() const override { return true; }
    Result<HelloResult> hello(const QJsonObject &data) override;
    Result<QJsonObject> update(const QJsonObject &inventory) override;
    Result<bool> reportJob(const JobReport &report) override;
    Failure download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                     qint64 resumeFrom = 0) override;
    Result<QJsonObject> call(const QString &method, const QJsonObject &data) override;
    Result<QJsonObject> callResult(const QString &method, const QJsonObject &data) override;

    // --check: verify replies fully but do not persist the server timestamp.
    void setProbeOnly(bool probe) { m_probeOnly = probe; }

    // What the last reply said about the server's dialect.
    ServerDialect lastServerDialect() const { return m_lastDialect; }
    // The server's clock from the last reply (result.timestamp, else the Date header) and our clock then.
    QDateTime lastServerTime() const { return m_lastServerTime; }
    QDateTime lastLocalTime() const { return m_lastLocalTime; }

    // The next request timestamp: now with at most 4 decimals, but always above the last one sent
    // (persisted), so a clock stepping back never produces "Agent timestamp too old".
    double nextRequestTimestamp(QString *error);
    double lastAcceptedServerTimestamp() const;

    // Builds a signed request body for `method` with `params` extra members besides uid/hostname/timestamp.
    QByteArray buildRequest(const QString &method, const QJsonObject &extraParams, QString *error);
    static QByteArray sign(const QByteArray &key, const QByteArray &body);

protected:
    // Steps of the reply check shared by every JSON method; `result` receives the whole `result` object
    // only when every check passed. (Protected for the fuzz target.)
    Result<QJsonObject> verifyReply(const QString &method, const HttpResponse &res, QJsonObject *result = nullptr);

private:
    HttpResponse post(const QByteArray &body);
    Failure httpFailure(const QString &method, const HttpResponse &res) const;
    void noteServerTime(const HttpResponse &res, double resultTimestamp);
    // Steps of verifyReply: the server's signature over the received bytes (when a server key is known), and
    // a result.timestamp newer than every one accepted before (in *timestamp).
    Failure checkSignature(const QString &method, const HttpResponse &res) const;
    Failure checkServerTimestamp(const QString &method, const HttpResponse &res, const QJsonObject &result,
                                 double *timestamp);
    Failure recordServerTimestamp(double ts);

    KeyKeeper m_keys;
    bool m_probeOnly = false;
    double m_unmarkedTimestamp = 0; // the last verified reply's timestamp, when no server key could sign it
    ServerDialect m_lastDialect = ServerDialect::Unknown;
    QDateTime m_lastServerTime;
    QDateTime m_lastLocalTime;
};

// Plain words for a non-200 reply of the current dialect (docs/server-protocol.md §4.11). `body` is the server's text.
Failure describeCurrentHttpError(const QString &method, int status, const QByteArray &body, const QString &hostname,
                                 const QDateTime &serverTime, const QDateTime &localTime);

// Whether a non-200 reply is one a current OCO server produces (used for auto-detection).
bool isCurrentServerErrorText(int status, const QByteArray &body);

// "2025-07-01 06:12:44 UTC" style text for messages that show both clocks.
QString clockText(const QDateTime &t);

} // namespace oco
