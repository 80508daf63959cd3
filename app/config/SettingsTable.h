#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace oco {

// How a setting's text in oco-agent.ini is read, and how the control socket and the settings dialog show it.
enum class SettingType
{
    Bool,             // 1/0, true/false, yes/no, on/off
    Number,           // a number within [min, max]
    Integer,          // a whole number within [min, max]
    Text,             // any one line
    Secret,           // a key: the socket says only whether it is set
    Url,              // http or https
    Link,             // http(s), mailto: or tel:
    Image,            // an absolute path to a PNG or JPEG of at most 256 KiB
    Command,          // a program and its arguments, split like a shell splits words (no expansion)
    Choice,           // one of `choices`
    MinutesList,      // whole minutes from 1 to max, separated by commas
    RestartWindow,    // days and times (power/RestartWindow.h)
    ReminderSchedule, // W:I and M entries (power/ReminderSchedule.h)
};

// Who may change a setting.
enum class SettingAccess
{
    Desk,     // root and the admin group, through the control socket (the tray's settings dialog)
    RootFile, // shown to everyone; only root changes it, in the file (`rootOnlyBecause` says why)
    FileOnly, // read from the file only: the control socket neither shows nor changes it
};

// Where the settings dialog shows a setting.
enum class SettingGroup
{
    Server,
    Restarts,
    Organisation,
    Details
};

// One key of oco-agent.ini: the one place that names it, its type, range, default and who may change it.
struct SettingSpec
{
    const char *section;
    const char *key;
    SettingType type;
    const char *defaultValue; // as written in the file
    SettingAccess access;
    const char *rootOnlyBecause; // RootFile: the reason, completing "only root may change it: ..."
    SettingGroup group;
    const char *label; // for the dialog; translated there in the context "oco::ui::SettingsDialog"
    double min = 0;    // Number, Integer; MinutesList: the largest entry is max
    double max = 0;
    const char *choices = nullptr;             // Choice: the values, separated by '|', the default first
    bool translatable = false;                 // [ui] texts: also KEY[lang] = ...
    bool readAtStart = false;                  // used when the service starts only: a change needs a restart
    const char *const *choiceLabels = nullptr; // Choice: the dialog's words for each choice, in their order

    QString name() const { return QLatin1String(key); }
    QString sectionName() const { return QLatin1String(section); }
    QStringList choiceList() const;
    // The name in the control socket's settings object: the key, or "agent_key_set" for a Secret.
    QString jsonName() const;
    // "0.1 to 2678400" as the error messages and the sample config write ranges.
    QString rangeText() const;
};

// Every key this agent reads from oco-agent.ini: the official agent's (docs/agent-behaviour.md §2) and ours,
// in the order the settings dialog shows them.
const QList<SettingSpec> &settingsTable();
// The spec of a key ("query-interval") or of its socket name ("agent_key_set"); nullptr when there is none.
const SettingSpec *findSetting(const QString &name);
// A number as the messages write it: 2678400 rather than 2.6784e+06.
QString plainNumber(double d);

} // namespace oco
