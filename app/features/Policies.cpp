#include "Policies.h"

#include "TrustedDir.h"
#include "core/Log.h"
#include "core/StateStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
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

// A policy file opened inside its checked directory; its final component is never followed.
struct PolicyFile
{
    TrustedDir dir;
    QByteArray name;
    bool exists = false;
    struct stat st
    {
    };
};

// Reads `path` ({} when absent) after checking its directory chain.
bool loadJsonFile(const QString &path, PolicyFile *file, QJsonObject *doc, QString *error)
{
    const QFileInfo fi(path);
    QString why;
    if (!file->dir.open(fi.absolutePath(), true, &why)) {
        *error = QStringLiteral("%1 is not written: %2").arg(path, why);
        return false;
    }
    file->name = QFile::encodeName(fi.fileName());
    *doc = {};
    const int fd = ::openat(file->dir.fd(), file->name.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        *error = errno == ELOOP
                     ? QStringLiteral("%1 is a symbolic link: policy files are never written through links").arg(path)
                     : QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(::strerror(errno)));
        return false;
    }
    QFile f;
    const bool opened = f.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    if (!opened)
        ::close(fd);
    if (!opened || ::fstat(fd, &file->st) != 0 || !S_ISREG(file->st.st_mode)) {
        *error = QStringLiteral("%1 is not a regular file").arg(path);
        return false;
    }
    file->exists = true;
    const QByteArray bytes = f.readAll();
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

// Temporary file beside the target, owner and mode set on its descriptor, then renamed over the target:
// nothing is done by path that a link could redirect.
bool saveJsonFile(const QString &path, const PolicyFile &file, const QJsonObject &doc, QString *error)
{
    const QByteArray data = QJsonDocument(doc).toJson(QJsonDocument::Indented);
    QByteArray tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tmp = file.name + ".tmp-" + QByteArray::number(QRandomGenerator::system()->generate(), 36);
        fd = ::openat(file.dir.fd(), tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    auto fail = [&](const QString &what) {
        *error = QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(::strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        ::unlinkat(file.dir.fd(), tmp.constData(), 0);
        return false;
    };
    if (fd < 0)
        return fail(QStringLiteral("cannot create a temporary file beside"));
    // Owner before mode: chown clears set-id bits.
    if (file.exists && (file.st.st_uid != ::geteuid() || file.st.st_gid != ::getegid()) &&
        ::fchown(fd, file.st.st_uid, file.st.st_gid) != 0)
        qCWarning(lcAgent).noquote() << "policies: could not give" << path << "back to its owner" << file.st.st_uid;
    if (::fchmod(fd, file.exists ? (file.st.st_mode & 07777) : 0644) != 0)
        return fail(QStringLiteral("cannot set the mode of"));
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(QStringLiteral("cannot write"));
        p += n;
        left -= n;
    }
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot flush"));
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0)
        return fail(QStringLiteral("cannot close"));
    if (::renameat(file.dir.fd(), tmp.constData(), file.dir.fd(), file.name.constData()) != 0)
        return fail(QStringLiteral("cannot replace"));
    const int dfd = ::openat(file.dir.fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
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
        const QString target = f.key();
        PolicyFile file;
        QJsonObject doc;
        if (!loadJsonFile(target, &file, &doc, &err)) {
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
        if (doc != before && !saveJsonFile(target, file, doc, &err)) {
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
