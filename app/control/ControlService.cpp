#include "ControlService.h"

#include "SettingsAccess.h"

#include "agent/Agent.h"
#include "config/Config.h"
#include "core/AtomicFile.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "platform/Inventory.h"
#include "platform/LocalPeer.h"
#include "power/PowerPlanner.h"
#include "protocol/DialectNegotiator.h"
#include "protocol/KeyKeeper.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>

namespace oco {

namespace {

QString localTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                       : QStringLiteral("the next planned contact");
}

control::JobInfo jobInfo(const Job &job)
{
    // The procedure is not shown: it may carry what an admin wants to keep from local users.
    control::JobInfo j;
    j.id = job.id;
    j.containerId = job.containerId;
    j.packageId = job.packageId;
    j.download = job.download;
    j.restartMinutes = job.restartMinutes;
    j.shutdownMinutes = job.shutdownMinutes;
    j.exitMinutes = job.exitMinutes;
    return j;
}

control::ErrorKind errorKind(FailureKind k)
{
    switch (k) {
    case FailureKind::None:
        return control::ErrorKind::Ok;
    case FailureKind::Unreachable:
        return control::ErrorKind::Unreachable;
    case FailureKind::Timeout:
        return control::ErrorKind::Timeout;
    case FailureKind::Tls:
        return control::ErrorKind::Tls;
    case FailureKind::Http:
        return control::ErrorKind::Http;
    case FailureKind::Auth:
        return control::ErrorKind::Auth;
    case FailureKind::Malformed:
        return control::ErrorKind::Malformed;
    case FailureKind::Security:
        return control::ErrorKind::Security;
    case FailureKind::ClockSkew:
        return control::ErrorKind::ClockSkew;
    case FailureKind::Local:
        return control::ErrorKind::Local;
    }
    return control::ErrorKind::Unknown;
}

// A connection test's outcome; error texts may quote the server's URL and the reply goes to whoever asked.
control::Reply testResult(bool ok, const QString &words)
{
    control::Reply r;
    r.ok = ok;
    r.result = hideUrlPasswords(words);
    r.reason = r.result;
    return r;
}

void answer(const ControlServer::Reply &reply, const PowerPlanner::Answer &a)
{
    reply((a.ok ? control::Reply::accepted(a.message) : control::Reply::refusal(a.message)).toJson());
}

} // namespace

namespace {
const QString kContactSucceeded = QStringLiteral("contact-succeeded");
} // namespace

const ControlService::Route ControlService::kRoutes[] = {
    {control::RequestType::Ping, Allowed::Anyone, &ControlService::ping},
    {control::RequestType::CheckNow, Allowed::Anyone, &ControlService::checkNowRequest},
    {control::RequestType::Postpone, Allowed::SessionOrAdmin, &ControlService::postpone},
    {control::RequestType::PowerNow, Allowed::SessionOrAdmin, &ControlService::powerNow},
    {control::RequestType::CancelPower, Allowed::Admin, &ControlService::cancelPower},
    {control::RequestType::GetSettings, Allowed::Anyone, &ControlService::getSettings},
    {control::RequestType::SetSettings, Allowed::Admin, &ControlService::setSettings},
    {control::RequestType::SessionBusy, Allowed::Anyone, &ControlService::sessionBusy},
    {control::RequestType::TestConnection, Allowed::Anyone, &ControlService::testConnectionRequest},
};

