#include "ServiceLink.h"

#include "agent/Agent.h"
#include "config/Config.h"
#include "core/AtomicFile.h"
#include "core/Log.h"
#include "core/StateStore.h"
#include "platform/Inventory.h"
#include "power/PowerPlanner.h"
#include "protocol/DialectNegotiator.h"
#include "protocol/KeyKeeper.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>

#include <grp.h>

namespace oco {

ServiceLink *ServiceLink::s_instance = nullptr;

namespace {
QMutex g_logMutex;
QJsonArray g_logQueue;

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue();
}

QString localTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                       : QStringLiteral("the next planned contact");
}

QJsonObject jobJson(const Job &job)
{
    auto opt = [](const std::optional<int> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    // The procedure is not shown: it may carry what an admin wants to keep from local users.
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("container_id"), job.containerId},
            {QStringLiteral("package_id"), job.packageId},
            {QStringLiteral("download"), job.download},
            {QStringLiteral("restart"), opt(job.restartMinutes)},
            {QStringLiteral("shutdown"), opt(job.shutdownMinutes)},
            {QStringLiteral("exit"), opt(job.exitMinutes)}};
}

enum class Kind
{
    Bool,
    Number,
    Text,
    List,
    Command,
    Secret
};

struct Setting
{
    const char *name;
    const char *section;
    Kind kind;
    // Why only root may change it, in the file; nullptr: root and the admin group may change it here.
    const char *fileOnly;
};

const char kTrust[] = "it decides which server this computer trusts and runs jobs from as root";
const char kKey[] = "it is a key";
const char kCommand[] = "it is a command the service runs as root";
const char kVoice[] = "every user reads it as the organisation's word";

// What the control socket shows. Only the desk settings (intervals, timeouts, debug, the restart policy's
// numbers) can be changed through it; whatever amounts to running code as root or to a new trust anchor
// stays with root and the config file, whoever asks.
const Setting kSettings[] = {
    {"api-url", "server", Kind::Text, kTrust},
    {"payload-url", "server", Kind::Text, kTrust},
    {"protocol", "server", Kind::Text, "it decides how the server's replies are verified"},
    {"ca-file", "server", Kind::Text, kTrust},
    {"pin-sha256", "server", Kind::Text, kTrust},
    {"proxy", "server", Kind::Text, "it decides which host carries the server's replies"},
    {"server-key", "server", Kind::Secret, kKey},
    {"agent-key", "agent", Kind::Secret, kKey},
    {"debug", "agent", Kind::Bool, nullptr},
    {"query-interval", "agent", Kind::Number, nullptr},
    {"connection-timeout", "agent", Kind::Number, nullptr},
    {"read-timeout", "agent", Kind::Number, nullptr},
    {"job-timeout", "agent", Kind::Number, nullptr},
    {"report-job-output", "agent", Kind::Number, nullptr},
    {"hostname-remove-domain", "agent", Kind::Bool, "it changes the name this computer is known by on the server"},
    {"control-socket", "agent", Kind::Text, "it decides where the service listens"},
    {"max-postponements", "power", Kind::Number, nullptr},
    {"postpone-choices", "power", Kind::List, nullptr},
    {"hard-deadline-hours", "power", Kind::Number, nullptr},
    {"final-countdown-minutes", "power", Kind::Number, nullptr},
    {"reminder-interval-minutes", "power", Kind::Number, nullptr},
    {"reminder-schedule", "power", Kind::Text, nullptr},
    {"restart-window", "power", Kind::Text, nullptr},
    {"when-nobody-logged-in", "power", Kind::Text, nullptr},
    {"time-choice-step-minutes", "power", Kind::Number, nullptr},
    {"restart-command", "power", Kind::Command, kCommand},
    {"shutdown-command", "power", Kind::Command, kCommand},
    {"admin-group", "power", Kind::Text, "it decides who may change settings"},
    {"organisation", "ui", Kind::Text, kVoice},
    {"logo", "ui", Kind::Text, kVoice},
    {"message", "ui", Kind::Text, kVoice},
    {"info-url", "ui", Kind::Text, kVoice},
    {"helpdesk-url", "ui", Kind::Text, kVoice},
};

