#pragma once

#include <QJsonObject>
#include <QString>

namespace oco {

// Small persistent facts in the state directory, one JSON document written atomically on every change.
// Larger or independent records (job journal, post action) live in their own files beside it.
class StateStore
{
public:
    bool open(const QString &dir, QString *error);
    QString dir() const { return m_dir; }
    QString filePath(const QString &name) const;

    QJsonValue value(const QString &key) const { return m_data.value(key); }
    bool setValue(const QString &key, const QJsonValue &value, QString *error);
    bool remove(const QString &key, QString *error);

    // Convenience for JSON documents stored in their own file.
    bool readJsonFile(const QString &name, QJsonObject *out, QString *error) const;
    bool writeJsonFile(const QString &name, const QJsonObject &doc, QString *error) const;
    bool removeFile(const QString &name) const;

private:
    bool save(QString *error);
    QString m_dir;
    QJsonObject m_data;
};

} // namespace oco
