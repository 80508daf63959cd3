#include "Policies.h"

#include "core/Log.h"
#include "core/StateStore.h"
#include "platform/SecureFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

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

// Reads `path` ({} when absent or empty) after checking its directory chain.
bool loadJsonFile(const QString &path, platform::TrustedFile *file, QJsonObject *doc, QString *error)
{
    *doc = {};
    QByteArray bytes;
    if (!file->read(path, &bytes, error))
        return false;
    if (bytes.trimmed().isEmpty())
        return true;
    QJsonParseError perr;
    const QJsonDocument d = QJsonDocument::fromJson(bytes, &perr);
    if (perr.error != QJsonParseError::NoError || !d.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object (%2); it is left as it is")
                     .arg(path, perr.error != QJsonParseError::NoError ? perr.errorString()
                                                                       : QStringLiteral("top level is not {}"));
        return false;
    }
    *doc = d.object();
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

namespace {

using ChangesPerFile = QMap<QString, QList<Change>>;

// One apply(): its outcome so far and the record of what is applied, built file by file.
class PolicyRun
{
public:
    PolicyRun(PolicyOutcome &outcome, QJsonObject previous)
        : m_outcome(outcome)
        , m_previous(std::move(previous))
    {}

    void note(const QString &message)
    {
        m_outcome.errors << message;
        qCWarning(lcAgent).noquote() << "policies:" << message;
    }

    // Groups the work per file so each file is read and written once.
    ChangesPerFile plan(const QJsonObject &desired)
    {
        ChangesPerFile perFile;
        QString err;
        for (auto it = desired.begin(); it != desired.end(); ++it) {
            PolicyDefinition def;
            if (!PolicyDefinition::parse(it.key(), &def, &err)) {
                note(err + QStringLiteral("; skipped"));
                continue;
            }
            perFile[def.path].append({it.key(), def.keyPath, PolicyApplier::fileValue(it.value()), false});
        }
        for (auto it = m_previous.begin(); it != m_previous.end(); ++it) {
            if (desired.contains(it.key()))
                continue;
            PolicyDefinition def;
            if (PolicyDefinition::parse(it.key(), &def, &err))
                perFile[def.path].append({it.key(), def.keyPath, QJsonValue(), true});
        }
        return perFile;
    }

    void applyToFile(const QString &target, const QList<Change> &changes)
    {
        platform::TrustedFile file;
        QJsonObject doc;
        QString err;
        if (!loadJsonFile(target, &file, &doc, &err)) {
            note(err);
            keepPrevious(changes);
            return;
        }
        const QJsonObject before = doc;
        QList<Change> done;
        int setCount = 0, removeCount = 0;
        for (const Change &c : changes) {
            if (c.remove) {
                removePath(doc, c.keyPath, 0);
                ++removeCount;
                continue;
            }
            QJsonObject trial = doc;
            if (!setPath(trial, c.keyPath, 0, c.value, &err)) {
                note(QStringLiteral("%1: %2 in %3; skipped").arg(c.definition, err, target));
                keepPrevious({c});
                continue;
            }
            if (trial == doc)
                ++m_outcome.unchanged;
            else
                ++setCount;
            doc = trial;
            done.append(c);
        }
        if (doc != before && !file.replace(QJsonDocument(doc).toJson(QJsonDocument::Indented), &err)) {
            note(err);
            keepPrevious(changes);
            return;
        }
        m_outcome.applied += setCount;
        m_outcome.removed += removeCount;
        for (const Change &c : std::as_const(done))
            m_applied.insert(c.definition, c.value);
    }

    QJsonObject applied() const { return m_applied; }

private:
    // A definition that could not be changed keeps its old record, so it is removed (or retried) later.
    void keepPrevious(const QList<Change> &changes)
    {
        for (const Change &c : changes)
            if (m_previous.contains(c.definition))
                m_applied.insert(c.definition, m_previous.value(c.definition));
    }

    PolicyOutcome &m_outcome;
    const QJsonObject m_previous;
    QJsonObject m_applied;
};

// How many definitions the user scopes hold; they are not applied (see PolicyApplier).
int countUserScopeDefinitions(const QJsonObject &scopes)
{
    int definitions = 0, userScopes = 0;
    for (auto it = scopes.begin(); it != scopes.end(); ++it) {
        if (it.key() != MachineScope && !scopeMap(it.value()).isEmpty()) {
            ++userScopes;
            definitions += static_cast<int>(scopeMap(it.value()).size());
        }
    }
    if (userScopes > 0)
        qCInfo(lcAgent).noquote() << "policies:" << definitions << "definition(s) for" << userScopes
                                  << "user scope(s) not applied: Linux JSON policy files are machine-wide and would "
                                     "reach every user";
    return definitions;
}

} // namespace

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
    const QJsonObject scopes = scopeMap(policies);
    outcome.skippedUserScope = countUserScopeDefinitions(scopes);

    PolicyRun run(outcome, scopeMap(cache.value(QStringLiteral("applied")).toObject().value(MachineScope)));
    const ChangesPerFile perFile = run.plan(scopeMap(scopes.value(MachineScope)));
    for (auto f = perFile.begin(); f != perFile.end(); ++f)
        run.applyToFile(f.key(), f.value());

    QJsonObject appliedScopes{{MachineScope, run.applied()}};
    cache = QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("applied"), appliedScopes}};
    if (!state.writeJsonFile(cacheFileName(), cache, &err))
        run.note(QStringLiteral("cannot remember the applied policies: %1").arg(err));
    if (outcome.applied || outcome.removed)
        qCInfo(lcAgent).noquote() << "policies:" << outcome.applied << "set," << outcome.removed << "removed,"
                                  << outcome.unchanged << "already in place";
    return outcome;
}

} // namespace oco
