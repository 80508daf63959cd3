#include "Agent.h"

#include "core/Log.h"
#include "core/StateStore.h"
#include "core/Version.h"
#include "protocol/Dialect2021.h"

#include <QJsonArray>

namespace oco {

Agent::Agent(Config &config, StateStore &state, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
    , m_jobs(config, state)
{
    m_http.setOptions(httpOptions());
    m_jobs.setStopRequested([this] { return m_stopRequested; });
    m_jobs.setHttp(&m_http);
}

Agent::~Agent() = default;

HttpOptions Agent::httpOptions() const
{
    HttpOptions o;
    o.connectTimeoutSecs = m_config.connectionTimeout;
    o.readTimeoutSecs = m_config.readTimeout;
    o.caFile = m_config.caFile;
    o.pinSha256 = m_config.pinSha256;
    o.proxy = m_config.proxy;
    return o;
}

AgentIdentity Agent::identity()
{
    AgentIdentity id;
    const QByteArray forced = qgetenv("OCO_HOSTNAME");
    id.hostname = forced.isEmpty() ? Inventory::hostname(m_config.hostnameRemoveDomain) : QString::fromUtf8(forced);
    id.agentVersion = QStringLiteral(OCO_VERSION);
    if (!m_config.machineUid.isEmpty()) {
        id.uid = m_config.machineUid;
    } else {
        InventoryOptions o;
        id.uid = Inventory(o).machineUid();
    }
    return id;
}

QJsonObject Agent::collectInventory(InventoryDialect dialect)
{
    InventoryOptions o;
    o.dialect = dialect;
    o.agentVersion = QStringLiteral(OCO_VERSION);
    o.minUid = m_config.localUsersMinUid;
    o.maxUid = m_config.localUsersMaxUid;
    const QByteArray root = qgetenv("OCO_SYSROOT");
    if (!root.isEmpty())
        o.sysroot = QString::fromLocal8Bit(root);
    Inventory inv(o);
    return inv.collect();
}

std::unique_ptr<Dialect> Agent::makeDialect(QString *error)
{
    if (m_config.apiUrl.isEmpty()) {
        *error = QStringLiteral("[server] api-url is empty in %1: set it to https://<server>/api-agent.php")
                     .arg(m_config.path());
        return nullptr;
    }
    switch (m_config.protocol) {
    case ProtocolChoice::Legacy2021:
        return std::make_unique<Dialect2021>(m_config, m_state, m_http, identity());
    case ProtocolChoice::Current:
    case ProtocolChoice::Auto:
        *error = QStringLiteral("[server] protocol = %1 is not supported yet by this build; set protocol = 2021")
                     .arg(protocolChoiceName(m_config.protocol));
        return nullptr;
    }
    return nullptr;
}

void Agent::setState(const QString &state)
{
    if (m_status.state == state)
        return;
    m_status.state = state;
    Q_EMIT statusChanged();
}

void Agent::setError(const Failure &f)
{
    m_status.lastError = f.message;
    m_status.lastErrorKind = f.kind;
    Q_EMIT statusChanged();
}

Agent::CycleResult Agent::runCycle()
{
    CycleResult result;
    QString err;
    std::unique_ptr<Dialect> dialect = makeDialect(&err);
    if (!dialect) {
        result.error = err;
        setError({FailureKind::Local, 0, err});
        setState(QStringLiteral("error"));
        return result;
    }
    m_status.dialect = dialect->name();
    setState(QStringLiteral("contacting"));
    const AgentIdentity id = dialect->identity();
    qCInfo(lcAgent).noquote()
        << QStringLiteral("contacting %1 as '%2' (protocol %3)").arg(m_config.apiUrl, id.hostname, dialect->name());

    InventoryOptions io;
    Inventory quick(io);
    QJsonObject helloData{{QStringLiteral("agent_version"), id.agentVersion},
                          {QStringLiteral("networks"), quick.networks()}};
    m_status.lastContact = QDateTime::currentDateTimeUtc();
    const Result<HelloResult> hello = dialect->hello(helloData);
    if (!hello.ok()) {
        result.error = hello.failure.message;
        qCCritical(lcAgent).noquote() << "contact failed:" << hello.failure.message;
        setError(hello.failure);
        setState(QStringLiteral("error"));
        return result;
    }
    m_forceUpdate = false;
    m_status.lastSuccess = QDateTime::currentDateTimeUtc();
    m_status.lastError.clear();
    m_status.lastErrorKind = FailureKind::None;
    const HelloResult &h = *hello.value;
    qCInfo(lcAgent).noquote() << QStringLiteral("server answered: inventory %1, %2 job(s)")
                                     .arg(h.update ? QStringLiteral("requested") : QStringLiteral("not needed"))
                                     .arg(h.jobs.size());
    for (const QString &bad : h.invalidJobs)
        qCWarning(lcAgent).noquote() << "ignored an invalid job entry:" << bad;

    // Before any job: report what a crash interrupted and what could not be delivered. The hello above may
    // list those jobs again (they are still in state 1/2 on the server); isSettled() keeps them from running.
    m_jobs.recover(*dialect);

    bool ok = true;
    if (h.update) {
        setState(QStringLiteral("inventory"));
        const QJsonObject inv = collectInventory(dialect->name() == QLatin1String("2021") ? InventoryDialect::Legacy2021
                                                                                          : InventoryDialect::Current);
        const Result<QJsonObject> up = dialect->update(inv);
        if (up.ok()) {
            m_status.lastInventory = QDateTime::currentDateTimeUtc();
            qCInfo(lcAgent).noquote() << QStringLiteral("inventory uploaded (%1 software packages, %2 partitions)")
                                             .arg(inv.value(QStringLiteral("software")).toArray().size())
                                             .arg(inv.value(QStringLiteral("partitions")).toArray().size());
        } else {
            ok = false;
            result.error = QStringLiteral("inventory upload failed: %1").arg(up.failure.message);
            qCCritical(lcAgent).noquote() << result.error;
            setError(up.failure);
            if (up.failure.kind == FailureKind::Security) {
                setState(QStringLiteral("error"));
                return result; // a forged reply: do not go on with this server in this cycle
            }
        }
    }

    QStringList skipContainers;
    for (const Job &job : h.jobs) {
        if (m_stopRequested) {
            qCInfo(lcAgent) << "stop requested: the remaining jobs wait for the next start";
            break;
        }
        if (m_holdJobs) {
            const QString why = m_holdJobs();
            if (!why.isEmpty()) {
                qCInfo(lcAgent).noquote()
                    << QStringLiteral("job %1 and the ones after it wait: %2").arg(job.idText(), why);
                break;
            }
        }
        if (m_jobs.isSettled(job)) {
            // Its final report is queued or was just sent: never run a job twice. Without a confirmed success
            // it counts as failed for the container's sequence mode.
            qCInfo(lcJobs).noquote() << "job" << job.idText() << "already ended in an earlier run: not run again";
            if (job.sequenceMode == 1)
                skipContainers << job.containerText();
            continue;
        }
        if (skipContainers.contains(job.containerText())) {
            qCInfo(lcJobs).noquote() << "job" << job.idText() << "skipped: an earlier job of container"
                                     << job.containerText() << "failed (sequence mode 1)";
            continue;
        }
        setState(QStringLiteral("job"));
        const JobOutcome outcome = m_jobs.run(*dialect, job);
        // Without the server's verdict the job counts as failed: better skip than run out of sequence.
        const bool failed = outcome.reported ? !outcome.succeeded : true;
        if (failed && job.sequenceMode == 1)
            skipContainers << job.containerText();
        if (!outcome.reported) {
            ok = false;
            if (result.error.isEmpty())
                result.error = QStringLiteral("the final report of job %1 did not reach the server").arg(job.idText());
        }
        if (job.exitMinutes && outcome.reported) {
            qCInfo(lcAgent).noquote() << "job" << job.idText() << "asks the agent to exit (agent update): exiting";
            result.exitRequested = true;
            break;
        }
    }
    setState(ok ? QStringLiteral("idle") : QStringLiteral("error"));
    result.ok = ok;
    return result;
}

} // namespace oco
