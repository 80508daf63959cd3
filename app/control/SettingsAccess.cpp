#include "SettingsAccess.h"

#include "ControlServer.h"
#include "config/Config.h"
#include "core/AtomicFile.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace oco {

namespace {

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

QString hideUrlPasswords(const QString &text)
{
    // scheme://user:password@host -> scheme://user:***@host, wherever it appears in the text. A password may
    // hold an unencoded '/': masking a little too much is fine, showing part of one is not.
    static const QRegularExpression userinfo(QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*):[^\\s@]*@"));
    QString out = text;
    return out.replace(userinfo, QStringLiteral("\\1:***@"));
}

QJsonObject fileOnlySettings(const QString &configPath)
{
    QJsonObject out;
    for (const Setting &s : kSettings)
        if (s.fileOnly)
            out.insert(
                QLatin1String(s.name),
                QStringLiteral("can be changed only by root, in %1: %2").arg(configPath, QLatin1String(s.fileOnly)));
    return out;
}

QJsonObject settingsJson(const Config &c, Access access)
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

bool writeSettings(const QString &configPath, const QJsonObject &changes, Config *fresh, QStringList *names,
                   QString *reason)
{
    if (changes.isEmpty()) {
        *reason = QStringLiteral("set_settings needs a non-empty 'settings' object");
        return false;
    }
    // Validate on a copy: the real file changes only when every value passes, and then in one atomic write.
    QTemporaryDir tmp;
    const QString copyPath = tmp.filePath(QStringLiteral("oco-agent.ini"));
    QByteArray original;
    if (QFile::exists(configPath) && !readWholeFile(configPath, &original, reason))
        return false;
    if (!writeFileAtomic(copyPath, original, 0600, reason))
        return false;
    Config candidate;
    QString err;
    candidate.load(copyPath, &err);
    names->clear();
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const Setting *s = findSetting(it.key());
        if (!s) {
            *reason = QStringLiteral("'%1' is not a setting that can be changed here").arg(it.key().left(100));
            return false;
        }
        if (s->fileOnly) {
            *reason = QStringLiteral("%1 can be changed only by root, in %2: %3")
                          .arg(it.key(), configPath, QLatin1String(s->fileOnly));
            return false;
        }
        QString text;
        if (!settingText(*s, it.value(), &text, reason))
            return false;
        if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) || text.contains(QChar(0))) {
            *reason = QStringLiteral("%1 must be a single line").arg(it.key());
            return false;
        }
        if (!candidate.storeValue(QLatin1String(s->section), QLatin1String(s->name), text, reason))
            return false;
        *names << it.key();
    }
    Config check;
    if (!check.load(copyPath, &err)) {
        *reason = err.replace(copyPath, configPath);
        return false;
    }
    QByteArray validated;
    if (!readWholeFile(copyPath, &validated, &err) || !writeFileAtomic(configPath, validated, 0600, &err)) {
        *reason = QStringLiteral("cannot write the settings: %1").arg(err);
        return false;
    }
    if (!fresh->load(configPath, reason))
        return false;
    names->sort();
    return true;
}

} // namespace oco
