#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace oco {

class Config;
enum class Access;

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

} // namespace oco