const Setting *findSetting(const QString &name)
{
    for (const Setting &s : kSettings)
        if (name == QLatin1String(s.name))
            return &s;
    return nullptr;
}

QString quoteArg(const QString &a)
{
    if (!a.isEmpty() && !a.contains(QRegularExpression(QStringLiteral("[\\s'\"\\\\]"))))
        return a;
    QString q = a;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

// The text stored in the INI for a JSON value; false with a reason when the type does not fit.
bool settingText(const Setting &s, const QJsonValue &v, QString *out, QString *reason)
{
    switch (s.kind) {
    case Kind::Bool:
        if (!v.isBool()) {
            *reason = QStringLiteral("%1 must be true or false").arg(QLatin1String(s.name));
            return false;
        }
        *out = v.toBool() ? QStringLiteral("1") : QStringLiteral("0");
        return true;
    case Kind::Number:
        if (v.isDouble()) {
            *out = QString::number(v.toDouble(), 'g', 15);
            return true;
        }
        if (v.isString()) {
            *out = v.toString();
            return true;
        }
        *reason = QStringLiteral("%1 must be a number").arg(QLatin1String(s.name));
        return false;
    case Kind::List:
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray()) {
                if (!e.isDouble()) {
                    *reason = QStringLiteral("%1 must be a list of minutes").arg(QLatin1String(s.name));
                    return false;
                }
                parts << QString::number(e.toDouble(), 'g', 15);
            }
            *out = parts.join(QLatin1Char(','));
            return true;
        }
        break;
    case Kind::Command:
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray())
                parts << quoteArg(e.toString());
            *out = parts.join(QLatin1Char(' '));
            return true;
        }
        break;
    case Kind::Text:
    case Kind::Secret:
        break;
    }
    if (!v.isString()) {
        *reason = QStringLiteral("%1 must be text").arg(QLatin1String(s.name));
        return false;
    }
    *out = v.toString();
    return true;
}
} // namespace

namespace {
const QString kHistoryFile = QStringLiteral("job-history.json");
const QString kContactSucceeded = QStringLiteral("contact-succeeded");
constexpr int kHistoryLength = 50;
} // namespace