ControlService::ControlService(ControlServer &server, Agent &agent, Config &config, StateStore &state,
                               PowerPlanner &planner, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_agent(agent)
    , m_config(config)
    , m_state(state)
    , m_planner(planner)
    , m_settings(config, agent, [this] { pushPower(); }) // pushes the status too
    , m_history(state)
    , m_logRelay(server)
{
    m_server.setRequestHandler(
        [this](const Peer &p, const QJsonObject &r, const ControlServer::Reply &reply) { handle(p, r, reply); });
    m_server.setPeerDescriber([this](const Peer &p, control::PeerInfo *info) {
        info->admin = isAdmin(p);
        info->hasSession = hasSession(p);
    });
    m_server.setAccessOf([this](const Peer &p) { return accessOf(p); });
    m_server.setView(&ControlService::view);
    m_planner.setTrayPresent([this](uint uid) { return m_server.hasTray(uid); });

    connect(&m_agent, &Agent::statusChanged, this, &ControlService::onStatusChanged);
    connect(&m_agent, &Agent::jobsPlanned, this, [this](const QList<oco::Job> &jobs) {
        m_pending.clear();
        for (const Job &j : jobs)
            m_pending << jobInfo(j);
        pushJobs();
    });
    connect(&m_agent, &Agent::inventoryCollected, this, &ControlService::pushInventory);
    connect(&m_agent.jobs(), &JobEngine::jobStarted, this, &ControlService::onJobStarted);
    connect(&m_agent.jobs(), &JobEngine::jobProgress, this, &ControlService::onJobProgress);
    connect(&m_agent.jobs(), &JobEngine::jobFinished, this, &ControlService::onJobFinished);
    connect(&m_planner, &PowerPlanner::changed, this, &ControlService::pushPower);
    // The reminder flag travels on one push only; the kept state has none.
    connect(&m_planner, &PowerPlanner::reminderDue, this, [this] {
        m_server.publish(control::PowerPush{m_planner.toJson().toObject(), true}.toJson());
        m_server.update(control::PowerPush{m_planner.toJson().toObject(), false}.toJson());
    });
    connect(&m_server, &ControlServer::clientGreeted, this, [this] { collectInventoryOnce(); });
    m_server.update(adminVoiceJson(m_config));
    m_server.setBeforeSnapshot([this] {
        m_server.update(control::PowerPush{m_planner.toJson().toObject(), false}.toJson());
    });
    m_history.load();

    m_contacted =
        !m_state.value(kContactSucceeded).toString().isEmpty() || KeyKeeper(m_config, m_state).individualKeyReceived();
    m_deferredCheck.setSingleShot(true);
    connect(&m_deferredCheck, &QTimer::timeout, this, [this] {
        // A cycle since the request served it; a refused key holds everything until the planned contact.
        if (lastServerContact() >= m_deferredSince || m_agent.consecutiveAuthFailures() > 0)
            return;
        if (m_checkNow)
            m_checkNow();
    });

    pushStatus();
    pushInventory({});
    m_haveInventory = false;
    pushJobs();
    pushPower();
}

ControlService::~ControlService() = default;

bool ControlService::isAdmin(const Peer &peer, QString *reason) const
{
    if (peer.uid == 0)
        return true;
    if (m_config.adminGroup.isEmpty()) {
        if (reason)
            *reason = QStringLiteral("only root may do this (no admin group is configured)");
        return false;
    }
    const std::optional<uint> gid = platform::groupId(m_config.adminGroup);
    if (gid && peer.inGroup(*gid))
        return true;
    if (reason)
        *reason = QStringLiteral("only root or members of group '%1' may do this").arg(m_config.adminGroup);
    return false;
}

QJsonObject ControlService::view(Access access, const QJsonObject &message)
{
    if (access == Access::Root)
        return message;
    switch (control::messageTypeOf(message)) {
    case control::MessageType::Status: {
        control::Status status = control::Status::fromJson(message);
        status.server = hideUrlPasswords(status.server);
        status.lastError = hideUrlPasswords(status.lastError);
        return status.toJson();
    }
    case control::MessageType::Jobs: {
        if (access != Access::User)
            return message;
        // Root procedures' output may carry what the admin keeps from local users: state and codes only.
        control::Jobs jobs = control::Jobs::fromJson(message);
        if (jobs.running)
            jobs.running->outputTail.reset();
        for (control::JobRecord &r : jobs.history)
            r.message.reset();
        return jobs.toJson();
    }
    case control::MessageType::Log: {
        // Debug lines carry whole server replies, procedures included.
        control::LogPush log;
        for (control::LogRecord &r : control::LogPush::fromJson(message).lines) {
            if (r.level == control::LogLevel::Debug)
                continue;
            r.message = hideUrlPasswords(r.message);
            log.lines << r;
        }
        return log.lines.isEmpty() ? QJsonObject() : log.toJson();
    }
    default:
        return message;
    }
}

Access ControlService::accessOf(const Peer &peer) const
{
    if (peer.uid == 0)
        return Access::Root;
    return isAdmin(peer) ? Access::Admin : Access::User;
}

bool ControlService::hasSession(const Peer &peer) const
{
    const QList<Session> sessions = m_planner.sessions();
    return std::any_of(sessions.begin(), sessions.end(), [&](const Session &s) { return s.uid == peer.uid; });
}

void ControlService::handle(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    const control::RequestType type = control::requestTypeOf(request);
    for (const Route &route : kRoutes) {
        if (route.type != type)
            continue;
        QString why;
        if (!allows(route.allowed, peer, &why))
            reply(control::Reply::refusal(why).toJson());
        else
            (this->*route.handler)(peer, request, reply);
        return;
    }
    reply(
        control::Reply::refusal(
            QStringLiteral("unknown request type '%1'").arg(request.value(QStringLiteral("type")).toString().left(100)))
            .toJson());
}

bool ControlService::allows(Allowed allowed, const Peer &peer, QString *why) const
{
    switch (allowed) {
    case Allowed::Anyone:
        return true;
    case Allowed::SessionOrAdmin:
        if (hasSession(peer) || isAdmin(peer))
            return true;
        *why = QStringLiteral("only people logged in on this computer, root or admins may do this");
        return false;
    case Allowed::Admin:
        return isAdmin(peer, why);
    }
    return false;
}

namespace {
QString who(const Peer &peer)
{
    return QStringLiteral("%1 (uid %2)").arg(peer.user).arg(peer.uid);
}
} // namespace

void ControlService::ping(const Peer &, const QJsonObject &, const ControlServer::Reply &reply)
{
    reply(control::Reply::accepted().toJson());
}

void ControlService::postpone(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    // A chosen time instead of minutes: one of the power push's time_choices.
    const QJsonValue until = request.value(QStringLiteral("until"));
    if (!until.isUndefined()) {
        const QDateTime t = QDateTime::fromString(until.toString(), Qt::ISODate);
        if (!until.isString() || !t.isValid()) {
            reply(control::Reply::refusal(QStringLiteral("postpone needs 'until' as an ISO 8601 time")).toJson());
            return;
        }
        answer(reply, m_planner.chooseTime(t.toUTC(), who(peer), peer.uid));
        return;
    }
    const QJsonValue m = request.value(QStringLiteral("minutes"));
    if (!m.isDouble() || m.toDouble() != static_cast<int>(m.toDouble())) {
        reply(control::Reply::refusal(QStringLiteral("postpone needs a whole number of minutes")).toJson());
        return;
    }
    answer(reply, m_planner.postpone(m.toInt(), who(peer), peer.uid));
}

void ControlService::powerNow(const Peer &peer, const QJsonObject &, const ControlServer::Reply &reply)
{
    answer(reply, m_planner.actNow(who(peer), peer.uid));
}

void ControlService::cancelPower(const Peer &peer, const QJsonObject &, const ControlServer::Reply &reply)
{
    answer(reply, m_planner.cancel(who(peer)));
}

void ControlService::getSettings(const Peer &peer, const QJsonObject &, const ControlServer::Reply &reply)
{
    QString why;
    const bool admin = isAdmin(peer, &why);
    const QJsonObject settings = settingsJson(m_settings.saved(), accessOf(peer));
    QJsonObject fileOnly = fileOnlySettings(m_config.path());
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        const qsizetype bracket = it.key().indexOf(QLatin1Char('['));
        if (bracket > 0 && fileOnly.contains(it.key().left(bracket))) // a translation, like its key
            fileOnly.insert(it.key(), fileOnly.value(it.key().left(bracket)));
    }
    control::Reply r;
    r.members = {{QStringLiteral("settings"), settings},
                 {QStringLiteral("can_change"), admin},
                 {QStringLiteral("file_only"), fileOnly}};
    if (!admin)
        r.reason = why;
    reply(r.toJson());
}

