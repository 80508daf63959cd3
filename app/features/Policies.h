#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace oco {

class StateStore;

// A manifestation string `MODULE:<path>:<key>`; on Linux only `JSON:/abs/file.json:a\b\c`.
struct PolicyDefinition
{
    QString module;
    QString path;        // absolute, clean, ends with .json
    QStringList keyPath; // the key split at '\'

    // The key is split off at the LAST ':' (paths may contain ':', key names do not); a definition without
    // a key, a relative or unclean path, or one not ending in .json is refused with a plain reason.
    static bool parse(const QString &definition, PolicyDefinition *out, QString *error);
};

struct PolicyOutcome
{
    int applied = 0;   // set or changed in a file
    int unchanged = 0; // already had the value
    int removed = 0;   // withdrawn by the server and deleted from its file
    int skippedUserScope = 0;
    QStringList errors; // invalid definitions and file problems, in plain words
};

// Applies `result.params.policies` of oco.agent.update (docs/agent-behaviour.md §11, docs/server-protocol.md §4.6) with
// the Linux JSON module: sets each key in its JSON file and deletes keys whose definitions the server no longer sends.
// Files are rewritten atomically with their mode and owner kept (new ones: 0644), only when something changed, and
// unrelated content stays. What was applied is remembered in the state directory (policies.json); a removal that fails
// is retried next time.
//
// The service runs as root, so a file is only touched when no other user can redirect the write: every
// directory on the way must belong to root (or the agent's own user) and not be writable by group or others
// (ancestors may be sticky, like /tmp; the file's own directory may not). Symbolic links on the way are
// followed only when root owns them; the file itself is never a link. Owner and mode are set on the new
// file's descriptor before it replaces the old one.
//
// Scopes: only `machine` is applied. User scopes (keyed by a domain user's uid) would land in the same
// machine-wide files and so reach every user; they are skipped with one log line instead.
class PolicyApplier
{
public:
    // `policies` as received; undefined or null (servers before v1.1.12) changes nothing, while [] or {}
    // is an empty set and withdraws what was applied before.
    static PolicyOutcome apply(const QJsonValue &policies, StateStore &state);
    static QString cacheFileName() { return QStringLiteral("policies.json"); }
    // A policy value as it goes into the file: strings holding a JSON object or array are parsed.
    static QJsonValue fileValue(const QJsonValue &value);
};

} // namespace oco