ServiceLink::ServiceLink(ControlServer &server, Agent &agent, Config &config, StateStore &state, PowerPlanner &planner,
                         QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_agent(agent)
    , m_config(config)
    , m_state(state)
    , m_planner(planner)
{
    m_server.setRequestHandler(
        [this](const Peer &p, const QJsonObject &r, const ControlServer::Reply &reply) { handle(p, r, reply); });
    m_server.setPeerDescriber([this](const Peer &p) {
        return QJsonObject{{QStringLiteral("admin"), isAdmin(p)}, {QStringLiteral("has_session"), hasSession(p)}};
    });
    m_server.setAccessOf([this](const Peer &p) { return accessOf(p); });
    m_server.setView(&ServiceLink::view);
    m_planner.setTrayPresent([this](uint uid) { return m_server.hasTray(uid); });

    connect(&m_agent, &Agent::statusChanged, this, &ServiceLink::onStatusChanged);
    connect(&m_agent, &Agent::jobsPlanned, this, [this](const QList<oco::Job> &jobs) {
        m_pending.clear();
        for (const Job &j : jobs)
            m_pending << jobJson(j);
        pushJobs();
    });
    connect(&m_agent, &Agent::inventoryCollected, this, &ServiceLink::pushInventory);
    connect(&m_agent.jobs(), &JobEngine::jobStarted, this, &ServiceLink::onJobStarted);
    connect(&m_agent.jobs(), &JobEngine::jobProgress, this, &ServiceLink::onJobProgress);
    connect(&m_agent.jobs(), &JobEngine::jobFinished, this, &ServiceLink::onJobFinished);
    connect(&m_planner, &PowerPlanner::changed, this, &ServiceLink::pushPower);
    // The reminder flag travels on one push only; the kept state has none.
    connect(&m_planner, &PowerPlanner::reminderDue, this, [this] {
        const QJsonObject plain{{QStringLiteral("type"), QStringLiteral("power")},
                                {QStringLiteral("pending"), m_planner.toJson()}};
        QJsonObject flagged = plain;
        flagged.insert(QStringLiteral("reminder"), true);
        m_server.publish(flagged);
        m_server.update(plain);
    });
    connect(&m_server, &ControlServer::clientGreeted, this, [this] { collectInventoryOnce(); });
    m_server.update(adminVoiceJson(m_config));
    m_server.setBeforeSnapshot([this] {
        m_server.update(
            {{QStringLiteral("type"), QStringLiteral("power")}, {QStringLiteral("pending"), m_planner.toJson()}});
    });

    // The past jobs survive a restart of the service (an update, a reboot): the tray shows them again.
    QJsonObject saved;
    QString error;
    if (m_state.readJsonFile(kHistoryFile, &saved, &error))
        m_history = saved.value(QStringLiteral("history")).toArray();
    else
        qCWarning(lcAgent).noquote() << "the job history starts empty:" << error;
    while (m_history.size() > kHistoryLength)
        m_history.removeLast();

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

    m_logFlush.setSingleShot(true);
    m_logFlush.setInterval(100);
    connect(&m_logFlush, &QTimer::timeout, this, &ServiceLink::flushLog);
    s_instance = this;
    setLogListener(&ServiceLink::logListener);

    pushStatus();
    pushInventory({});
    m_haveInventory = false;
    pushJobs();
    pushPower();
}

ServiceLink::~ServiceLink()
{
    setLogListener(nullptr);
    s_instance = nullptr;
}

void ServiceLink::logListener(QtMsgType, const QString &line)
{
    // "TIME LEVEL [category] message"
    QJsonObject o;
    const int s1 = line.indexOf(QLatin1Char(' '));
    const int s2 = line.indexOf(QLatin1Char(' '), s1 + 1);
    o.insert(QStringLiteral("time"), line.left(s1));
    o.insert(QStringLiteral("level"), line.mid(s1 + 1, s2 - s1 - 1).toLower());
    QString rest = line.mid(s2 + 1);
    QString category;
    if (rest.startsWith(QLatin1Char('['))) {
        const int end = rest.indexOf(QLatin1String("] "));
        if (end > 0) {
            category = rest.mid(1, end - 1);
            rest = rest.mid(end + 2);
        }
    }
    o.insert(QStringLiteral("category"), category);
    o.insert(QStringLiteral("message"), rest.left(4000));
    QMutexLocker lock(&g_logMutex);
    const bool first = g_logQueue.isEmpty();
    if (g_logQueue.size() < 1000)
        g_logQueue.append(o);
    if (first && s_instance)
        QMetaObject::invokeMethod(
            s_instance,
            [] {
                if (s_instance && !s_instance->m_logFlush.isActive())
                    s_instance->m_logFlush.start();
            },
            Qt::QueuedConnection);
}

void ServiceLink::flushLog()
{
    QJsonArray lines;
    {
        QMutexLocker lock(&g_logMutex);
        lines = g_logQueue;
        g_logQueue = QJsonArray();
    }
    m_server.publishLog(lines);
}

bool ServiceLink::isAdmin(const Peer &peer, QString *reason) const
{
    if (peer.uid == 0)
        return true;
    if (m_config.adminGroup.isEmpty()) {
        if (reason)
            *reason = QStringLiteral("only root may do this (no admin group is configured)");
        return false;
    }
    struct group gr
    {
    };
    struct group *res = nullptr;
    char buf[16384];
    if (::getgrnam_r(m_config.adminGroup.toLocal8Bit().constData(), &gr, buf, sizeof buf, &res) == 0 && res &&
        peer.inGroup(res->gr_gid))
        return true;
    if (reason)
        *reason = QStringLiteral("only root or members of group '%1' may do this").arg(m_config.adminGroup);
    return false;
}

QJsonObject ServiceLink::view(Access access, const QJsonObject &message)
{
    if (access == Access::Root)
        return message;
    const QString type = message.value(QStringLiteral("type")).toString();
    QJsonObject m = message;
    if (type == QLatin1String("status")) {
        for (const QString &key : {QStringLiteral("server"), QStringLiteral("last_error")})
            m.insert(key, hideUrlPasswords(m.value(key).toString()));
    } else if (type == QLatin1String("jobs") && access == Access::User) {
        // Root procedures' output may carry what the admin keeps from local users: state and codes only.
        QJsonObject running = m.value(QStringLiteral("running")).toObject();
        if (!running.isEmpty()) {
            running.remove(QStringLiteral("output_tail"));
            m.insert(QStringLiteral("running"), running);
        }
        QJsonArray history;
        for (const QJsonValue &v : m.value(QStringLiteral("history")).toArray()) {
            QJsonObject o = v.toObject();
            o.remove(QStringLiteral("message"));
            history.append(o);
        }
        m.insert(QStringLiteral("history"), history);
    } else if (type == QLatin1String("log")) {
        // Debug lines carry whole server replies, procedures included.
        QJsonArray lines;
        for (const QJsonValue &v : m.value(QStringLiteral("lines")).toArray()) {
            QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("level")).toString() == QLatin1String("debug"))
                continue;
            o.insert(QStringLiteral("message"), hideUrlPasswords(o.value(QStringLiteral("message")).toString()));
            lines.append(o);
        }
        if (lines.isEmpty())
            return {};
        m.insert(QStringLiteral("lines"), lines);
    }
    return m;
}

