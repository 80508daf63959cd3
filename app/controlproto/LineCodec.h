#pragma once

#include "ControlProtocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace oco::control {

// The framing of the control protocol: one compact JSON object per line, '\n' terminated.
QByteArray encodeLine(const QJsonObject &message);

// One line to a JSON object; false with the reason ("not a JSON object", the parser's words) otherwise.
bool decodeLine(const QByteArray &line, QJsonObject *message, QString *error);

// Collects bytes as they arrive and hands out complete lines, skipping empty ones. A line longer than the
// limit (complete or still growing) is an error the owner answers by closing the connection.
class LineBuffer
{
public:
    explicit LineBuffer(qint64 maxLine)
        : m_maxLine(maxLine)
    {}

    enum class Next
    {
        Line,       // *line holds the next line, without its '\n'
        Incomplete, // wait for more bytes
        TooLong     // a line passes maxLine()
    };

    void append(const QByteArray &bytes) { m_bytes += bytes; }
    Next next(QByteArray *line);
    void clear();
    qint64 maxLine() const { return m_maxLine; }

private:
    qint64 m_maxLine;
    QByteArray m_bytes;
    qsizetype m_start = 0; // where the next line begins in m_bytes
};

} // namespace oco::control
