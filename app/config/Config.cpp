#include "Config.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

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

// 2678400 rather than 2.6784e+06 in messages.
QString plain(double d)
{
    return QString::number(d, 'f', QLocale::FloatingPointShortest);
}

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
            return fail(section, key,
                        QStringLiteral("%1 is out of range (allowed: %2 to %3)").arg(v, plain(min), plain(max)));
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

private:
    const IniFile &m_ini;
    QString *m_error;
};

} // namespace

bool Config::load(const QString &path, QString *error)
{
    m_path = path;
    IniFile::Error perr;
    if (!m_ini.load(path, &perr)) {
        if (error)
            *error = perr.toString();
        return false;
    }
    Reader r(m_ini, error);
    const QString A = QStringLiteral("agent"), S = QStringLiteral("server"), L = QStringLiteral("linux"),
                  P = QStringLiteral("power"), U = QStringLiteral("ui");
    if (!r.boolean(A, QStringLiteral("debug"), &debug) ||
        !r.number(A, QStringLiteral("query-interval"), &queryInterval, 0.1, 31 * 86400) ||
        !r.string(A, QStringLiteral("agent-key"), &agentKey) ||
        !r.number(A, QStringLiteral("connection-timeout"), &connectionTimeout, 0.1, 3600) ||
        !r.number(A, QStringLiteral("read-timeout"), &readTimeout, 0.1, 86400) ||
        !r.boolean(A, QStringLiteral("hostname-remove-domain"), &hostnameRemoveDomain) ||
        !r.string(A, QStringLiteral("machine-uid"), &machineUid) ||
        !r.number(A, QStringLiteral("job-timeout"), &jobTimeout, 1, 30 * 86400) ||
        !r.number(A, QStringLiteral("report-job-output"), &reportJobOutput, 0, 86400) ||
        !r.number(A, QStringLiteral("auth-backoff-base"), &authBackoffBase, 0.1, 86400) ||
        !r.number(A, QStringLiteral("stop-grace-seconds"), &stopGraceSeconds, 0, 86400) ||
        !r.number(A, QStringLiteral("extract-max-mib"), &extractMaxMiB, 1, 1024.0 * 1024 * 1024) ||
        !r.number(A, QStringLiteral("extract-max-entries"), &extractMaxEntries, 1, 1e9) ||
        !r.string(A, QStringLiteral("control-socket"), &controlSocket) ||
        !r.string(A, QStringLiteral("service-checks"), &serviceChecksDir) ||
        !r.number(A, QStringLiteral("service-check-timeout"), &serviceCheckTimeout, 1, 3600) ||
        !r.url(S, QStringLiteral("api-url"), &apiUrl) || !r.url(S, QStringLiteral("payload-url"), &payloadUrl) ||
        !r.string(S, QStringLiteral("server-key"), &serverKey) || !r.string(S, QStringLiteral("ca-file"), &caFile) ||
        !r.string(S, QStringLiteral("pin-sha256"), &pinSha256) || !r.string(S, QStringLiteral("proxy"), &proxy) ||
        !r.integer(L, QStringLiteral("local-users-min-uid"), &localUsersMinUid, 0, INT32_MAX) ||
        !r.integer(L, QStringLiteral("local-users-max-uid"), &localUsersMaxUid, 0, INT32_MAX) ||
        !r.integer(P, QStringLiteral("max-postponements"), &maxPostponements, 0, 1000) ||
        !r.number(P, QStringLiteral("hard-deadline-hours"), &hardDeadlineHours, 0, 24 * 365) ||
        !r.number(P, QStringLiteral("final-countdown-minutes"), &finalCountdownMinutes, 0, 24 * 60) ||
        !r.number(P, QStringLiteral("reminder-interval-minutes"), &reminderIntervalMinutes, 1, 7 * 24 * 60) ||
        !r.command(P, QStringLiteral("restart-command"), &restartCommand) ||
        !r.command(P, QStringLiteral("shutdown-command"), &shutdownCommand) ||
        !r.string(P, QStringLiteral("admin-group"), &adminGroup) ||
        !r.string(U, QStringLiteral("message"), &noticeMessage) || !r.url(U, QStringLiteral("info-url"), &infoUrl) ||
        !r.string(U, QStringLiteral("organisation"), &organisation) || !r.image(U, QStringLiteral("logo"), &logoPath) ||
        !r.link(U, QStringLiteral("helpdesk-url"), &helpdeskUrl))
        return false;

    // Translations like opsi's: `message[de] = ...`; the language is a code as in LANG (de, de_AT, pt-BR).
    uiTexts.clear();
    static const QRegularExpression translated(QStringLiteral("^([a-z-]+)\\[([^\\]]*)\\]$"));
    static const QRegularExpression language(QStringLiteral("^[a-z]{2,3}([_-][a-z0-9]{2,8})?$"));
    const QStringList uiKeys{QStringLiteral("organisation"), QStringLiteral("message"), QStringLiteral("info-url"),
                             QStringLiteral("helpdesk-url")};
    for (const QString &key : m_ini.keys(U)) {
        const QRegularExpressionMatch m = translated.match(key);
        QString base = key, lang;
        if (m.hasMatch()) {
            base = m.captured(1);
            lang = m.captured(2).trimmed();
            if (!uiKeys.contains(base))
                continue; // unknown keys are ignored, as everywhere
            if (!language.match(lang).hasMatch())
                return r.fail(U, key,
                              QStringLiteral("'%1' is not a language code (like de, de_AT or pt-BR)").arg(lang));
            lang.replace(QLatin1Char('-'), QLatin1Char('_'));
        } else if (!uiKeys.contains(key)) {
            continue;
        }
        QString value;
        const bool ok = base == QLatin1String("info-url")       ? r.url(U, key, &value)
                        : base == QLatin1String("helpdesk-url") ? r.link(U, key, &value)
                                                                : r.string(U, key, &value);
        if (!ok)
            return false;
        if (!value.isEmpty())
            uiTexts[base].insert(lang, value);
    }

    const QString proto = m_ini.value(S, QStringLiteral("protocol"), QStringLiteral("auto")).toLower();
    if (proto == QLatin1String("auto") || proto.isEmpty())
        protocol = ProtocolChoice::Auto;
    else if (proto == QLatin1String("2021") || proto == QLatin1String("legacy"))
        protocol = ProtocolChoice::Legacy2021;
    else if (proto == QLatin1String("plain"))
        protocol = ProtocolChoice::Plain;
    else if (proto == QLatin1String("current"))
        protocol = ProtocolChoice::Current;
    else
        return r.fail(S, QStringLiteral("protocol"),
                      QStringLiteral("'%1' is not one of auto, 2021, plain, current").arg(proto));

    if (m_ini.contains(P, QStringLiteral("postpone-choices"))) {
        postponeChoicesMinutes.clear();
        const QStringList parts =
            m_ini.value(P, QStringLiteral("postpone-choices")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        constexpr int kMaxChoice = 7 * 24 * 60;
        for (const QString &part : parts) {
            bool ok = false;
            const int m = part.trimmed().toInt(&ok);
            if (!ok || m < 1 || m > kMaxChoice)
                return r.fail(P, QStringLiteral("postpone-choices"),
                              QStringLiteral("'%1' is not a whole number of minutes (allowed: 1 to %2, separated by "
                                             "commas)")
                                  .arg(part.trimmed())
                                  .arg(kMaxChoice));
            postponeChoicesMinutes << m;
        }
    }
    if (m_ini.contains(P, QStringLiteral("restart-window"))) {
        QString why;
        if (!RestartWindow::parse(m_ini.value(P, QStringLiteral("restart-window")), &restartWindow, &why))
            return r.fail(P, QStringLiteral("restart-window"), why);
    }
    if (m_ini.contains(P, QStringLiteral("reminder-schedule"))) {
        QString why;
        if (!ReminderSchedule::parse(m_ini.value(P, QStringLiteral("reminder-schedule")), &reminderSchedule, &why))
            return r.fail(P, QStringLiteral("reminder-schedule"), why);
    }
    if (m_ini.contains(P, QStringLiteral("when-nobody-logged-in"))) {
        const QString v = m_ini.value(P, QStringLiteral("when-nobody-logged-in")).trimmed().toLower();
        if (v != QLatin1String("now") && v != QLatin1String("window"))
            return r.fail(P, QStringLiteral("when-nobody-logged-in"),
                          QStringLiteral("'%1' is not one of now, window").arg(v));
        nobodyWaitsForWindow = v == QLatin1String("window");
    }
    if (!r.integer(P, QStringLiteral("time-choice-step-minutes"), &timeChoiceStepMinutes, 0, 1440))
        return false;
    if (timeChoiceStepMinutes > 0 && 1440 % timeChoiceStepMinutes != 0)
        return r.fail(P, QStringLiteral("time-choice-step-minutes"),
                      QStringLiteral("%1 does not divide a day (use e.g. 15, 30, 60, 120; 0 for no choice of time)")
                          .arg(timeChoiceStepMinutes));
    if (localUsersMinUid > localUsersMaxUid)
        return r.fail(L, QStringLiteral("local-users-min-uid"), QStringLiteral("is larger than local-users-max-uid"));
    return true;
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