Access ServiceLink::accessOf(const Peer &peer) const
{
    if (peer.uid == 0)
        return Access::Root;
    return isAdmin(peer) ? Access::Admin : Access::User;
}

bool ServiceLink::hasSession(const Peer &peer) const
{
    const QList<Session> sessions = m_planner.sessions();
    return std::any_of(sessions.begin(), sessions.end(), [&](const Session &s) { return s.uid == peer.uid; });
}

QString ServiceLink::hideUrlPasswords(const QString &text)
{
    // scheme://user:password@host -> scheme://user:***@host, wherever it appears in the text. A password may
    // hold an unencoded '/': masking a little too much is fine, showing part of one is not.
    static const QRegularExpression userinfo(QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*):[^\\s@]*@"));
    QString out = text;
    return out.replace(userinfo, QStringLiteral("\\1:***@"));
}

QJsonObject ServiceLink::fileOnlySettings(const QString &configPath)
{
    QJsonObject out;
    for (const Setting &s : kSettings)
        if (s.fileOnly)
            out.insert(
                QLatin1String(s.name),
                QStringLiteral("can be changed only by root, in %1: %2").arg(configPath, QLatin1String(s.fileOnly)));
    return out;
}

QJsonObject ServiceLink::settingsJson(const Config &c, Access access)
{
    QJsonArray choices;
    for (int m : c.postponeChoicesMinutes)
        choices.append(m);
    // Passwords inside URLs (a proxy's, a server's basic auth) are root's alone.
    auto url = [access](const QString &u) { return access == Access::Root ? u : hideUrlPasswords(u); };
    QJsonObject out{{QStringLiteral("api-url"), url(c.apiUrl)},
                    {QStringLiteral("payload-url"), url(c.payloadUrl)},
                    {QStringLiteral("protocol"), protocolChoiceName(c.protocol)},
                    {QStringLiteral("ca-file"), c.caFile},
                    {QStringLiteral("pin-sha256"), c.pinSha256},
                    {QStringLiteral("proxy"), url(c.proxy)},
                    {QStringLiteral("debug"), c.debug},
                    {QStringLiteral("query-interval"), c.queryInterval},
                    {QStringLiteral("connection-timeout"), c.connectionTimeout},
                    {QStringLiteral("read-timeout"), c.readTimeout},
                    {QStringLiteral("job-timeout"), c.jobTimeout},
                    {QStringLiteral("report-job-output"), c.reportJobOutput},
                    {QStringLiteral("hostname-remove-domain"), c.hostnameRemoveDomain},
                    {QStringLiteral("control-socket"), c.controlSocket},
                    {QStringLiteral("max-postponements"), c.maxPostponements},
                    {QStringLiteral("postpone-choices"), choices},
                    {QStringLiteral("hard-deadline-hours"), c.hardDeadlineHours},
                    {QStringLiteral("final-countdown-minutes"), c.finalCountdownMinutes},
                    {QStringLiteral("reminder-interval-minutes"), c.reminderIntervalMinutes},
                    {QStringLiteral("reminder-schedule"), c.reminderSchedule.text()},
                    {QStringLiteral("restart-window"), c.restartWindow.text()},
                    {QStringLiteral("when-nobody-logged-in"),
                     c.nobodyWaitsForWindow ? QStringLiteral("window") : QStringLiteral("now")},
                    {QStringLiteral("time-choice-step-minutes"), c.timeChoiceStepMinutes},
                    {QStringLiteral("restart-command"), QJsonArray::fromStringList(c.restartCommand)},
                    {QStringLiteral("shutdown-command"), QJsonArray::fromStringList(c.shutdownCommand)},
                    {QStringLiteral("admin-group"), c.adminGroup},
                    {QStringLiteral("agent_key_set"), !c.agentKey.isEmpty()},
                    {QStringLiteral("server_key_set"), !c.serverKey.isEmpty()}};
    // [ui]: each key and its translations ("message[de]"), as written in the file.
    for (const char *key : {"organisation", "message", "info-url", "helpdesk-url"}) {
        const QMap<QString, QString> texts = c.uiTexts.value(QLatin1String(key));
        out.insert(QLatin1String(key), texts.value(QString()));
        for (auto it = texts.cbegin(); it != texts.cend(); ++it)
            if (!it.key().isEmpty())
                out.insert(QStringLiteral("%1[%2]").arg(QLatin1String(key), it.key()), it.value());
    }
    out.insert(QStringLiteral("logo"), c.logoPath);
    return out;
}

