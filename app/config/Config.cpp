#include "Config.h"

#include "SettingsTable.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>
#include <variant>

namespace oco {

QString protocolChoiceName(ProtocolChoice p)
{
    switch (p) {
    case ProtocolChoice::Auto:
        return QStringLiteral("auto");
    case ProtocolChoice::Legacy2021:
        return QStringLiteral("2021");
    case ProtocolChoice::Plain:
        return QStringLiteral("plain");
    case ProtocolChoice::Current:
        return QStringLiteral("current");
    }
    return QStringLiteral("auto");
}

bool splitCommandLine(const QString &text, QStringList *args)
{
    args->clear();
    QString cur;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()) {
                cur += text.at(++i);
            } else {
                cur += c;
            }
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            cur += text.at(++i);
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                args->append(cur);
            cur.clear();
            inWord = false;
        } else {
            cur += c;
            inWord = true;
        }
    }
    if (!quote.isNull())
        return false;
    if (inWord)
        args->append(cur);
    return true;
}

namespace {

class Reader
{
public:
    Reader(const IniFile &ini, QString *error)
        : m_ini(ini)
        , m_error(error)
    {}

    bool fail(const QString &section, const QString &key, const QString &message)
    {
        if (m_error) {
            IniFile::Error e{m_ini.fileName(), m_ini.lineOf(section, key), QStringLiteral("%1.%2").arg(section, key),
                             message};
            *m_error = e.toString();
        }
        return false;
    }

    bool string(const QString &section, const QString &key, QString *out)
    {
        if (m_ini.contains(section, key))
            *out = m_ini.value(section, key);
        return true;
    }

