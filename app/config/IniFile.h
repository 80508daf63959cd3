#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace oco {

// An INI file in the dialect of Python's RawConfigParser (what the official agent reads): `[section]`,
// `key = value` or `key: value`, `#`/`;` comment lines, no interpolation. Every line is kept, so writing
// the file back preserves comments, unknown keys and their order.
class IniFile
{
public:
    struct Error
    {
        QString file;
        int line = 0;
        QString key;
        QString message;
        QString toString() const;
    };

    bool load(const QString &path, Error *error);
    bool parse(const QByteArray &text, const QString &fileName, Error *error);
    QByteArray serialize() const;
    bool save(const QString &path, QString *error) const;

    bool contains(const QString &section, const QString &key) const;
    QString value(const QString &section, const QString &key, const QString &fallback = {}) const;
    int lineOf(const QString &section, const QString &key) const; // 1-based; 0 when absent
    void setValue(const QString &section, const QString &key, const QString &value);
    // Whether setValue() can write `value` so that it reads back exactly: one line, no control characters,
    // no leading or trailing blanks (the reader trims them).
    static bool isStorable(const QString &value);
    bool hasSection(const QString &section) const;
    QStringList keys(const QString &section) const;
    QString fileName() const { return m_fileName; }

private:
    struct Line
    {
        QString text;    // the raw line, used when unchanged
        QString section; // the section this line belongs to
        QString key;     // lower-case key, empty for non key lines
        QString value;
        bool isSectionHeader = false;
    };
    int find(const QString &section, const QString &key) const;

    QVector<Line> m_lines;
    QString m_fileName;
};

} // namespace oco