void ServiceLink::handle(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    const QString type = request.value(QStringLiteral("type")).toString();
    auto refuse = [&](const QString &reason) {
        reply({{QStringLiteral("ok"), false}, {QStringLiteral("reason"), reason}});
    };
    auto answer = [&](const PowerPlanner::Answer &a) {
        reply({{QStringLiteral("ok"), a.ok}, {a.ok ? QStringLiteral("message") : QStringLiteral("reason"), a.message}});
    };
    const QString who = QStringLiteral("%1 (uid %2)").arg(peer.user).arg(peer.uid);
    QString why;

    if (type == QLatin1String("ping")) {
        reply({{QStringLiteral("ok"), true}});
    } else if (type == QLatin1String("check_now")) {
        checkNow(peer, reply);
    } else if (type == QLatin1String("postpone") || type == QLatin1String("power_now")) {
        if (!hasSession(peer) && !isAdmin(peer)) {
            refuse(QStringLiteral("only people logged in on this computer, root or admins may do this"));
            return;
        }
        if (type == QLatin1String("power_now")) {
            answer(m_planner.actNow(who, peer.uid));
            return;
        }
        // A chosen time instead of minutes: one of the power push's time_choices.
        const QJsonValue until = request.value(QStringLiteral("until"));
        if (!until.isUndefined()) {
            const QDateTime t = QDateTime::fromString(until.toString(), Qt::ISODate);
            if (!until.isString() || !t.isValid()) {
                refuse(QStringLiteral("postpone needs 'until' as an ISO 8601 time"));
                return;
            }
            answer(m_planner.chooseTime(t.toUTC(), who, peer.uid));
            return;
        }
        const QJsonValue m = request.value(QStringLiteral("minutes"));
        if (!m.isDouble() || m.toDouble() != static_cast<int>(m.toDouble())) {
            refuse(QStringLiteral("postpone needs a whole number of minutes"));
            return;
        }
        answer(m_planner.postpone(m.toInt(), who, peer.uid));
    } else if (type == QLatin1String("cancel_power")) {
        if (!isAdmin(peer, &why)) {
            refuse(why);
            return;
        }
        answer(m_planner.cancel(who));
    } else if (type == QLatin1String("get_settings")) {
        const bool admin = isAdmin(peer, &why);
        const QJsonObject settings = settingsJson(m_config, accessOf(peer));
        QJsonObject fileOnly = fileOnlySettings(m_config.path());
        for (auto it = settings.begin(); it != settings.end(); ++it) {
            const qsizetype bracket = it.key().indexOf(QLatin1Char('['));
            if (bracket > 0 && fileOnly.contains(it.key().left(bracket))) // a translation, like its key
                fileOnly.insert(it.key(), fileOnly.value(it.key().left(bracket)));
        }
        QJsonObject r{{QStringLiteral("ok"), true},
                      {QStringLiteral("settings"), settings},
                      {QStringLiteral("can_change"), admin},
                      {QStringLiteral("file_only"), fileOnly}};
        if (!admin)
            r.insert(QStringLiteral("reason"), why);
        reply(r);
    } else if (type == QLatin1String("set_settings")) {
        if (!isAdmin(peer, &why)) {
            refuse(why);
            return;
        }
        setSettings(peer, request, reply);
    } else if (type == QLatin1String("session_busy")) {
        sessionBusy(peer, request, reply);
    } else if (type == QLatin1String("test_connection")) {
        if (m_testing) {
            refuse(QStringLiteral("a connection test is already running"));
            return;
        }
        m_testing = true;
        testConnection(peer, reply);
        m_testing = false;
    } else {
        refuse(QStringLiteral("unknown request type '%1'").arg(type.left(100)));
    }
}