void ControlService::checkNowRequest(const Peer &peer, const QJsonObject &, const ControlServer::Reply &reply)
{
    checkNow(peer, reply);
}

void ControlService::testConnectionRequest(const Peer &peer, const QJsonObject &, const ControlServer::Reply &reply)
{
    if (m_testing) {
        reply(control::Reply::refusal(QStringLiteral("a connection test is already running")).toJson());
        return;
    }
    m_testing = true;
    testConnection(peer, reply);
    m_testing = false;
}

QJsonObject ControlService::adminVoiceJson(const Config &config)
{
    QJsonObject m{{QStringLiteral("type"), control::wireName(control::MessageType::AdminVoice)}};
    for (auto it = config.uiTexts.cbegin(); it != config.uiTexts.cend(); ++it) {
        QJsonObject perLanguage;
        for (auto t = it.value().cbegin(); t != it.value().cend(); ++t)
            perLanguage.insert(t.key(), t.value());
        QString key = it.key();
        m.insert(key.replace(QLatin1Char('-'), QLatin1Char('_')), perLanguage);
    }
    // The tray runs as the user and must not need to read root's files: the service sends the logo's bytes.
    if (!config.logoPath.isEmpty()) {
        QFile f(config.logoPath);
        if (f.open(QIODevice::ReadOnly) && f.size() <= Config::kMaxLogoBytes)
            m.insert(QStringLiteral("logo"), QString::fromLatin1(f.read(Config::kMaxLogoBytes).toBase64()));
        else
            qCWarning(lcAgent).noquote() << "[ui] logo" << config.logoPath << "cannot be read now; trays show none";
    }
    return m;
}

