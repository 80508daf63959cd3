#include "Helpers.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace oco {

QString helperProgram(const QString &name, const QString &override)
{
    if (!override.isEmpty())
        return override;
    if (QCoreApplication::instance()) {
        const QString beside = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
        if (QFileInfo(beside).isExecutable())
            return beside;
    }
    // Latin-1, not QStringLiteral: the path stays readable in the binary (strings(1), the package test).
    return QLatin1String(OCO_LIBEXECDIR "/") + name;
}

void printLine(std::FILE *to, const QString &text)
{
    const QByteArray b = text.toUtf8() + '\n';
    std::fwrite(b.constData(), 1, static_cast<size_t>(b.size()), to);
}

} // namespace oco
