#include "Policies.h"

#include "core/AtomicFile.h"
#include "core/Log.h"
#include "core/StateStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <sys/stat.h>
#include <unistd.h>

namespace oco {

namespace {

const QString MachineScope = QStringLiteral("machine");

struct Change
{
    QString definition;
    QStringList keyPath;
    QJsonValue value;
    bool remove = false;
};

bool setPath(QJsonObject &obj, const QStringList &keys, qsizetype i, const QJsonValue &value, QString *error)
{
    const QString &k = keys.at(i);
    if (i == keys.size() - 1) {
        obj.insert(k, value);
        return true;
    }
    QJsonValue child = obj.value(k);
    if (!child.isUndefined() && !child.isNull() && !child.isObject()) {
        *error =
            QStringLiteral("'%1' holds a value that is not an object").arg(keys.mid(0, i + 1).join(QLatin1Char('\\')));
        return false;
    }
    QJsonObject sub = child.toObject();
    if (!setPath(sub, keys, i + 1, value, error))
        return false;
    obj.insert(k, sub);
    return true;
}

// Deletes the leaf; the objects around it stay, as they may hold other settings.
void removePath(QJsonObject &obj, const QStringList &keys, qsizetype i)
{
    const QString &k = keys.at(i);
    if (i == keys.size() - 1) {
        obj.remove(k);
        return;
    }
    if (!obj.value(k).isObject())
        return;
    QJsonObject sub = obj.value(k).toObject();
    removePath(sub, keys, i + 1);
    obj.insert(k, sub);
}

QJsonObject scopeMap(const QJsonValue &v)
{
    return v.isObject() ? v.toObject() : QJsonObject(); // PHP sends an empty map as []
}

// Reads `path` ({} when absent). Follows a symlink to its target so the link stays in place.
bool loadJsonFile(const QString &path, QString *target, QJsonObject *doc, bool *exists, QString *error)
{
    const QFileInfo fi(path);
    *target = path;
    *exists = fi.exists();
    if (fi.isSymLink()) {
        const QString resolved = fi.canonicalFilePath();
        if (resolved.isEmpty()) {
            *error = QStringLiteral("%1 is a dangling symbolic link").arg(path);
            return false;
        }
        if (!resolved.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
            *error = QStringLiteral("%1 links to %2, which is not a .json file").arg(path, resolved);
            return false;
        }
        *target = resolved;
    }
    if (!*exists) {
        *doc = {};
        return true;
    }
    if (!QFileInfo(*target).isFile()) {
        *error = QStringLiteral("%1 is not a regular file").arg(*target);
        return false;
    }
    QByteArray bytes;
    if (!readWholeFile(*target, &bytes, error))
        return false;
    if (bytes.trimmed().isEmpty()) {
        *doc = {};
        return true;
    }
    QJsonParseError perr;
    const QJsonDocument d = QJsonDocument::fromJson(bytes, &perr);
    if (perr.error != QJsonParseError::NoError || !d.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object (%2); it is left as it is")
                     .arg(*target, perr.error != QJsonParseError::NoError ? perr.errorString()
                                                                          : QStringLiteral("top level is not {}"));
        return false;
    }
    *doc = d.object();
    return true;
}

bool saveJsonFile(const QString &target, bool existed, const QJsonObject &doc, QString *error)
{
    struct stat st
    {
    };
    int mode = 0644;
    bool haveOwner = false;
    if (existed && ::stat(QFile::encodeName(target).constData(), &st) == 0) {
        mode = static_cast<int>(st.st_mode & 07777);
        haveOwner = true;
    }
    const QString dir = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the directory %1").arg(dir);
        return false;
    }
    if (!writeFileAtomic(target, QJsonDocument(doc).toJson(QJsonDocument::Indented), mode, error))
        return false;
    if (haveOwner && (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) &&
        ::chown(QFile::encodeName(target).constData(), st.st_uid, st.st_gid) != 0)
        qCWarning(lcAgent).noquote() << "policies: could not give" << target << "back to its owner" << st.st_uid;
    return true;
}

} // namespace

bool PolicyDefinition::parse(const QString &definition, PolicyDefinition *out, QString *error)
{
    const qsizetype first = definition.indexOf(QLatin1Char(':'));
    if (first <= 0) {
        *error = QStringLiteral("'%1' is not MODULE:path:key").arg(definition);
        return false;
    }
    out->module = definition.left(first);
    const QString rest = definition.mid(first + 1);
    const qsizetype last = rest.lastIndexOf(QLatin1Char(':'));
    if (last < 0) {
        *error = QStringLiteral("'%1' has no key (expected %2:path:key)").arg(definition, out->module);
        return false;
    }
    out->path = rest.left(last);
    const QString key = rest.mid(last + 1);
    if (out->module != QLatin1String("JSON")) {
        *error = QStringLiteral("'%1': module %2 is not available on Linux (only JSON)").arg(definition, out->module);
        return false;
    }
    if (!out->path.startsWith(QLatin1Char('/')) || QDir::cleanPath(out->path) != out->path ||
        !out->path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) || out->path.contains(QChar(0))) {
        *error = QStringLiteral("'%1': '%2' is not an absolute, clean path to a .json file").arg(definition, out->path);
        return false;
    }
    out->keyPath = key.split(QLatin1Char('\\'));
    for (const QString &k : std::as_const(out->keyPath)) {
        if (k.isEmpty()) {
            *error = QStringLiteral("'%1': the key '%2' is empty or has an empty part").arg(definition, key);
            return false;
        }
    }
    return true;
}