void ControlService::sessionBusy(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    // Only for the log: why a session saw a quiet notification instead of the notice. Nothing is decided on it.
    const QJsonValue busy = request.value(QStringLiteral("busy"));
    if (!busy.isBool()) {
        reply({{QStringLiteral("ok"), false}, {QStringLiteral("reason"), QStringLiteral("session_busy needs 'busy'")}});
        return;
    }
    QString why = request.value(QStringLiteral("why")).toString().left(200);
    for (QChar &c : why)
        if (!c.isPrint())
            c = QLatin1Char(' ');
    reply({{QStringLiteral("ok"), true}});

    const QDateTime now = QDateTime::currentDateTimeUtc();
    BusyLog &log = m_busyLog[peer.uid];
    while (!log.logged.isEmpty() && log.logged.first().secsTo(now) >= kBusyLogWindowSecs)
        log.logged.removeFirst();
    if (log.logged.size() >= kBusyLogBurst) {
        ++log.dropped; // a flapping detector must not fill the journal
        return;
    }
    log.logged << now;
    const QString dropped =
        log.dropped ? QStringLiteral(" (%1 earlier change(s) not logged)").arg(log.dropped) : QString();
    log.dropped = 0;
    if (busy.toBool())
        qCInfo(lcAgent).noquote() << QStringLiteral("the session of %1 (uid %2, pid %3) is busy: %4; its restart "
                                                    "notices wait as quiet notifications%5")
                                         .arg(peer.user)
                                         .arg(peer.uid)
                                         .arg(peer.pid)
                                         .arg(why.isEmpty() ? QStringLiteral("no reason given") : why, dropped);
    else
        qCInfo(lcAgent).noquote() << QStringLiteral("the session of %1 (uid %2, pid %3) is no longer busy%4")
                                         .arg(peer.user)
                                         .arg(peer.uid)
                                         .arg(peer.pid)
                                         .arg(dropped);
}