    bool number(const QString &section, const QString &key, double *out, double min, double max)
    {
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key);
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !std::isfinite(d))
            return fail(section, key, QStringLiteral("'%1' is not a number").arg(v));
        if (d < min || d > max)
            return fail(
                section, key,
                QStringLiteral("%1 is out of range (allowed: %2 to %3)").arg(v, plainNumber(min), plainNumber(max)));
        *out = d;
        return true;
    }

    bool integer(const QString &section, const QString &key, int *out, int min, int max)
    {
        double d = *out;
        if (!number(section, key, &d, min, max))
            return false;
        if (d != std::floor(d))
            return fail(section, key, QStringLiteral("'%1' must be a whole number").arg(m_ini.value(section, key)));
        *out = static_cast<int>(d);
        return true;
    }

    bool boolean(const QString &section, const QString &key, bool *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key).toLower();
        if (v == QLatin1String("1") || v == QLatin1String("true") || v == QLatin1String("yes") ||
            v == QLatin1String("on")) {
            *out = true;
        } else if (v == QLatin1String("0") || v == QLatin1String("false") || v == QLatin1String("no") ||
                   v == QLatin1String("off") || v.isEmpty()) {
            *out = false;
        } else {
            return fail(section, key, QStringLiteral("'%1' is not a boolean (use 0 or 1)").arg(v));
        }
        return true;
    }

    bool url(const QString &section, const QString &key, QString *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key);
        if (!v.isEmpty()) {
            const QUrl u(v, QUrl::StrictMode);
            if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
                u.host().isEmpty())
                return fail(section, key, QStringLiteral("'%1' is not an http(s) URL").arg(v));
        }
        *out = v;
        return true;
    }

    // A link the person may open: the web, a mail or a phone number.
    bool link(const QString &section, const QString &key, QString *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key);
        const QUrl u(v, QUrl::StrictMode);
        const QString scheme = u.scheme();
        const bool web = scheme == QLatin1String("http") || scheme == QLatin1String("https");
        if (!v.isEmpty() && (!u.isValid() || (web && u.host().isEmpty()) ||
                             (!web && scheme != QLatin1String("mailto") && scheme != QLatin1String("tel")) ||
                             (!web && u.path().isEmpty())))
            return fail(section, key, QStringLiteral("'%1' is not an http(s), mailto: or tel: URL").arg(v));
        *out = v;
        return true;
    }

    bool image(const QString &section, const QString &key, QString *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key);
        if (!v.isEmpty()) {
            QFile f(v);
            if (!QFileInfo(v).isAbsolute())
                return fail(section, key, QStringLiteral("'%1' is not an absolute path").arg(v));
            if (!QFileInfo(v).isFile()) // a fifo or device would stall the service's start
                return fail(section, key, QStringLiteral("'%1' is not a regular file").arg(v));
            if (!f.open(QIODevice::ReadOnly))
                return fail(section, key, QStringLiteral("cannot read '%1': %2").arg(v, f.errorString()));
            if (f.size() > Config::kMaxLogoBytes)
                return fail(section, key,
                            QStringLiteral("'%1' has %2 bytes; a logo may have at most %3")
                                .arg(v)
                                .arg(f.size())
                                .arg(Config::kMaxLogoBytes));
            const QByteArray head = f.read(8);
            if (!head.startsWith("\x89PNG\r\n\x1a\n") && !head.startsWith("\xff\xd8\xff"))
                return fail(section, key, QStringLiteral("'%1' is neither a PNG nor a JPEG image").arg(v));
        }
        *out = v;
        return true;
    }

    bool command(const QString &section, const QString &key, QStringList *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        QStringList args;
        if (!splitCommandLine(m_ini.value(section, key), &args))
            return fail(section, key, QStringLiteral("unterminated quote"));
        if (args.isEmpty())
            return fail(section, key, QStringLiteral("the command is empty"));
        *out = args;
        return true;
    }

    // One of the spec's choices (aliases after a comma: "2021,legacy"); *index is its position.
    bool choice(const SettingSpec &spec, int *index)
    {
        const QString section = spec.sectionName(), key = spec.name();
        if (!m_ini.contains(section, key))
            return true;
        const QString v = m_ini.value(section, key).trimmed().toLower();
        const QStringList entries = QString::fromLatin1(spec.choices).split(QLatin1Char('|'));
        for (int i = 0; i < entries.size(); ++i) {
            if (entries.at(i).split(QLatin1Char(',')).contains(v)) {
                *index = i;
                return true;
            }
        }
        return fail(section, key,
                    QStringLiteral("'%1' is not one of %2").arg(v, spec.choiceList().join(QStringLiteral(", "))));
    }

    bool minutesList(const SettingSpec &spec, QList<int> *out)
    {
        const QString section = spec.sectionName(), key = spec.name();
        if (!m_ini.contains(section, key))
            return true;
        QList<int> minutes;
        const QStringList parts = m_ini.value(section, key).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            bool ok = false;
            const int m = part.trimmed().toInt(&ok);
            if (!ok || m < spec.min || m > spec.max)
                return fail(section, key,
                            QStringLiteral("'%1' is not a whole number of minutes (allowed: %2, separated by commas)")
                                .arg(part.trimmed(), spec.rangeText()));
            minutes << m;
        }
        *out = minutes;
        return true;
    }

    // A value with a parser of its own: RestartWindow, ReminderSchedule.
    template<class V> bool parsed(const QString &section, const QString &key, V *out)
    {
        if (!m_ini.contains(section, key))
            return true;
        QString why;
        return V::parse(m_ini.value(section, key), out, &why) || fail(section, key, why);
    }

private:
    const IniFile &m_ini;
    QString *m_error;
};

} // namespace

