#include "StateStore.h"

#include "AtomicFile.h"
#include "platform/SecureFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

namespace oco {

bool StateStore::open(const QString &dir, QString *error)
{
    m_dir = QDir(dir).absolutePath();
    QDir d(m_dir);
    if (!d.exists() && !d.mkpath(QStringLiteral("."))) {
        if (error)
            *error = QStringLiteral("cannot create the state directory %1").arg(m_dir);
        return false;
    }
    // Say so up front rather than failing later at the lock, a key hand-over or a download.
    QString reason;
    if (!platform::makeDirectoryPrivate(m_dir, &reason)) {
        if (error)
            *error = QStringLiteral("the state directory %1 is not writable for this user (%2): the agent keeps its "
                                    "lock, job journal and downloads there; run it as root or fix the permissions")
                         .arg(m_dir, reason);
        return false;
    }
    QJsonObject doc;
    if (!readJsonFile(QStringLiteral("state.json"), &doc, error))
        return false;
    m_data = doc;
    return true;
}

QString StateStore::filePath(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name;
}

bool StateStore::readJsonFile(const QString &name, QJsonObject *out, QString *error) const
{
    QFile f(filePath(name));
    if (!f.exists()) {
        *out = {};
        return true;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1 is damaged (%2); move it away to start afresh")
                         .arg(f.fileName(), perr.errorString());
        return false;
    }
    *out = doc.object();
    return true;
}

bool StateStore::writeJsonFile(const QString &name, const QJsonObject &doc, QString *error) const
{
    return writeFileAtomic(filePath(name), QJsonDocument(doc).toJson(QJsonDocument::Indented), 0600, error);
}

bool StateStore::removeFile(const QString &name) const
{
    return QFile::remove(filePath(name));
}

bool StateStore::setValue(const QString &key, const QJsonValue &value, QString *error)
{
    if (m_data.value(key) == value && m_data.contains(key))
        return true;
    m_data.insert(key, value);
    return save(error);
}

bool StateStore::remove(const QString &key, QString *error)
{
    if (!m_data.contains(key))
        return true;
    m_data.remove(key);
    return save(error);
}

bool StateStore::save(QString *error)
{
    return writeJsonFile(QStringLiteral("state.json"), m_data, error);
}

} // namespace oco