void ControlService::setSettings(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    QStringList names;
    SettingsChanges::Effect effect = SettingsChanges::Effect::Now;
    QString reason;
    if (!m_settings.change(request.value(QStringLiteral("settings")).toObject(),
                           QStringLiteral("%1 (uid %2)").arg(peer.user).arg(peer.uid), &names, &effect, &reason)) {
        reply(control::Reply::refusal(reason).toJson());
        return;
    }
    const bool now = effect == SettingsChanges::Effect::Now;
    control::Reply r = control::Reply::accepted(
        QStringLiteral("saved: %1%2")
            .arg(names.join(QStringLiteral(", ")),
                 now ? QString() : QStringLiteral("; takes effect after the running contact")));
    r.members = {{QStringLiteral("effect"), now ? QStringLiteral("now") : QStringLiteral("after_contact")},
                 {QStringLiteral("settings"), settingsJson(m_settings.saved(), accessOf(peer))}};
    reply(r.toJson());
}

QDateTime ControlService::lastServerContact() const
{
    const QDateTime cycle = m_agent.status().lastContact;
    if (!cycle.isValid())
        return m_lastTest;
    return m_lastTest.isValid() ? std::max(cycle, m_lastTest) : cycle;
}

QString ControlService::contactWait(const Peer &peer, QDateTime *from) const
{
    const int refused = m_agent.consecutiveAuthFailures();
    if (refused > 0) {
        // The back-off holds for everyone: the server's fail2ban counts every refused request.
        *from = m_nextContact.isValid() ? m_nextContact : m_agent.status().nextContact;
        return QStringLiteral("the server refused this computer's key (%1 time(s) in a row); the service waits "
                              "until the next planned contact so the server does not ban this address")
            .arg(refused);
    }
    const QDateTime last = lastServerContact();
    if (peer.uid == 0 || !last.isValid())
        return {};
    *from = last.addSecs(kLocalContactGapSecs);
    if (QDateTime::currentDateTimeUtc() >= *from)
        return {};
    return QStringLiteral("the server was contacted less than a minute ago");
}

void ControlService::checkNow(const Peer &peer, const ControlServer::Reply &reply)
{
    auto answer = [&](const QString &text) { reply(control::Reply::accepted(text).toJson()); };
    QDateTime from;
    const QString wait = contactWait(peer, &from);
    if (m_agent.consecutiveAuthFailures() > 0) {
        answer(QStringLiteral("%1; next contact %2").arg(wait, localTime(from)));
        return;
    }
    if (!wait.isEmpty()) {
        if (m_deferredCheck.isActive()) {
            answer(
                QStringLiteral("%1: a contact is already planned for %2")
                    .arg(wait, localTime(QDateTime::currentDateTimeUtc().addMSecs(m_deferredCheck.remainingTime()))));
            return;
        }
        // Requests within the gap all become this one contact.
        m_deferredSince = QDateTime::currentDateTimeUtc();
        m_deferredCheck.start(static_cast<int>(std::clamp<qint64>(m_deferredSince.msecsTo(from), 0, 60000)));
        qCInfo(lcAgent).noquote() << who(peer) << "asked for a contact now: planned for" << localTime(from);
        answer(QStringLiteral("%1: contacting it at %2").arg(wait, localTime(from)));
        return;
    }
    m_deferredCheck.stop();
    const bool started = m_checkNow && m_checkNow();
    qCInfo(lcAgent).noquote() << who(peer) << "asked for a contact now" << (started ? "" : "(one is already running)");
    answer(started ? QStringLiteral("contacting the server now") : QStringLiteral("a contact is already running"));
}

void ControlService::onStatusChanged()
{
    if (!m_contacted && m_agent.status().lastSuccess.isValid()) {
        QString err;
        if (m_state.setValue(kContactSucceeded, m_agent.status().lastSuccess.toString(Qt::ISODate), &err))
            m_contacted = true;
        else
            qCWarning(lcAgent).noquote() << err;
    }
    pushStatus();
}

