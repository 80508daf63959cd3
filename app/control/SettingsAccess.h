#pragma once

#include "config/Config.h"
#include "controlproto/ControlProtocol.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace oco {

class Agent;
using control::Access;

// The settings as the control socket shows and changes them: what a peer may see, what only root may change
// in the file, and the checked write of a change.

// The settings as `access` may see them (passwords inside URLs only for root).
QJsonObject settingsJson(const Config &config, Access access);
// The settings only root may change, in the config file, each with the reason.
QJsonObject fileOnlySettings(const QString &configPath);
// scheme://user:password@host -> scheme://user:***@host, wherever it appears in the text.
QString hideUrlPasswords(const QString &text);

// Applies `changes` (key -> JSON value) to the file at configPath: checked on a copy first, so the file
// changes only when every value passes, and then in one atomic write. On success *fresh holds the
// configuration loaded from the written file and *names the changed keys, sorted; otherwise *reason says why.
bool writeSettings(const QString &configPath, const QJsonObject &changes, Config *fresh, QStringList *names,
                   QString *reason);

// Changes of the settings through the control socket. A contact with the server holds the Config by reference,
// and its blocking steps (a download, a procedure, the service checks) serve the socket meanwhile: a change that
// arrives during a contact is checked and written to the file at once, but the service takes it over only when
// that contact has ended, so each contact runs with one set of settings from start to end.
class SettingsChanges : public QObject
{
    Q_OBJECT
public:
    // `applied` runs whenever the service takes changed settings over.
    SettingsChanges(Config &config, Agent &agent, std::function<void()> applied, QObject *parent = nullptr);

    enum class Effect
    {
        Now,
        AfterContact
    };
    // Checks and writes `changes` (key -> JSON value) for `who`; false with *reason when refused. *names are the
    // changed keys, sorted.
    bool change(const QJsonObject &changes, const QString &who, QStringList *names, Effect *effect, QString *reason);
    // What get_settings shows: the saved settings, those waiting for the end of a contact included.
    const Config &saved() const { return m_waiting ? *m_waiting : m_config; }
    // A contact (hello, inventory, jobs) is running.
    bool contactRunning() const;

private:
    void applyWaiting();
    void use(const Config &fresh);

    Config &m_config;
    Agent &m_agent;
    std::function<void()> m_applied;
    std::optional<Config> m_waiting;
    QJsonObject m_waitingChanges;
};

} // namespace oco
