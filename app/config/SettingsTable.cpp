#include "SettingsTable.h"

#include <QLocale>
#include <QtGlobal>

#include <cstdint>

namespace oco {

namespace {

// The reasons why only root may change a setting, in the file.
const char kTrust[] = "it decides which server this computer trusts and runs jobs from as root";
const char kKey[] = "it is a key";
const char kCommand[] = "it is a command the service runs as root";
const char kVoice[] = "every user reads it as the organisation's word";

const char *const kProtocolWords[] = {
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Automatic (the server decides)"),
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "OCO 2021"),
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "OCO v1.0.2 to v1.1.6 (plaintext key)"),
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Current OCO server"),
};
const char *const kNobodyWords[] = {
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Restart or shut down at once"),
    QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Wait for the restart window"),
};

using T = SettingType;
using A = SettingAccess;
using G = SettingGroup;
constexpr double kDay = 86400;

// Desk settings (intervals, timeouts, debug, the restart policy) may be changed through the control socket;
// whatever amounts to running code as root or to a new trust anchor stays with root and the file.
// Labels keep the dialog's translation context, so the tray's translations find them.
const QList<SettingSpec> kTable = {
    {"server", "api-url", T::Url, "", A::RootFile, kTrust, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Server URL")},
    {"server", "payload-url", T::Url, "", A::RootFile, kTrust, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Payload URL")},
    // "legacy" is an older spelling of 2021; an empty value means auto.
    {"server", "protocol", T::Choice, "auto", A::RootFile, "it decides how the server's replies are verified",
     G::Server, QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Protocol"), 0, 0, "auto,|2021,legacy|plain|current",
     false, false, kProtocolWords},
    {"agent", "query-interval", T::Number, "60", A::Desk, nullptr, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Check interval (seconds)"), 0.1, 31 * kDay},
    {"agent", "agent-key", T::Secret, "", A::RootFile, kKey, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Agent key")},
    {"server", "server-key", T::Secret, "", A::RootFile, kKey, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Server key")},
    {"server", "ca-file", T::Text, "", A::RootFile, kTrust, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "TLS CA file")},
    {"server", "pin-sha256", T::Text, "", A::RootFile, kTrust, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Pinned certificate (SHA-256)")},
    {"server", "proxy", T::Text, "system", A::RootFile, "it decides which host carries the server's replies", G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Proxy")},
    {"agent", "connection-timeout", T::Number, "3.05", A::Desk, nullptr, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Connection timeout (seconds)"), 0.1, 3600},
    {"agent", "read-timeout", T::Number, "150", A::Desk, nullptr, G::Server,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Read timeout (seconds)"), 0.1, kDay},

    {"power", "max-postponements", T::Integer, "3", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Maximum postponements"), 0, 1000},
    {"power", "postpone-choices", T::MinutesList, "60, 240, 480", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Postpone choices (minutes)"), 1, 7 * 24 * 60},
    {"power", "hard-deadline-hours", T::Number, "24", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Hard deadline (hours after the job)"), 0, 24 * 365},
    {"power", "final-countdown-minutes", T::Number, "5", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Final countdown (minutes)"), 0, 24 * 60},
    {"power", "restart-window", T::RestartWindow, "", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Restart window")},
    {"power", "when-nobody-logged-in", T::Choice, "now", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "When nobody is logged in"), 0, 0, "now|window", false, false,
     kNobodyWords},
    {"power", "time-choice-step-minutes", T::Integer, "60", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Times to choose from (every … minutes)"), 0, 1440},
    {"power", "reminder-interval-minutes", T::Number, "240", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Reminder interval (minutes)"), 1, 7 * 24 * 60},
    {"power", "reminder-schedule", T::ReminderSchedule, "240:60, 30, 15, 10, 5", A::Desk, nullptr, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Reminders near the deadline")},
    {"power", "restart-command", T::Command, "systemctl reboot", A::RootFile, kCommand, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Restart command")},
    {"power", "shutdown-command", T::Command, "systemctl poweroff", A::RootFile, kCommand, G::Restarts,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Shutdown command")},

    {"ui", "organisation", T::Text, "", A::RootFile, kVoice, G::Organisation,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Organisation name"), 0, 0, nullptr, true},
    {"ui", "logo", T::Image, "", A::RootFile, kVoice, G::Organisation,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Logo file")},
    {"ui", "message", T::Text, "", A::RootFile, kVoice, G::Organisation,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Message in every notice"), 0, 0, nullptr, true},
    {"ui", "info-url", T::Url, "", A::RootFile, kVoice, G::Organisation,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "“More information” link"), 0, 0, nullptr, true},
    {"ui", "helpdesk-url", T::Link, "", A::RootFile, kVoice, G::Organisation,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Help desk link"), 0, 0, nullptr, true},

    {"power", "admin-group", T::Text, "", A::RootFile, "it decides who may change settings", G::Details,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Admin group")},
    {"agent", "debug", T::Bool, "0", A::Desk, nullptr, G::Details,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Debug logging")},
    {"agent", "job-timeout", T::Number, "7200", A::Desk, nullptr, G::Details,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Job timeout (seconds)"), 1, 30 * kDay},
    {"agent", "report-job-output", T::Number, "5", A::Desk, nullptr, G::Details,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Job output sent to the server (bytes)"), 0, kDay},
    {"agent", "hostname-remove-domain", T::Bool, "1", A::RootFile,
     "it changes the name this computer is known by on the server", G::Details,
     QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Report the host name without the domain")},
    {"agent", "control-socket", T::Text, "/run/oco-agent/control.sock", A::RootFile,
     "it decides where the service listens", G::Details, QT_TRANSLATE_NOOP("oco::ui::SettingsDialog", "Control socket"),
     0, 0, nullptr, false, true},

    // The file's alone.
    {"agent", "machine-uid", T::Text, "", A::FileOnly, nullptr, G::Details, nullptr},
    {"agent", "auth-backoff-base", T::Number, "60", A::FileOnly, nullptr, G::Details, nullptr, 0.1, kDay},
    {"agent", "stop-grace-seconds", T::Number, "60", A::FileOnly, nullptr, G::Details, nullptr, 0, kDay},
    {"agent", "extract-max-mib", T::Number, "16384", A::FileOnly, nullptr, G::Details, nullptr, 1,
     1024.0 * 1024 * 1024},
    {"agent", "extract-max-entries", T::Number, "200000", A::FileOnly, nullptr, G::Details, nullptr, 1, 1e9},
    {"agent", "service-checks", T::Text, "/usr/lib/oco-agent/service-checks", A::FileOnly, nullptr, G::Details,
     nullptr},
    {"agent", "service-check-timeout", T::Number, "30", A::FileOnly, nullptr, G::Details, nullptr, 1, 3600},
    {"linux", "local-users-min-uid", T::Integer, "1000", A::FileOnly, nullptr, G::Details, nullptr, 0, INT32_MAX},
    {"linux", "local-users-max-uid", T::Integer, "65534", A::FileOnly, nullptr, G::Details, nullptr, 0, INT32_MAX},
};

} // namespace

QString plainNumber(double d)
{
    return QString::number(d, 'f', QLocale::FloatingPointShortest);
}

QStringList SettingSpec::choiceList() const
{
    QStringList out;
    const QStringList entries = QString::fromLatin1(choices).split(QLatin1Char('|'));
    for (const QString &entry : entries)
        out << entry.section(QLatin1Char(','), 0, 0);
    return out;
}

QString SettingSpec::jsonName() const
{
    if (type != SettingType::Secret)
        return name();
    return name().replace(QLatin1Char('-'), QLatin1Char('_')) + QStringLiteral("_set");
}

QString SettingSpec::rangeText() const
{
    return QStringLiteral("%1 to %2").arg(plainNumber(min), plainNumber(max));
}

const QList<SettingSpec> &settingsTable()
{
    return kTable;
}

const SettingSpec *findSetting(const QString &name)
{
    for (const SettingSpec &s : kTable)
        if (name == QLatin1String(s.key) || (s.type == SettingType::Secret && name == s.jsonName()))
            return &s;
    return nullptr;
}

} // namespace oco