void ControlService::probeOnly(const ControlServer::Reply &reply)
{
    auto done = [&](bool ok, const QString &words) { reply(testResult(ok, words).toJson()); };
    // The one request no OCO server authenticates: nothing is registered, no key is handed over or spent.
    HttpClient http(Agent::httpOptionsFor(m_config));
    m_lastTest = QDateTime::currentDateTimeUtc();
    const ServerProbe p = DialectNegotiator(m_config, m_state, http, m_agent.identity()).probe();
    if (!p.response.failure.ok()) {
        done(false, QStringLiteral("the server cannot be reached: %1").arg(p.response.failure.message));
        return;
    }
    if (p.era == ServerEra::Unknown) {
        done(false, QStringLiteral("%1 answers, but not like an OCO server (%2)")
                        .arg(hideUrlPasswords(m_config.apiUrl), p.answer));
        return;
    }
    done(true, QStringLiteral("the server is reachable: %1. This computer has not been registered with it yet: the "
                              "service's first real contact does that. The test sends no hello before, because the "
                              "server hands this computer's key over only once.")
                   .arg(serverEraText(p.era)));
}

void ControlService::testConnection(const Peer &peer, const ControlServer::Reply &reply)
{
    auto done = [&](bool ok, const QString &words) { reply(testResult(ok, words).toJson()); };
    if (m_config.apiUrl.isEmpty()) {
        done(false, QStringLiteral("no server is configured ([server] api-url is empty)"));
        return;
    }
    QDateTime from;
    const QString wait = contactWait(peer, &from);
    if (!wait.isEmpty()) {
        // What the last contact showed stands for the test.
        const AgentStatus &s = m_agent.status();
        const QString last = s.lastError.isEmpty() ? QStringLiteral("the last contact succeeded")
                                                   : QStringLiteral("the last contact failed: %1").arg(s.lastError);
        done(s.lastError.isEmpty(), QStringLiteral("not tested again: %1. %2. Try again after %3.")
                                        .arg(wait, hideUrlPasswords(last), localTime(from)));
        return;
    }
    // Before the first successful contact a hello could register this computer or hand over its key, which a
    // dry run would then lose (and the server would refuse the real agent): only harmless checks then.
    if (!m_contacted || m_config.serverKey.isEmpty()) {
        probeOnly(reply);
        return;
    }
    m_lastTest = QDateTime::currentDateTimeUtc();
    QTemporaryDir tmp;
    QString err;
    QByteArray bytes;
    if (!readWholeFile(m_config.path(), &bytes, &err) ||
        !writeFileAtomic(tmp.filePath(QStringLiteral("oco-agent.ini")), bytes, 0600, &err)) {
        done(false, QStringLiteral("cannot prepare the test: %1").arg(err));
        return;
    }
    QDir().mkpath(tmp.filePath(QStringLiteral("state")));
    QByteArray stateBytes;
    if (readWholeFile(m_state.filePath(QStringLiteral("state.json")), &stateBytes, &err))
        writeFileAtomic(tmp.filePath(QStringLiteral("state/state.json")), stateBytes, 0600, &err);
    Config dryConfig;
    StateStore dryState;
    if (!dryConfig.load(tmp.filePath(QStringLiteral("oco-agent.ini")), &err) ||
        !dryState.open(tmp.filePath(QStringLiteral("state")), &err)) {
        done(false, err);
        return;
    }
    Agent dry(dryConfig, dryState);
    const AgentIdentity id = dry.identity();
    DialectNegotiator negotiator(dryConfig, dryState, dry.http(), id);
    negotiator.setDryRun(true);
    const DialectNegotiator::Contact contact = negotiator.hello([&] {
        return QJsonObject{{QStringLiteral("agent_version"), id.agentVersion},
                           {QStringLiteral("networks"), Inventory(InventoryOptions()).networks()}};
    });
    if (!contact.dialect) {
        done(false, contact.hello.failure.message);
        return;
    }
    const Dialect *dialect = contact.dialect.get();
    const Result<HelloResult> &hello = contact.hello;
    if (dryConfig.agentKey != m_config.agentKey) {
        // The server handed a key over after all (its admin reset this computer's key): keep it as the real
        // contact would have, or the server would refuse the next one.
        const Failure kept = KeyKeeper(m_config, m_state).takeAgentKey(dryConfig.agentKey);
        if (!kept.ok())
            qCWarning(lcSecurity).noquote() << "the connection test received an agent key:" << kept.message;
    }
    if (!hello.ok()) {
        done(false, QStringLiteral("the server did not accept the hello: %1").arg(hello.failure.message));
        return;
    }
    done(true, QStringLiteral("the server answered (protocol %1): %2 job(s) waiting, inventory %3")
                   .arg(dialect->name())
                   .arg(hello.value->jobs.size())
                   .arg(hello.value->update ? QStringLiteral("requested") : QStringLiteral("up to date")));
}

