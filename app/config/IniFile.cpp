#include "IniFile.h"

#include "core/AtomicFile.h"

#include <QFile>

namespace oco {

QString IniFile::Error::toString() const
{
    QString where = file;
    if (line > 0)
        where += QStringLiteral(":%1").arg(line);
    if (!key.isEmpty())
        return QStringLiteral("%1: key '%2': %3").arg(where, key, message);
    return QStringLiteral("%1: %2").arg(where, message);
}

bool IniFile::load(const QString &path, Error *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = {path, 0, {}, QStringLiteral("cannot open: %1").arg(f.errorString())};
        return false;
    }
    return parse(f.readAll(), path, error);
}

bool IniFile::parse(const QByteArray &text, const QString &fileName, Error *error)
{
    m_lines.clear();
    m_fileName = fileName;
    QString current;
    const QList<QByteArray> raw = text.split('\n');
    for (int i = 0; i < raw.size(); ++i) {
        QByteArray bytes = raw.at(i);
        if (i == raw.size() - 1 && bytes.isEmpty())
            break; // text ended with a newline
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        if (i == 0 && bytes.startsWith("\xEF\xBB\xBF"))
            bytes.remove(0, 3);
        const QString lineText = QString::fromUtf8(bytes);
        if (lineText.contains(QChar::ReplacementCharacter) && !bytes.contains("\xEF\xBF\xBD")) {
            if (error)
                *error = {fileName, i + 1, {}, QStringLiteral("the line is not valid UTF-8")};
            return false;
        }
        Line line;
        line.text = lineText;
        const QString t = lineText.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1Char('#')) || t.startsWith(QLatin1Char(';'))) {
            line.section = current;
        } else if (t.startsWith(QLatin1Char('['))) {
            if (!t.endsWith(QLatin1Char(']')) || t.size() < 3) {
                if (error)
                    *error = {fileName, i + 1, {}, QStringLiteral("malformed section header '%1'").arg(t)};
                return false;
            }
            current = t.mid(1, t.size() - 2).trimmed();
            line.section = current;
            line.isSectionHeader = true;
        } else {
            const int eq = t.indexOf(QLatin1Char('='));
            const int colon = t.indexOf(QLatin1Char(':'));
            int sep = eq;
            if (sep < 0 || (colon >= 0 && colon < sep))
                sep = colon;
            if (sep <= 0) {
                if (error)
                    *error = {fileName, i + 1, {}, QStringLiteral("expected 'key = value', found '%1'").arg(t)};
                return false;
            }
            if (current.isEmpty()) {
                if (error)
                    *error = {fileName, i + 1, t.left(sep).trimmed(),
                              QStringLiteral("the key stands before any [section] header")};
                return false;
            }
            line.section = current;
            line.key = t.left(sep).trimmed().toLower();
            line.value = t.mid(sep + 1).trimmed();
        }
        m_lines.push_back(line);
    }
    return true;
}

QByteArray IniFile::serialize() const
{
    QByteArray out;
    for (const Line &l : m_lines) {
        out += l.text.toUtf8();
        out += '\n';
    }
    return out;
}

bool IniFile::save(const QString &path, QString *error) const
{
    return writeFileAtomic(path, serialize(), 0600, error);
}

int IniFile::find(const QString &section, const QString &key) const
{
    const QString k = key.toLower();
    // RawConfigParser lets a later duplicate win; do the same.
    for (int i = m_lines.size() - 1; i >= 0; --i) {
        const Line &l = m_lines.at(i);
        if (!l.key.isEmpty() && l.key == k && l.section == section)
            return i;
    }
    return -1;
}

bool IniFile::contains(const QString &section, const QString &key) const
{
    return find(section, key) >= 0;
}

QString IniFile::value(const QString &section, const QString &key, const QString &fallback) const
{
    const int i = find(section, key);
    return i < 0 ? fallback : m_lines.at(i).value;
}

int IniFile::lineOf(const QString &section, const QString &key) const
{
    return find(section, key) + 1;
}

bool IniFile::hasSection(const QString &section) const
{
    for (const Line &l : m_lines)
        if (l.isSectionHeader && l.section == section)
            return true;
    return false;
}

QStringList IniFile::keys(const QString &section) const
{
    QStringList out;
    for (const Line &l : m_lines)
        if (!l.key.isEmpty() && l.section == section && !out.contains(l.key))
            out << l.key;
    return out;
}

bool IniFile::isStorable(const QString &value)
{
    if (value != value.trimmed())
        return false;
    for (const QChar c : value)
        if (c.category() == QChar::Other_Control)
            return false;
    return true;
}

void IniFile::setValue(const QString &section, const QString &key, const QString &value)
{
    const int i = find(section, key);
    const QString text = QStringLiteral("%1 = %2").arg(key, value);
    if (i >= 0) {
        m_lines[i].text = text;
        m_lines[i].value = value;
        return;
    }
    Line line;
    line.text = text;
    line.section = section;
    line.key = key.toLower();
    line.value = value;
    // Insert after the last key line of the section (before trailing blank/comment lines of the next one).
    int insertAt = -1;
    for (int j = 0; j < m_lines.size(); ++j) {
        if (m_lines.at(j).section == section && (m_lines.at(j).isSectionHeader || !m_lines.at(j).key.isEmpty()))
            insertAt = j + 1;
    }
    if (insertAt < 0) {
        if (!m_lines.isEmpty() && !m_lines.constLast().text.trimmed().isEmpty())
            m_lines.push_back(Line{QString(), m_lines.constLast().section, {}, {}, false});
        Line header;
        header.text = QStringLiteral("[%1]").arg(section);
        header.section = section;
        header.isSectionHeader = true;
        m_lines.push_back(header);
        m_lines.push_back(line);
        return;
    }
    m_lines.insert(insertAt, line);
}

} // namespace oco
