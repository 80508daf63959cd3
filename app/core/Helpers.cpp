#include "Helpers.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace oco {

QString helperProgram(const QString &name, const char *envVar)
{
    const QString fromEnv = qEnvironmentVariable(envVar);
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (QCoreApplication::instance()) {
        const QString beside = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
        if (QFileInfo(beside).isExecutable())
            return beside;
    }
    return QStringLiteral(OCO_LIBEXECDIR "/") + name;
}

} // namespace oco