void ControlService::pushStatus()
{
    const AgentStatus &s = m_agent.status();
    control::Status status;
    status.state = control::agentStateFrom(s.state);
    status.server = m_config.apiUrl;
    status.dialect = s.dialect;
    status.lastContact = s.lastContact;
    status.lastSuccess = s.lastSuccess;
    status.nextContact = m_nextContact.isValid() ? m_nextContact : s.nextContact;
    status.lastInventory = s.lastInventory;
    status.lastError = s.lastError;
    status.errorKind = errorKind(s.lastErrorKind);
    status.held = m_planner.holdReason();
    m_server.publish(status.toJson());
}

void ControlService::pushInventory(const QJsonObject &inventory)
{
    m_haveInventory = !inventory.isEmpty();
    m_server.publish(control::InventoryPush{inventory, QDateTime::currentDateTimeUtc()}.toJson());
}

void ControlService::collectInventoryOnce()
{
    if (m_haveInventory || m_collecting)
        return;
    m_collecting = true;
    // After the reply to the hello went out; collecting takes a moment.
    QTimer::singleShot(0, this, [this] {
        pushInventory(m_agent.collectInventory(InventoryDialect::Current));
        m_collecting = false;
    });
}

void ControlService::pushJobs()
{
    m_server.publish(control::Jobs{m_pending, m_running, m_history.records()}.toJson());
}

void ControlService::pushPower()
{
    m_server.publish(control::PowerPush{m_planner.toJson().toObject(), false}.toJson());
    pushStatus();
}

void ControlService::onJobStarted(const Job &job)
{
    m_pending.erase(
        std::remove_if(m_pending.begin(), m_pending.end(), [&](const control::JobInfo &j) { return j.id == job.id; }),
        m_pending.end());
    control::RunningJob running;
    static_cast<control::JobInfo &>(running) = jobInfo(job);
    running.phase = job.download ? control::JobPhase::Download : control::JobPhase::Execute;
    running.progress = 0;
    running.outputTail = QString();
    running.started = QDateTime::currentDateTimeUtc();
    m_running = running;
    pushJobs();
}

void ControlService::onJobProgress(const Job &job, int state, double percent, const QString &tail)
{
    if (!m_running || m_running->id != job.id)
        onJobStarted(job);
    m_running->phase = state == JobState::DownloadStarted ? control::JobPhase::Download : control::JobPhase::Execute;
    m_running->progress = std::min(100.0, percent);
    m_running->outputTail = tail.right(4000);
    pushJobs();
}

void ControlService::onJobFinished(const Job &job, const JobOutcome &outcome)
{
    control::JobRecord r;
    r.id = job.id;
    r.packageId = job.packageId;
    r.result = outcome.state == JobState::Succeeded && !(outcome.reported && !outcome.succeeded)
                   ? control::JobResult::Succeeded
                   : control::JobResult::Failed;
    r.returnCode = outcome.returnCode;
    if (m_running)
        r.started = m_running->started;
    r.finished = QDateTime::currentDateTimeUtc();
    r.reported = outcome.reported;
    r.message = outcome.message.right(4000);
    m_history.add(r);
    m_running.reset();
    pushJobs();
}

} // namespace oco