QJsonValue PolicyApplier::fileValue(const QJsonValue &value)
{
    if (value.isString()) {
        const QString t = value.toString().trimmed();
        if (t.startsWith(QLatin1Char('{')) || t.startsWith(QLatin1Char('['))) {
            const QJsonDocument d = QJsonDocument::fromJson(t.toUtf8());
            if (d.isObject())
                return d.object();
            if (d.isArray())
                return d.array();
        }
    }
    return value;
}

PolicyOutcome PolicyApplier::apply(const QJsonValue &policies, StateStore &state)
{
    PolicyOutcome outcome;
    if (policies.isUndefined() || policies.isNull())
        return outcome; // a server before v1.1.12 has no policies: leave everything as it is
    QJsonObject cache;
    QString err;
    if (!state.readJsonFile(cacheFileName(), &cache, &err)) {
        // Without the record of what was applied, removals cannot be done safely: stop here.
        outcome.errors << err;
        qCWarning(lcAgent).noquote() << "policies not applied:" << err;
        return outcome;
    }
    const QJsonObject previous = scopeMap(cache.value(QStringLiteral("applied")).toObject().value(MachineScope));

    const QJsonObject scopes = scopeMap(policies);
    QStringList userScopes;
    for (auto it = scopes.begin(); it != scopes.end(); ++it) {
        if (it.key() != MachineScope && !scopeMap(it.value()).isEmpty()) {
            userScopes << it.key();
            outcome.skippedUserScope += static_cast<int>(scopeMap(it.value()).size());
        }
    }
    if (!userScopes.isEmpty())
        qCInfo(lcAgent).noquote() << "policies:" << outcome.skippedUserScope << "definition(s) for" << userScopes.size()
                                  << "user scope(s) not applied: Linux JSON policy files are machine-wide and would "
                                     "reach every user";
    const QJsonObject desired = scopeMap(scopes.value(MachineScope));

    // Group the work per file so each file is read and written once.
    QMap<QString, QList<Change>> perFile;
    auto note = [&](const QString &message) {
        outcome.errors << message;
        qCWarning(lcAgent).noquote() << "policies:" << message;
    };
    for (auto it = desired.begin(); it != desired.end(); ++it) {
        PolicyDefinition def;
        if (!PolicyDefinition::parse(it.key(), &def, &err)) {
            note(err + QStringLiteral("; skipped"));
            continue;
        }
        perFile[def.path].append({it.key(), def.keyPath, fileValue(it.value()), false});
    }
    for (auto it = previous.begin(); it != previous.end(); ++it) {
        if (desired.contains(it.key()))
            continue;
        PolicyDefinition def;
        if (PolicyDefinition::parse(it.key(), &def, &err))
            perFile[def.path].append({it.key(), def.keyPath, QJsonValue(), true});
    }

    QJsonObject applied;
    // A definition that could not be changed keeps its old record, so it is removed (or retried) later.
    auto keepPrevious = [&](const Change &c) {
        if (previous.contains(c.definition))
            applied.insert(c.definition, previous.value(c.definition));
    };
    for (auto f = perFile.begin(); f != perFile.end(); ++f) {
        QString target;
        QJsonObject doc;
        bool existed = false;
        if (!loadJsonFile(f.key(), &target, &doc, &existed, &err)) {
            note(err);
            for (const Change &c : f.value())
                keepPrevious(c);
            continue;
        }
        const QJsonObject before = doc;
        QList<Change> done;
        int setCount = 0, removeCount = 0;
        for (const Change &c : f.value()) {
            if (c.remove) {
                removePath(doc, c.keyPath, 0);
                ++removeCount;
                continue;
            }
            QJsonObject trial = doc;
            if (!setPath(trial, c.keyPath, 0, c.value, &err)) {
                note(QStringLiteral("%1: %2 in %3; skipped").arg(c.definition, err, target));
                keepPrevious(c);
                continue;
            }
            if (trial == doc)
                ++outcome.unchanged;
            else
                ++setCount;
            doc = trial;
            done.append(c);
        }
        if (doc != before && !saveJsonFile(target, existed, doc, &err)) {
            note(err);
            for (const Change &c : f.value())
                keepPrevious(c);
            continue;
        }
        outcome.applied += setCount;
        outcome.removed += removeCount;
        for (const Change &c : std::as_const(done))
            applied.insert(c.definition, c.value);
    }

    QJsonObject appliedScopes{{MachineScope, applied}};
    cache = QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("applied"), appliedScopes}};
    if (!state.writeJsonFile(cacheFileName(), cache, &err))
        note(QStringLiteral("cannot remember the applied policies: %1").arg(err));
    if (outcome.applied || outcome.removed)
        qCInfo(lcAgent).noquote() << "policies:" << outcome.applied << "set," << outcome.removed << "removed,"
                                  << outcome.unchanged << "already in place";
    return outcome;
}

} // namespace oco
