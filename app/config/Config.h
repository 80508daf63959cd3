#pragma once

#include "IniFile.h"
#include "power/ReminderSchedule.h"
#include "power/RestartWindow.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace oco {

enum class ProtocolChoice
{
    Auto,
    Legacy2021,
    Plain, // servers v1.0.2-v1.1.6: dotted names, plaintext keys, no signatures
    Current
};

QString protocolChoiceName(ProtocolChoice p);

// Typed view of oco-agent.ini. Keys are those of the official agent (docs/agent-behaviour.md §2) plus our own
// additions; unknown keys are ignored but kept when the file is written back.
class Config
{
public:
    // [agent]
    bool debug = false;
    double queryInterval = 60;
    QString agentKey;
    double connectionTimeout = 3.05;
    double readTimeout = 150;
    bool hostnameRemoveDomain = true;
    QString machineUid;
    double jobTimeout = 7200;
    double reportJobOutput = 5;
    double authBackoffBase = 60; // seconds; the first wait after an HTTP 401 is twice max(this, query-interval)
    // Jobs: how long a running job may go on after SIGTERM, and what a package may expand to.
    double stopGraceSeconds = 60;
    double extractMaxMiB = 16384;
    double extractMaxEntries = 200000;
    QString controlSocket = QStringLiteral("/run/oco-agent/control.sock");
    QString serviceChecksDir = QStringLiteral("/usr/lib/oco-agent/service-checks");
    double serviceCheckTimeout = 30; // seconds per check script; a hanging check must not stall the hello
    // [server]
    QString apiUrl;
    QString payloadUrl;
    QString serverKey;
    ProtocolChoice protocol = ProtocolChoice::Auto;
    QString caFile;
    QString pinSha256;
    QString proxy = QStringLiteral("system");
    // [linux]
    int localUsersMinUid = 1000;
    int localUsersMaxUid = 65534;
    // [power]
    int maxPostponements = 3;
    QList<int> postponeChoicesMinutes{60, 240, 480};
    double hardDeadlineHours = 24;
    double finalCountdownMinutes = 5;
    double reminderIntervalMinutes = 240; // far from the deadline; reminderSchedule takes over near it
    ReminderSchedule reminderSchedule = ReminderSchedule::standard();
    RestartWindow restartWindow;       // empty: any time
    bool nobodyWaitsForWindow = false; // when-nobody-logged-in = now | window
    int timeChoiceStepMinutes = 60;    // the grid of times a person may choose; 0: no choice of time
    QStringList restartCommand{QStringLiteral("systemctl"), QStringLiteral("reboot")};
    QStringList shutdownCommand{QStringLiteral("systemctl"), QStringLiteral("poweroff")};
    QString adminGroup;
    // [ui]: the admin's words in every restart notice, and a link for more information (http or https)
    QString noticeMessage;
    QString infoUrl;
    // [ui] organisation, logo (a PNG or JPEG of at most kMaxLogoBytes, read by the service) and helpdesk-url
    // (http, https, mailto or tel).
    QString organisation;
    QString logoPath;
    QString helpdeskUrl;
    static constexpr qint64 kMaxLogoBytes = 256 * 1024;
    // The texts the trays show, per key (organisation, message, info-url, helpdesk-url) and language: "" holds
    // the plain key, "de" or "pt_br" the translations given as `message[de] = ...`.
    QMap<QString, QMap<QString, QString>> uiTexts;

    // Loads and validates; on failure returns false with a message naming the file, line and key.
    bool load(const QString &path, QString *error);
    QString path() const { return m_path; }

    // Persist single values (atomic write, mode 0600, everything else in the file kept).
    bool storeAgentKey(const QString &key, QString *error);
    bool storeServerKey(const QString &key, QString *error);
    bool storeApiUrl(const QString &url, QString *error);
    bool storeProtocol(ProtocolChoice p, QString *error);
    bool storeValue(const QString &section, const QString &key, const QString &value, QString *error);

    const IniFile &ini() const { return m_ini; }

    // The service keeps the configuration it loaded at start (and what it stored since). This says, in
    // words, when the file on disk no longer matches it (deleted, or edited and whether that edit would
    // load); empty while it matches.
    QString fileDrift() const;

private:
    IniFile m_ini;
    QString m_path;
};

// Splits a command line into arguments the way a POSIX shell would split words (quotes and
// backslashes), without any expansion. Returns false on an unterminated quote.
bool splitCommandLine(const QString &text, QStringList *args);

} // namespace oco