namespace {

// Where each key of the settings table lands in Config.
using Field =
    std::variant<bool Config::*, double Config::*, int Config::*, QString Config::*, QStringList Config::*,
                 QList<int> Config::*, ProtocolChoice Config::*, RestartWindow Config::*, ReminderSchedule Config::*>;

const QHash<QString, Field> &fields()
{
    static const QHash<QString, Field> f{
        {QStringLiteral("debug"), &Config::debug},
        {QStringLiteral("query-interval"), &Config::queryInterval},
        {QStringLiteral("agent-key"), &Config::agentKey},
        {QStringLiteral("connection-timeout"), &Config::connectionTimeout},
        {QStringLiteral("read-timeout"), &Config::readTimeout},
        {QStringLiteral("hostname-remove-domain"), &Config::hostnameRemoveDomain},
        {QStringLiteral("machine-uid"), &Config::machineUid},
        {QStringLiteral("job-timeout"), &Config::jobTimeout},
        {QStringLiteral("report-job-output"), &Config::reportJobOutput},
        {QStringLiteral("auth-backoff-base"), &Config::authBackoffBase},
        {QStringLiteral("stop-grace-seconds"), &Config::stopGraceSeconds},
        {QStringLiteral("extract-max-mib"), &Config::extractMaxMiB},
        {QStringLiteral("extract-max-entries"), &Config::extractMaxEntries},
        {QStringLiteral("control-socket"), &Config::controlSocket},
        {QStringLiteral("service-checks"), &Config::serviceChecksDir},
        {QStringLiteral("service-check-timeout"), &Config::serviceCheckTimeout},
        {QStringLiteral("api-url"), &Config::apiUrl},
        {QStringLiteral("payload-url"), &Config::payloadUrl},
        {QStringLiteral("server-key"), &Config::serverKey},
        {QStringLiteral("protocol"), &Config::protocol},
        {QStringLiteral("ca-file"), &Config::caFile},
        {QStringLiteral("pin-sha256"), &Config::pinSha256},
        {QStringLiteral("proxy"), &Config::proxy},
        {QStringLiteral("local-users-min-uid"), &Config::localUsersMinUid},
        {QStringLiteral("local-users-max-uid"), &Config::localUsersMaxUid},
        {QStringLiteral("max-postponements"), &Config::maxPostponements},
        {QStringLiteral("postpone-choices"), &Config::postponeChoicesMinutes},
        {QStringLiteral("hard-deadline-hours"), &Config::hardDeadlineHours},
        {QStringLiteral("final-countdown-minutes"), &Config::finalCountdownMinutes},
        {QStringLiteral("reminder-interval-minutes"), &Config::reminderIntervalMinutes},
        {QStringLiteral("reminder-schedule"), &Config::reminderSchedule},
        {QStringLiteral("restart-window"), &Config::restartWindow},
        {QStringLiteral("when-nobody-logged-in"), &Config::nobodyWaitsForWindow},
        {QStringLiteral("time-choice-step-minutes"), &Config::timeChoiceStepMinutes},
        {QStringLiteral("restart-command"), &Config::restartCommand},
        {QStringLiteral("shutdown-command"), &Config::shutdownCommand},
        {QStringLiteral("admin-group"), &Config::adminGroup},
        {QStringLiteral("message"), &Config::noticeMessage},
        {QStringLiteral("info-url"), &Config::infoUrl},
        {QStringLiteral("organisation"), &Config::organisation},
        {QStringLiteral("logo"), &Config::logoPath},
        {QStringLiteral("helpdesk-url"), &Config::helpdeskUrl},
    };
    return f;
}

// The member a key lands in, of type V; nullptr when the table and Config disagree (tst_config checks they do not).
template<class V> V *member(Config &c, const SettingSpec &spec)
{
    const auto it = fields().constFind(spec.name());
    if (it == fields().constEnd())
        return nullptr;
    const auto *f = std::get_if<V Config::*>(&it.value());
    return f ? &(c.**f) : nullptr;
}

bool readText(Reader &r, const SettingSpec &s, QString *out)
{
    const QString section = s.sectionName(), key = s.name();
    switch (s.type) {
    case SettingType::Url:
        return r.url(section, key, out);
    case SettingType::Link:
        return r.link(section, key, out);
    case SettingType::Image:
        return r.image(section, key, out);
    default:
        return r.string(section, key, out);
    }
}

bool readChoice(Reader &r, const SettingSpec &s, Config &c)
{
    int index = 0;
    if (!r.choice(s, &index))
        return false;
    if (auto *p = member<ProtocolChoice>(c, s)) // the choices are in the enum's order
        *p = static_cast<ProtocolChoice>(index);
    else if (auto *b = member<bool>(c, s)) // the second choice is "on"
        *b = index != 0;
    return true;
}

template<class V> bool known(V *p)
{
    Q_ASSERT_X(p, "Config", "a key of the settings table has no member of its type");
    return p != nullptr;
}

// Reads one key of the table into its member; false with the error in the reader's message.
bool readSetting(Reader &r, const SettingSpec &s, Config &c)
{
    const QString section = s.sectionName(), key = s.name();
    switch (s.type) {
    case SettingType::Bool:
        return known(member<bool>(c, s)) && r.boolean(section, key, member<bool>(c, s));
    case SettingType::Number:
        return known(member<double>(c, s)) && r.number(section, key, member<double>(c, s), s.min, s.max);
    case SettingType::Integer:
        return known(member<int>(c, s)) && r.integer(section, key, member<int>(c, s), int(s.min), int(s.max));
    case SettingType::Command:
        return known(member<QStringList>(c, s)) && r.command(section, key, member<QStringList>(c, s));
    case SettingType::Choice:
        return readChoice(r, s, c);
    case SettingType::MinutesList:
        return known(member<QList<int>>(c, s)) && r.minutesList(s, member<QList<int>>(c, s));
    case SettingType::RestartWindow:
        return known(member<RestartWindow>(c, s)) && r.parsed(section, key, member<RestartWindow>(c, s));
    case SettingType::ReminderSchedule:
        return known(member<ReminderSchedule>(c, s)) && r.parsed(section, key, member<ReminderSchedule>(c, s));
    case SettingType::Text:
    case SettingType::Secret:
    case SettingType::Url:
    case SettingType::Link:
    case SettingType::Image:
        break;
    }
    return known(member<QString>(c, s)) && readText(r, s, member<QString>(c, s));
}

// Translations like opsi's: `message[de] = ...`; the language is a code as in LANG (de, de_AT, pt-BR).
bool readUiTexts(Reader &r, const IniFile &ini, QMap<QString, QMap<QString, QString>> *texts)
{
    static const QRegularExpression translated(QStringLiteral("^([a-z-]+)\\[([^\\]]*)\\]$"));
    static const QRegularExpression language(QStringLiteral("^[a-z]{2,3}([_-][a-z0-9]{2,8})?$"));
    const QString U = QStringLiteral("ui");
    texts->clear();
    for (const QString &key : ini.keys(U)) {
        const QRegularExpressionMatch m = translated.match(key);
        const QString base = m.hasMatch() ? m.captured(1) : key;
        QString lang = m.hasMatch() ? m.captured(2).trimmed() : QString();
        const SettingSpec *spec = findSetting(base);
        if (!spec || !spec->translatable || spec->sectionName() != U)
            continue; // unknown keys are ignored, as everywhere
        if (m.hasMatch() && !language.match(lang).hasMatch())
            return r.fail(U, key, QStringLiteral("'%1' is not a language code (like de, de_AT or pt-BR)").arg(lang));
        lang.replace(QLatin1Char('-'), QLatin1Char('_'));
        SettingSpec variant = *spec;
        const QByteArray keyBytes = key.toLatin1();
        variant.key = keyBytes.constData();
        QString value;
        if (!readText(r, variant, &value))
            return false;
        if (!value.isEmpty())
            (*texts)[base].insert(lang, value);
    }
    return true;
}

} // namespace