QJsonObject ServiceLink::adminVoiceJson(const Config &config)
{
    QJsonObject m{{QStringLiteral("type"), QStringLiteral("ui")}};
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

void ServiceLink::sessionBusy(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
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

void ServiceLink::setSettings(const Peer &peer, const QJsonObject &request, const ControlServer::Reply &reply)
{
    auto refuse = [&](const QString &reason) {
        reply({{QStringLiteral("ok"), false}, {QStringLiteral("reason"), reason}});
    };
    const QJsonObject changes = request.value(QStringLiteral("settings")).toObject();
    if (changes.isEmpty()) {
        refuse(QStringLiteral("set_settings needs a non-empty 'settings' object"));
        return;
    }
    // Validate on a copy: the real file changes only when every value passes, and then in one atomic write.
    QTemporaryDir tmp;
    const QString copyPath = tmp.filePath(QStringLiteral("oco-agent.ini"));
    QByteArray original;
    QString err;
    if (QFile::exists(m_config.path()) && !readWholeFile(m_config.path(), &original, &err)) {
        refuse(err);
        return;
    }
    if (!writeFileAtomic(copyPath, original, 0600, &err)) {
        refuse(err);
        return;
    }
    Config candidate;
    candidate.load(copyPath, &err);
    QStringList names;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const Setting *s = findSetting(it.key());
        if (!s) {
            refuse(QStringLiteral("'%1' is not a setting that can be changed here").arg(it.key().left(100)));
            return;
        }
        if (s->fileOnly) {
            refuse(QStringLiteral("%1 can be changed only by root, in %2: %3")
                       .arg(it.key(), m_config.path(), QLatin1String(s->fileOnly)));
            return;
        }
        QString text;
        QString reason;
        if (!settingText(*s, it.value(), &text, &reason)) {
            refuse(reason);
            return;
        }
        if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) || text.contains(QChar(0))) {
            refuse(QStringLiteral("%1 must be a single line").arg(it.key()));
            return;
        }
        if (!candidate.storeValue(QLatin1String(s->section), QLatin1String(s->name), text, &err)) {
            refuse(err);
            return;
        }
        names << it.key();
    }
    Config check;
    if (!check.load(copyPath, &err)) {
        refuse(err.replace(copyPath, m_config.path()));
        return;
    }
    QByteArray validated;
    if (!readWholeFile(copyPath, &validated, &err) || !writeFileAtomic(m_config.path(), validated, 0600, &err)) {
        refuse(QStringLiteral("cannot write the settings: %1").arg(err));
        return;
    }
    Config fresh;
    if (!fresh.load(m_config.path(), &err)) {
        refuse(err);
        return;
    }
    m_config = fresh;
    m_agent.applyConfig();
    setDebugLogging(m_config.debug);
    names.sort();
    qCInfo(lcAgent).noquote() << QStringLiteral("settings changed by %1 (uid %2): %3")
                                     .arg(peer.user)
                                     .arg(peer.uid)
                                     .arg(names.join(QStringLiteral(", ")));
    reply({{QStringLiteral("ok"), true},
           {QStringLiteral("message"), QStringLiteral("saved: %1").arg(names.join(QStringLiteral(", ")))},
           {QStringLiteral("settings"), settingsJson(m_config, accessOf(peer))}});
    pushStatus();
    pushPower();
}

