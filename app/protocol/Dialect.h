#pragma once

#include "HttpClient.h"
#include "Types.h"

#include <QJsonObject>
#include <QString>

namespace oco {

class Config;
class StateStore;

// Who we are towards the server.
struct AgentIdentity
{
    QString hostname;
    QString uid;
    QString agentVersion;
};

// One protocol dialect: builds requests, checks replies (keys, signatures, timestamps) before anything in
// them is used, and returns typed results. Implementations: Dialect2021 (the seed) and DialectCurrent.
class Dialect
{
public:
    Dialect(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity);
    virtual ~Dialect() = default;

    virtual QString name() const = 0;
    // Whether the server understands download progress and partial output (2021: only 1, 2 and the end).
    virtual bool reportsProgress() const = 0;
    // `data` holds agent_version, networks and, for the current dialect, the other hello fields.
    virtual Result<HelloResult> hello(const QJsonObject &data) = 0;
    // Uploads the inventory; returns the reply's params (policies in the current dialect).
    virtual Result<QJsonObject> update(const QJsonObject &inventory) = 0;
    // Reports a job state; returns `job-succeeded` (a missing member counts as success).
    virtual Result<bool> reportJob(const JobReport &report) = 0;
    // Streams the package of `job` into `filePath` (HttpClient::downloadToFile). `resumeFrom` > 0: the file
    // holds that many bytes of a broken earlier attempt; ask for the rest where the server allows it.
    virtual Failure download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                             qint64 resumeFrom = 0) = 0;
    // Any other method (events, passwords); returns params.
    virtual Result<QJsonObject> call(const QString &method, const QJsonObject &data) = 0;
    // The same, but returns the whole verified `result` object ({success, params, timestamp}): the
    // current dialect's oco.agent.passwords answers through `success`. Fails in dialects without it.
    virtual Result<QJsonObject> callResult(const QString &method, const QJsonObject &data);

    const AgentIdentity &identity() const { return m_identity; }
    // The JSON-RPC request every dialect sends: {"jsonrpc":"2.0","id":1,"method":...,"params":...}, compact.
    static QByteArray requestBody(const QString &method, const QJsonObject &params);

protected:
    // The members of a hello reply's params that all dialects share (those a dialect lacks stay empty).
    static HelloResult helloFromParams(const QJsonObject &params);
    // Splits a JSON-RPC reply into result.params, accepting `[]` for an empty params object.
    static Result<QJsonObject> parseEnvelope(const QString &method, const HttpResponse &res, QJsonObject *result);
    QUrl apiUrl() const;

    Config &m_config;
    StateStore &m_state;
    HttpClient &m_http;
    AgentIdentity m_identity;
};

} // namespace oco
