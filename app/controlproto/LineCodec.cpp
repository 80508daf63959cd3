#include "LineCodec.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace oco::control {

QByteArray encodeLine(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
}

bool decodeLine(const QByteArray &line, QJsonObject *message, QString *error)
{
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
    if (perr.error != QJsonParseError::NoError) {
        *error = perr.errorString();
        return false;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return false;
    }
    *message = doc.object();
    return true;
}

LineBuffer::Next LineBuffer::next(QByteArray *line)
{
    for (;;) {
        const qsizetype nl = m_bytes.indexOf('\n', m_start);
        if (nl < 0) {
            m_bytes.remove(0, m_start);
            m_start = 0;
            return m_bytes.size() > m_maxLine ? Next::TooLong : Next::Incomplete;
        }
        if (nl - m_start > m_maxLine)
            return Next::TooLong;
        *line = m_bytes.mid(m_start, nl - m_start);
        m_start = nl + 1;
        if (!line->trimmed().isEmpty())
            return Next::Line;
    }
}

void LineBuffer::clear()
{
    m_bytes.clear();
    m_start = 0;
}

} // namespace oco::control
