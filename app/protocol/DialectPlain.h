#pragma once

#include "Dialect.h"
#include "KeyKeeper.h"

namespace oco {

// The dialect of OCO servers v1.0.2-v1.1.6 (their dotted names exist since v0.13.2): oco.agent.hello,
// oco.agent.update, oco.agent.update_job_state, oco.agent.events and, since v1.1.3, oco.agent.passwords;
// `hostname`, the plaintext `agent-key` and the machine `uid` in params; no signatures, no timestamps.
// Every reply echoes the server key (checked like the 2021 dialect: stored once, another one rejects the
// reply); an individual agent key is never replaced. Packages come from
// GET api-agent.php?id=&hostname=&agent-key= without a Content-Type (the server needs an active job).
class DialectPlain : public Dialect
{
public:
    DialectPlain(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity);

    QString name() const override { return QStringLiteral("plain"); }
    bool reportsProgress() const override { return true; }
    Result<HelloResult> hello(const QJsonObject &data) override;
    Result<QJsonObject> update(const QJsonObject &inventory) override;
    Result<bool> reportJob(const JobReport &report) override;
    Failure download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                     qint64 resumeFrom = 0) override;
    Result<QJsonObject> call(const QString &method, const QJsonObject &data) override;
    Result<QJsonObject> callResult(const QString &method, const QJsonObject &data) override;

    QByteArray buildRequest(const QString &method, const QJsonObject &data) const;
    QUrl downloadUrl(const QJsonValue &packageId) const;
    // Whether the last refusal came with a v1.1.7+ text body (servers up to v1.1.6 send none).
    bool refusedByNewerServer() const { return m_newerServerRefused; }

private:
    Result<QJsonObject> send(const QString &method, const QJsonObject &data, QJsonObject *result);

    KeyKeeper m_keys;
    bool m_newerServerRefused = false;
};

// Words for a refused request of the plain dialect: the status and reason text the server sent (servers
// up to v1.1.6 put their message into the reason phrase and send no body; v1.1.7+ send it as the body)
// and what it most likely means.
Failure describePlainHttpError(const QString &method, int status, const QByteArray &reason, const QByteArray &body,
                               const QString &hostname);

// Whether `reason` is one of the reason phrases servers v0.13.2-v1.1.6 put their errors into ("Unknown Method",
// "Client Not Authorized", ...; not the generic ones any web server sends).
bool isPlainServerReason(const QByteArray &reason);

// A rotated password as servers v1.1.3-v1.1.6 store it: the plaintext. Undoes the AES-256-CBC encryption
// the password rotation applies for current servers (key = the agent key, NUL-padded to 32 bytes).
bool decryptPlainPassword(const QJsonObject &encrypted, const QByteArray &agentKey, QString *plain);

} // namespace oco
