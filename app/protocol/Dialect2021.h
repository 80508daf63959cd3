#pragma once

#include "Dialect.h"
#include "KeyKeeper.h"

namespace oco {

// The December 2021 dialect (docs/server-protocol.md §2): oco.agent_hello, oco.agent_update,
// oco.update_deploy_status; `hostname` and `agent-key` in params; packages from payload-url.
class Dialect2021 : public Dialect
{
public:
    Dialect2021(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity);

    QString name() const override { return QStringLiteral("2021"); }
    bool reportsProgress() const override { return false; }
    Result<HelloResult> hello(const QJsonObject &data) override;
    Result<QJsonObject> update(const QJsonObject &inventory) override;
    Result<bool> reportJob(const JobReport &report) override;
    Failure download(const Job &job, const QString &filePath, const HttpClient::Progress &progress,
                     qint64 resumeFrom = 0) override;
    Result<QJsonObject> call(const QString &method, const QJsonObject &data) override;

    QByteArray buildRequest(const QString &method, const QJsonObject &data) const;
    QUrl payloadUrl(const QJsonValue &packageId) const;

private:
    KeyKeeper m_keys;
};

// The text for a non-200 reply in the 2021 dialect (docs/server-protocol.md §2.6).
QString describeLegacyHttpError(const QString &method, int status, const QByteArray &reason, const QString &hostname);

// The same as a Failure, also for the text bodies of v1.1.7+ servers (which no longer know the 2021 names).
Failure describeLegacyRefusal(const QString &method, int status, const QByteArray &reason, const QByteArray &body,
                              const QString &hostname);

// Parses the `software-jobs` member: an array (what servers send) or a single object (the seed's example).
void parseJobs(const QJsonValue &v, HelloResult *out);

} // namespace oco