QDateTime ServiceLink::lastServerContact() const
{
    const QDateTime cycle = m_agent.status().lastContact;
    if (!cycle.isValid())
        return m_lastTest;
    return m_lastTest.isValid() ? std::max(cycle, m_lastTest) : cycle;
}

QString ServiceLink::contactWait(const Peer &peer, QDateTime *from) const
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

void ServiceLink::checkNow(const Peer &peer, const ControlServer::Reply &reply)
{
    const QString who = QStringLiteral("%1 (uid %2)").arg(peer.user).arg(peer.uid);
    auto answer = [&](const QString &text) {
        reply({{QStringLiteral("ok"), true}, {QStringLiteral("message"), text}});
    };
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
        qCInfo(lcAgent).noquote() << who << "asked for a contact now: planned for" << localTime(from);
        answer(QStringLiteral("%1: contacting it at %2").arg(wait, localTime(from)));
        return;
    }
    m_deferredCheck.stop();
    const bool started = m_checkNow && m_checkNow();
    qCInfo(lcAgent).noquote() << who << "asked for a contact now" << (started ? "" : "(one is already running)");
    answer(started ? QStringLiteral("contacting the server now") : QStringLiteral("a contact is already running"));
}

void ServiceLink::onStatusChanged()
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

void ServiceLink::probeOnly(const ControlServer::Reply &reply)
{
    auto done = [&](bool ok, const QString &words) {
        // Error texts may quote the server's URL; the reply goes to whoever asked.
        const QString text = hideUrlPasswords(words);
        reply({{QStringLiteral("ok"), ok}, {QStringLiteral("result"), text}, {QStringLiteral("reason"), text}});
    };
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

void ServiceLink::testConnection(const Peer &peer, const ControlServer::Reply &reply)
{
    auto done = [&](bool ok, const QString &words) {
        // Error texts may quote the server's URL; the reply goes to whoever asked.
        const QString text = hideUrlPasswords(words);
        reply({{QStringLiteral("ok"), ok}, {QStringLiteral("result"), text}, {QStringLiteral("reason"), text}});
    };
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

void ServiceLink::pushStatus()
{
    const AgentStatus &s = m_agent.status();
    m_server.publish(
        {{QStringLiteral("type"), QStringLiteral("status")},
         {QStringLiteral("state"), s.state},
         {QStringLiteral("server"), m_config.apiUrl},
         {QStringLiteral("dialect"), s.dialect},
         {QStringLiteral("last_contact"), timeOrNull(s.lastContact)},
         {QStringLiteral("last_success"), timeOrNull(s.lastSuccess)},
         {QStringLiteral("next_contact"), timeOrNull(m_nextContact.isValid() ? m_nextContact : s.nextContact)},
         {QStringLiteral("last_inventory"), timeOrNull(s.lastInventory)},
         {QStringLiteral("last_error"), s.lastError},
         {QStringLiteral("error_kind"), failureKindName(s.lastErrorKind)},
         {QStringLiteral("held"), m_planner.holdReason()}});
}

void ServiceLink::pushInventory(const QJsonObject &inventory)
{
    m_haveInventory = !inventory.isEmpty();
    m_server.publish({{QStringLiteral("type"), QStringLiteral("inventory")},
                      {QStringLiteral("inventory"), inventory.isEmpty() ? QJsonValue() : QJsonValue(inventory)},
                      {QStringLiteral("collected"),
                       inventory.isEmpty() ? QJsonValue() : timeOrNull(QDateTime::currentDateTimeUtc())}});
}

void ServiceLink::collectInventoryOnce()
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

void ServiceLink::pushJobs()
{
    QJsonArray pending;
    for (const QJsonObject &j : qAsConst(m_pending))
        pending.append(j);
    m_server.publish({{QStringLiteral("type"), QStringLiteral("jobs")},
                      {QStringLiteral("pending"), pending},
                      {QStringLiteral("running"), m_running.isEmpty() ? QJsonValue() : QJsonValue(m_running)},
                      {QStringLiteral("history"), m_history}});
}

void ServiceLink::pushPower()
{
    m_server.publish(
        {{QStringLiteral("type"), QStringLiteral("power")}, {QStringLiteral("pending"), m_planner.toJson()}});
    pushStatus();
}

void ServiceLink::onJobStarted(const Job &job)
{
    const QJsonValue id = job.id;
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(),
                                   [&](const QJsonObject &o) { return o.value(QStringLiteral("id")) == id; }),
                    m_pending.end());
    m_running = jobJson(job);
    m_running.insert(QStringLiteral("phase"), job.download ? QStringLiteral("download") : QStringLiteral("execute"));
    m_running.insert(QStringLiteral("progress"), 0);
    m_running.insert(QStringLiteral("output_tail"), QString());
    m_running.insert(QStringLiteral("started"), timeOrNull(QDateTime::currentDateTimeUtc()));
    pushJobs();
}

