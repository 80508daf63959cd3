#pragma once

#include "IniFile.h"
#include "power/ReminderSchedule.h"
#include "power/RestartWindow.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace oco {

enum class ProtocolChoice
{
    Auto,
    Legacy2021,
    Plain, // servers v1.0.2-v1.1.6: dotted names, plaintext keys, no signatures
    Current
};

QString protocolChoiceName(ProtocolChoice p);

// Typed view of oco-agent.ini. The keys, their types, ranges and defaults are those of the settings table
// (SettingsTable.h): the official agent's (docs/agent-behaviour.md §2) plus our own additions; unknown keys are
// ignored but kept when the file is written back. A new Config holds the table's defaults.
class Config
{
public:
    Config();

    // [agent]
    bool debug{};
    double queryInterval{};
    QString agentKey;
    double connectionTimeout{};
    double readTimeout{};
    bool hostnameRemoveDomain{};
    QString machineUid;
    double jobTimeout{};
    double reportJobOutput{};
    double authBackoffBase{}; // seconds; the first wait after an HTTP 401 is twice max(this, query-interval)
    // Jobs: how long a running job may go on after SIGTERM, and what a package may expand to.
    double stopGraceSeconds{};
    double extractMaxMiB{};
    double extractMaxEntries{};
    QString controlSocket;
    QString serviceChecksDir;
    double serviceCheckTimeout{}; // seconds per check script; a hanging check must not stall the hello
    // [server]
    QString apiUrl;
    QString payloadUrl;
    QString serverKey;
    ProtocolChoice protocol = ProtocolChoice::Auto;
    QString caFile;
    QString pinSha256;
    QString proxy;
    // [linux]
    int localUsersMinUid{};
    int localUsersMaxUid{};
    // [power]
    int maxPostponements{};
    QList<int> postponeChoicesMinutes;
    double hardDeadlineHours{};
    double finalCountdownMinutes{};
    double reminderIntervalMinutes{}; // far from the deadline; reminderSchedule takes over near it
    ReminderSchedule reminderSchedule;
    RestartWindow restartWindow; // empty: any time
    bool nobodyWaitsForWindow{}; // when-nobody-logged-in = now | window
    int timeChoiceStepMinutes{}; // the grid of times a person may choose; 0: no choice of time
    QStringList restartCommand;
    QStringList shutdownCommand;
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
    // The value of a key of the settings table as the service uses it: a bool, number, text or list; a choice
    // as its name, a window or schedule as its text. Invalid for a key the table does not have.
    QVariant value(const QString &key) const;

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