Config::Config()
{
    IniFile defaults;
    for (const SettingSpec &s : settingsTable())
        defaults.setValue(s.sectionName(), s.name(), QLatin1String(s.defaultValue));
    Reader r(defaults, nullptr);
    for (const SettingSpec &s : settingsTable()) {
        [[maybe_unused]] const bool ok = readSetting(r, s, *this);
        Q_ASSERT_X(ok, "Config", s.key); // tst_config loads every default
    }
}

bool Config::load(const QString &path, QString *error)
{
    *this = Config();
    m_path = path;
    IniFile::Error perr;
    if (!m_ini.load(path, &perr)) {
        if (error)
            *error = perr.toString();
        return false;
    }
    Reader r(m_ini, error);
    for (const SettingSpec &s : settingsTable())
        if (!readSetting(r, s, *this))
            return false;
    if (!readUiTexts(r, m_ini, &uiTexts))
        return false;
    const QString P = QStringLiteral("power"), L = QStringLiteral("linux");
    if (timeChoiceStepMinutes > 0 && 1440 % timeChoiceStepMinutes != 0)
        return r.fail(P, QStringLiteral("time-choice-step-minutes"),
                      QStringLiteral("%1 does not divide a day (use e.g. 15, 30, 60, 120; 0 for no choice of time)")
                          .arg(timeChoiceStepMinutes));
    if (localUsersMinUid > localUsersMaxUid)
        return r.fail(L, QStringLiteral("local-users-min-uid"), QStringLiteral("is larger than local-users-max-uid"));
    return true;
}