void ServiceLink::onJobProgress(const Job &job, int state, double percent, const QString &tail)
{
    if (m_running.value(QStringLiteral("id")) != job.id)
        onJobStarted(job);
    m_running.insert(QStringLiteral("phase"),
                     state == JobState::DownloadStarted ? QStringLiteral("download") : QStringLiteral("execute"));
    m_running.insert(QStringLiteral("progress"), std::min(100.0, percent));
    m_running.insert(QStringLiteral("output_tail"), tail.right(4000));
    pushJobs();
}

void ServiceLink::onJobFinished(const Job &job, const JobOutcome &outcome)
{
    const QString stateName =
        outcome.state == JobState::Succeeded
            ? (outcome.reported && !outcome.succeeded ? QStringLiteral("failed") : QStringLiteral("succeeded"))
            : QStringLiteral("failed");
    m_history.prepend(QJsonObject{{QStringLiteral("id"), job.id},
                                  {QStringLiteral("package_id"), job.packageId},
                                  {QStringLiteral("state"), stateName},
                                  {QStringLiteral("return_code"), outcome.returnCode},
                                  {QStringLiteral("started"), m_running.value(QStringLiteral("started"))},
                                  {QStringLiteral("finished"), timeOrNull(QDateTime::currentDateTimeUtc())},
                                  {QStringLiteral("reported"), outcome.reported},
                                  {QStringLiteral("message"), outcome.message.right(4000)}});
    while (m_history.size() > kHistoryLength)
        m_history.removeLast();
    QString error;
    if (!m_state.writeJsonFile(kHistoryFile, {{QStringLiteral("history"), m_history}}, &error))
        qCWarning(lcAgent).noquote() << "cannot keep the job history for the next start:" << error;
    m_running = QJsonObject();
    pushJobs();
}

} // namespace oco
