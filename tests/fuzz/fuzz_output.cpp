// Procedure output handling (app/jobs/Procedure): decodeOutput never loses or invents text for valid
// UTF-8 and always decodes; OutputBuffer keeps head and tail in bounded memory and counts every byte.
#include "FuzzSupport.h"
#include "jobs/Procedure.h"

using namespace oco;

OCO_FUZZ_TARGET
{
    const QByteArray bytes = fuzz::bytes(data, size);
    const QString decoded = decodeOutput(bytes);
    FUZZ_CHECK(bytes.isEmpty() == decoded.isEmpty(), QString());
    const QString strict = QString::fromUtf8(bytes);
    if (strict.toUtf8() == bytes)
        FUZZ_CHECK(decoded == strict, QStringLiteral("valid UTF-8 decoded differently"));

    // Feed the same bytes in chunks whose sizes come from the input, into small head/tail windows.
    const qsizetype head = size > 0 ? data[0] % 64 : 8;
    const qsizetype tail = size > 1 ? data[1] % 64 : 8;
    OutputBuffer buffer(head, tail);
    qsizetype pos = 0;
    int i = 0;
    while (pos < bytes.size()) {
        const qsizetype chunk = 1 + data[i++ % size] % 17;
        buffer.append(bytes.mid(pos, chunk));
        pos += chunk;
    }
    FUZZ_CHECK(buffer.totalBytes() == bytes.size(), QString::number(buffer.totalBytes()));
    const QString text = buffer.text();
    if (bytes.size() <= head + tail) {
        FUZZ_CHECK(text == decoded, QStringLiteral("nothing was cut, yet the text differs"));
    } else {
        const QString marker = QStringLiteral("[... %1 bytes of output cut ...]").arg(bytes.size() - head - tail);
        FUZZ_CHECK(text.contains(marker), text);
        FUZZ_CHECK(text.startsWith(decodeOutput(bytes.left(head))), text);
        FUZZ_CHECK(text.endsWith(decodeOutput(bytes.right(tail))), text);
    }
    return 0;
}