QVariant Config::value(const QString &key) const
{
    const SettingSpec *spec = findSetting(key);
    if (!spec || !fields().contains(spec->name()))
        return {};
    Config &self = const_cast<Config &>(*this); // member() is shared with the readers; nothing is written here
    if (spec->type == SettingType::Choice) {
        int index = 0;
        if (const auto *p = member<ProtocolChoice>(self, *spec))
            index = static_cast<int>(*p);
        else if (const auto *b = member<bool>(self, *spec))
            index = *b ? 1 : 0;
        return spec->choiceList().value(index);
    }
    return std::visit(
        [&](auto field) -> QVariant {
            const auto &v = this->*field;
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, RestartWindow> || std::is_same_v<V, ReminderSchedule>)
                return v.text();
            else if constexpr (std::is_same_v<V, QList<int>>)
                return QVariant::fromValue(QVariantList(v.begin(), v.end()));
            else if constexpr (std::is_same_v<V, ProtocolChoice>)
                return protocolChoiceName(v);
            else
                return QVariant::fromValue(v);
        },
        fields()[spec->name()]);
}

QString Config::fileDrift() const
{
    if (!QFileInfo::exists(m_path))
        return QStringLiteral("the configuration file %1 was deleted; the service goes on with the configuration "
                              "loaded at start and writes it back when a key changes")
            .arg(m_path);
    IniFile onDisk;
    IniFile::Error perr;
    if (onDisk.load(m_path, &perr) && onDisk.serialize() == m_ini.serialize())
        return {};
    Config probe;
    QString error;
    if (!probe.load(m_path, &error))
        return QStringLiteral("the configuration file %1 was changed and does not load (%2); the service goes on "
                              "with the configuration loaded at start, but would not start again with this file")
            .arg(m_path, error);
    return QStringLiteral("the configuration file %1 was changed; the service goes on with the configuration loaded "
                          "at start: restart it to apply the change")
        .arg(m_path);
}

bool Config::storeValue(const QString &section, const QString &key, const QString &value, QString *error)
{
    // Values come from the server (keys): one with a line break would add or break lines of the file.
    if (!IniFile::isStorable(value)) {
        if (error)
            *error = QStringLiteral("the value for [%1] %2 cannot be stored in %3: it contains a line break or control "
                                    "character, or starts or ends with a blank")
                         .arg(section, key, m_path);
        return false;
    }
    m_ini.setValue(section, key, value);
    return m_ini.save(m_path, error);
}

bool Config::storeAgentKey(const QString &key, QString *error)
{
    if (!storeValue(QStringLiteral("agent"), QStringLiteral("agent-key"), key, error))
        return false;
    agentKey = key;
    return true;
}

bool Config::storeServerKey(const QString &key, QString *error)
{
    if (!storeValue(QStringLiteral("server"), QStringLiteral("server-key"), key, error))
        return false;
    serverKey = key;
    return true;
}

bool Config::storeApiUrl(const QString &url, QString *error)
{
    if (!storeValue(QStringLiteral("server"), QStringLiteral("api-url"), url, error))
        return false;
    apiUrl = url;
    return true;
}

bool Config::storeProtocol(ProtocolChoice p, QString *error)
{
    if (!storeValue(QStringLiteral("server"), QStringLiteral("protocol"), protocolChoiceName(p), error))
        return false;
    protocol = p;
    return true;
}

} // namespace oco
