#include "SettingsAccess.h"

#include "ControlServer.h"
#include "agent/Agent.h"
#include "config/Config.h"
#include "config/SettingsTable.h"
#include "core/AtomicFile.h"
#include "core/Log.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace oco {

namespace {

QString quoteArg(const QString &a)
{
    if (!a.isEmpty() && !a.contains(QRegularExpression(QStringLiteral("[\\s'\"\\\\]"))))
        return a;
    QString q = a;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

// The text stored in the INI for a JSON value; false with a reason when the type does not fit.
bool settingText(const SettingSpec &s, const QJsonValue &v, QString *out, QString *reason)
{
    switch (s.type) {
    case SettingType::Bool:
        if (!v.isBool()) {
            *reason = QStringLiteral("%1 must be true or false").arg(s.name());
            return false;
        }
        *out = v.toBool() ? QStringLiteral("1") : QStringLiteral("0");
        return true;
    case SettingType::Number:
    case SettingType::Integer:
        if (v.isDouble()) {
            *out = QString::number(v.toDouble(), 'g', 15);
            return true;
        }
        if (v.isString()) { // the file's reader says why it is not a number
            *out = v.toString();
            return true;
        }
        *reason = QStringLiteral("%1 must be a number").arg(s.name());
        return false;
    case SettingType::MinutesList:
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray()) {
                if (!e.isDouble()) {
                    *reason = QStringLiteral("%1 must be a list of minutes").arg(s.name());
                    return false;
                }
                parts << QString::number(e.toDouble(), 'g', 15);
            }
            *out = parts.join(QLatin1Char(','));
            return true;
        }
        break;
    case SettingType::Command:
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray())
                parts << quoteArg(e.toString());
            *out = parts.join(QLatin1Char(' '));
            return true;
        }
        break;
    default:
        break;
    }
    if (!v.isString()) {
        *reason = QStringLiteral("%1 must be text").arg(s.name());
        return false;
    }
    *out = v.toString();
    return true;
}

// The spec of a key set_settings may change; nullptr with the reason otherwise.
const SettingSpec *changeable(const QString &key, const QString &configPath, QString *reason)
{
    const SettingSpec *s = findSetting(key);
    if (!s || key != s->name() || s->access == SettingAccess::FileOnly) {
        *reason = QStringLiteral("'%1' is not a setting that can be changed here").arg(key.left(100));
        return nullptr;
    }
    if (s->access == SettingAccess::RootFile) {
        *reason = QStringLiteral("%1 can be changed only by root, in %2: %3")
                      .arg(key, configPath, QLatin1String(s->rootOnlyBecause));
        return nullptr;
    }
    return s;
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
    for (const SettingSpec &s : settingsTable())
        if (s.access == SettingAccess::RootFile)
            out.insert(s.name(), QStringLiteral("can be changed only by root, in %1: %2")
                                     .arg(configPath, QLatin1String(s.rootOnlyBecause)));
    return out;
}

QJsonObject settingsJson(const Config &c, Access access)
{
    // Passwords inside URLs (a proxy's, a server's basic auth) are root's alone.
    auto shown = [access](const QJsonValue &v) {
        return v.isString() && access != Access::Root ? QJsonValue(hideUrlPasswords(v.toString())) : v;
    };
    QJsonObject out;
    for (const SettingSpec &s : settingsTable()) {
        if (s.access == SettingAccess::FileOnly)
            continue;
        const QVariant value = c.value(s.name());
        if (s.type == SettingType::Secret) { // keys: only whether they are set
            out.insert(s.jsonName(), !value.toString().isEmpty());
            continue;
        }
        out.insert(s.name(), shown(QJsonValue::fromVariant(value)));
        if (!s.translatable)
            continue;
        // Translations ("message[de]"), as written in the file.
        const QMap<QString, QString> texts = c.uiTexts.value(s.name());
        for (auto it = texts.cbegin(); it != texts.cend(); ++it)
            if (!it.key().isEmpty())
                out.insert(QStringLiteral("%1[%2]").arg(s.name(), it.key()), shown(it.value()));
    }
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
        const SettingSpec *s = changeable(it.key(), configPath, reason);
        if (!s)
            return false;
        QString text;
        if (!settingText(*s, it.value(), &text, reason))
            return false;
        if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) || text.contains(QChar(0))) {
            *reason = QStringLiteral("%1 must be a single line").arg(it.key());
            return false;
        }
        if (!candidate.storeValue(s->sectionName(), s->name(), text, reason))
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

SettingsChanges::SettingsChanges(Config &config, Agent &agent, std::function<void()> applied, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_agent(agent)
    , m_applied(std::move(applied))
{
    connect(&m_agent, &Agent::statusChanged, this, [this] {
        if (m_waiting && !contactRunning())
            applyWaiting();
    });
}

bool SettingsChanges::contactRunning() const
{
    const QString state = m_agent.status().state;
    return state == QLatin1String("contacting") || state == QLatin1String("inventory") || state == QLatin1String("job");
}

bool SettingsChanges::change(const QJsonObject &changes, const QString &who, QStringList *names, Effect *effect,
                             QString *reason)
{
    Config fresh;
    if (!writeSettings(m_config.path(), changes, &fresh, names, reason))
        return false;
    if (!contactRunning()) {
        use(fresh);
        *effect = Effect::Now;
        qCInfo(lcAgent).noquote()
            << QStringLiteral("settings changed by %1: %2").arg(who, names->join(QStringLiteral(", ")));
        m_applied();
        return true;
    }
    for (auto it = changes.begin(); it != changes.end(); ++it)
        m_waitingChanges.insert(it.key(), it.value());
    m_waiting = fresh;
    *effect = Effect::AfterContact;
    qCInfo(lcAgent).noquote() << QStringLiteral("settings changed by %1: %2; the service takes them over after the "
                                                "running contact")
                                     .arg(who, names->join(QStringLiteral(", ")));
    return true;
}

void SettingsChanges::applyWaiting()
{
    // The contact may have written the file meanwhile from its own copy (a key handed over, the pinned
    // protocol): the waiting changes are written again on top of that.
    Config fresh;
    QStringList names;
    QString reason;
    const QJsonObject changes = m_waitingChanges;
    m_waiting.reset();
    m_waitingChanges = {};
    if (!writeSettings(m_config.path(), changes, &fresh, &names, &reason)) {
        qCWarning(lcAgent).noquote() << "the settings changed during the contact cannot be taken over:" << reason;
        return;
    }
    use(fresh);
    qCInfo(lcAgent).noquote() << "settings changed during the contact are in effect now:"
                              << names.join(QStringLiteral(", "));
    m_applied();
}

void SettingsChanges::use(const Config &fresh)
{
    m_config = fresh;
    m_agent.applyConfig();
    setDebugLogging(m_config.debug);
}

} // namespace oco
