#include "Agent.h"

#include "core/Clock.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "core/TestHooks.h"
#include "core/Version.h"
#include "features/CurrentFeatures.h"
#include "protocol/Dialect2021.h"
#include "protocol/DialectCurrent.h"
#include "protocol/DialectNegotiator.h"
#include "protocol/SrvDiscovery.h"

#include <QJsonArray>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <exception>

namespace oco {

namespace {
const QString kLastInventory = QStringLiteral("last-inventory");
}

Agent::Agent(Config &config, StateStore &state, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_state(state)
    , m_jobs(config, state)
{
    m_http.setOptions(httpOptions());
    m_jobs.setStopRequested([this] { return m_stopRequested; });
    m_jobs.setHttp(&m_http);
    m_status.lastInventory = QDateTime::fromString(m_state.value(kLastInventory).toString(), Qt::ISODate);
}

Agent::~Agent() = default;

HttpOptions Agent::httpOptionsFor(const Config &config)
{
    HttpOptions o;
    o.connectTimeoutSecs = config.connectionTimeout;
    o.readTimeoutSecs = config.readTimeout;
    o.caFile = config.caFile;
    o.pinSha256 = config.pinSha256;
    o.proxy = config.proxy;
    return o;
}

HttpOptions Agent::httpOptions() const
{
    return httpOptionsFor(m_config);
}

AgentIdentity Agent::identity()
{
    AgentIdentity id;
    const QString forced = TestHooks::active().hostname;
    id.hostname = forced.isEmpty() ? Inventory::hostname(m_config.hostnameRemoveDomain) : forced;
    id.agentVersion = QStringLiteral(OCO_VERSION);
    if (!m_config.machineUid.isEmpty()) {
        id.uid = m_config.machineUid;
    } else {
        InventoryOptions o;
        id.uid = Inventory(o).machineUid();
    }
    if (id.uid.isEmpty()) // the server's uid column is UNIQUE: two empty ones make inventory uploads fail
        qCWarning(lcAgent) << "no machine uid (no SMBIOS UUID, no /etc/machine-id): set [agent] machine-uid";
    return id;
}

QJsonObject Agent::collectInventory(InventoryDialect dialect, const QDateTime &loginsSince)
{
    InventoryOptions o;
    o.dialect = dialect;
    o.loginsSince = loginsSince;
    o.agentVersion = QStringLiteral(OCO_VERSION);
    o.minUid = m_config.localUsersMinUid;
    o.maxUid = m_config.localUsersMaxUid;
    const QString root = TestHooks::active().sysroot;
    if (!root.isEmpty())
        o.sysroot = root;
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
    // Auto builds the current dialect; the first hello finds out (runCycle).
    return makeDialectFor(m_config.protocol, m_config, m_state, m_http, identity());
}

bool Agent::ensureApiUrl(QString *error)
{
    if (!m_config.apiUrl.isEmpty())
        return true;
    // Only while api-url is empty: once pinned, a rogue search domain cannot redirect the agent.
    qCInfo(lcAgent) << "[server] api-url is empty: looking for the server in DNS (_oco._tcp SRV)";
    const SrvResult srv = discoverApiUrl();
    if (srv.url.isEmpty()) {
        *error = QStringLiteral("[server] api-url is empty in %1 and DNS SRV discovery found no server (%2): set "
                                "api-url = https://<server>/api-agent.php")
                     .arg(m_config.path(), srv.error);
        return false;
    }
    QString err;
    if (!m_config.storeApiUrl(srv.url, &err)) {
        *error = QStringLiteral("found %1 in DNS but cannot store it: %2").arg(srv.url, err);
        return false;
    }
    qCInfo(lcAgent).noquote()
        << QStringLiteral("DNS SRV %1 names %2: stored as [server] api-url").arg(srv.queryName, srv.url);
    return true;
}

QJsonObject Agent::helloData()
{
    InventoryOptions io;
    Inventory quick(io);
    return CurrentFeatures::helloData(m_config, quick, m_forceUpdate);
}

void Agent::applyPolicies(const QJsonObject &updateParams)
{
    try {
        const PolicyOutcome o = CurrentFeatures::applyPolicies(updateParams, m_state);
        for (const QString &e : o.errors)
            qCWarning(lcAgent).noquote() << "policy not applied:" << e;
    } catch (const std::exception &e) {
        qCWarning(lcAgent).noquote() << "policies not applied this cycle:" << e.what();
    }
}

void Agent::eventsAndPasswords(Dialect &dialect, const HelloResult &h)
{
    if (h.events.isEmpty() && h.updatePasswords.isEmpty())
        return;
    const RpcCall rpc = [&dialect](const QString &m, const QJsonObject &d) { return dialect.callResult(m, d); };
    try {
        // The agent key as it is after the hello: a hand-over in that reply replaced the registration key.
        CurrentFeatures::afterJobs(h.events, h.updatePasswords, m_config.agentKey.toUtf8(), rpc);
    } catch (const std::exception &e) {
        qCWarning(lcAgent).noquote() << "events / password rotation stopped this cycle:" << e.what();
    }
}

double authBackoffSecs(int authFailures, double queryInterval, double base)
{
    if (authFailures <= 0)
        return queryInterval;
    const double cap = std::max(queryInterval, 3600.0);
    const double d = std::max(queryInterval, base) * std::pow(2.0, std::min(authFailures, 30));
    return std::min(d, cap);
}

double Agent::nextDelaySecs() const
{
    return authBackoffSecs(m_authFailures, m_config.queryInterval, m_config.authBackoffBase);
}

void Agent::noteFailure(const Failure &f)
{
    if (f.kind != FailureKind::Auth)
        return;
    ++m_authFailures;
    const double wait = nextDelaySecs();
    // The first 401 of a series is an error; the repeats only warnings, with the growing wait.
    if (m_authFailures == 1)
        qCCritical(lcAgent).noquote() << "authentication failed:" << f.message;
    else
        qCWarning(lcAgent).noquote()
            << QStringLiteral("authentication failed again (%1 in a row): %2").arg(m_authFailures).arg(f.message);
    qCWarning(lcAgent).noquote() << QStringLiteral("backing off: next contact in %1 s instead of %2 s (so the "
                                                   "server's fail2ban does not ban this address)")
                                        .arg(wait)
                                        .arg(m_config.queryInterval);
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
    // Contacting from the start: the DNS SRV look-up is part of the contact, and settings changed meanwhile
    // wait for the end of the cycle like during the hello.
    setState(QStringLiteral("contacting"));
    const DialectNegotiator::Contact contact = contactServer(&result.error);
    if (!contact.hello.ok()) {
        setState(QStringLiteral("error"));
        return result;
    }
    Dialect &dialect = *contact.dialect;
    const HelloResult &h = *contact.hello.value;
    // Before any job: report what a crash interrupted and what could not be delivered. The hello above may
    // list those jobs again (they are still in state 1/2 on the server); isSettled() keeps them from running.
    m_jobs.recover(dialect);
    Q_EMIT jobsPlanned(h.jobs);

    bool ok = true;
    if (h.update) {
        setState(QStringLiteral("inventory"));
        const Failure f = uploadInventory(dialect, h.loginsSince);
        if (!f.ok()) {
            ok = false;
            result.error = QStringLiteral("inventory upload failed: %1").arg(f.message);
            qCCritical(lcAgent).noquote() << result.error;
            setError(f);
            noteFailure(f);
            if (f.kind == FailureKind::Security) {
                setState(QStringLiteral("error"));
                return result; // a forged reply: do not go on with this server in this cycle
            }
        }
    }
    ok = runJobs(dialect, h.jobs, &result) && ok;
    // Events then password rotation (docs/agent-behaviour.md §6), unless the agent is exiting or stopping.
    if (!result.exitRequested && !m_stopRequested && dialect.name() != QLatin1String("2021"))
        eventsAndPasswords(dialect, h);
    setState(ok ? QStringLiteral("idle") : QStringLiteral("error"));
    result.ok = ok;
    return result;
}

DialectNegotiator::Contact Agent::contactServer(QString *error)
{
    DialectNegotiator::Contact contact;
    std::unique_ptr<Dialect> configured = ensureApiUrl(error) ? makeDialect(error) : nullptr;
    if (!configured) {
        setError({FailureKind::Local, 0, *error});
        return contact;
    }
    if (m_status.dialect != configured->name()) {
        m_status.dialect = configured->name();
        Q_EMIT statusChanged();
    }
    const AgentIdentity id = configured->identity();
    qCInfo(lcAgent).noquote() << QStringLiteral("contacting %1 as '%2' (protocol %3)")
                                     .arg(m_config.apiUrl, id.hostname,
                                          m_config.protocol == ProtocolChoice::Auto ? QStringLiteral("auto: detecting")
                                                                                    : configured->name());
    m_status.lastContact = Clock::system().nowUtc();
    // The negotiator detects and pins the dialect on the first contact and moves a detected one up when the
    // server was upgraded; it never goes down.
    DialectNegotiator negotiator(m_config, m_state, m_http, id);
    contact = negotiator.hello([this] { return helloData(); });
    m_status.dialect = contact.dialect->name();
    if (!contact.hello.ok()) {
        const Failure &f = contact.hello.failure;
        *error = f.message;
        if (f.kind != FailureKind::Auth)
            qCCritical(lcAgent).noquote() << "contact failed:" << f.message;
        noteFailure(f);
        setError(f);
        return contact;
    }
    if (m_authFailures > 0)
        qCInfo(lcAgent).noquote() << QStringLiteral("the server accepts this computer again after %1 refused "
                                                    "contact(s)")
                                         .arg(m_authFailures);
    m_authFailures = 0;
    m_forceUpdate = false;
    m_status.lastSuccess = Clock::system().nowUtc();
    m_status.lastError.clear();
    m_status.lastErrorKind = FailureKind::None;
    const HelloResult &h = *contact.hello.value;
    qCInfo(lcAgent).noquote() << QStringLiteral("server answered: inventory %1, %2 job(s)")
                                     .arg(h.update ? QStringLiteral("requested") : QStringLiteral("not needed"))
                                     .arg(h.jobs.size());
    for (const QString &bad : h.invalidJobs)
        qCWarning(lcAgent).noquote() << "ignored an invalid job entry:" << bad;
    return contact;
}

Failure Agent::uploadInventory(Dialect &dialect, const QString &loginsSince)
{
    // logins-since is UTC "YYYY-MM-DD HH:MM:SS" (current dialect); only newer logins are sent.
    QDateTime since = QDateTime::fromString(loginsSince, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    since.setTimeZone(QTimeZone::utc());
    const QJsonObject inv = collectInventory(
        dialect.name() == QLatin1String("2021") ? InventoryDialect::Legacy2021 : InventoryDialect::Current, since);
    Q_EMIT inventoryCollected(inv);
    const Result<QJsonObject> up = dialect.update(inv);
    if (!up.ok())
        return up.failure;
    m_status.lastInventory = Clock::system().nowUtc();
    QString error;
    if (!m_state.setValue(kLastInventory, m_status.lastInventory.toString(Qt::ISODate), &error))
        qCWarning(lcAgent).noquote() << "cannot keep the time of the inventory upload:" << error;
    if (dialect.name() == QLatin1String("current")) // older servers have no policies
        applyPolicies(*up.value);
    qCInfo(lcAgent).noquote() << QStringLiteral("inventory uploaded (%1 software packages, %2 partitions)")
                                     .arg(inv.value(QStringLiteral("software")).toArray().size())
                                     .arg(inv.value(QStringLiteral("partitions")).toArray().size());
    return {};
}

bool Agent::jobsWait(const Job &job) const
{
    if (m_stopRequested) {
        qCInfo(lcAgent) << "stop requested: the remaining jobs wait for the next start";
        return true;
    }
    const QString why = m_holdJobs ? m_holdJobs() : QString();
    if (why.isEmpty())
        return false;
    qCInfo(lcAgent).noquote() << QStringLiteral("job %1 and the ones after it wait: %2").arg(job.idText(), why);
    return true;
}

bool Agent::runJobs(Dialect &dialect, const QList<Job> &jobs, CycleResult *result)
{
    bool ok = true;
    QStringList skipContainers;
    for (const Job &job : jobs) {
        if (jobsWait(job))
            break;
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
        const JobOutcome outcome = m_jobs.run(dialect, job);
        // Without the server's verdict the job counts as failed: better skip than run out of sequence.
        const bool failed = outcome.reported ? !outcome.succeeded : true;
        if (failed && job.sequenceMode == 1)
            skipContainers << job.containerText();
        if (!outcome.reported) {
            ok = false;
            if (result->error.isEmpty())
                result->error = QStringLiteral("the final report of job %1 did not reach the server").arg(job.idText());
        }
        if (job.exitMinutes && outcome.reported) {
            qCInfo(lcAgent).noquote() << "job" << job.idText() << "asks the agent to exit (agent update): exiting";
            result->exitRequested = true;
            break;
        }
    }
    return ok;
}

} // namespace oco
