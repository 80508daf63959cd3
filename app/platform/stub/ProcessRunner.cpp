#include "platform/ProcessRunner.h"

#include "platform/Platform.h"

#include <QDir>
#include <QProcess>

namespace oco::platform {

void prepareChild(QProcess &, const ChildSetup &) {}

void endProcessGroup(qint64, GroupEnd) {}

QString processIdentity(qint64)
{
    return {};
}

ServiceAccount serviceAccount()
{
    return {QString(), QStringLiteral("/")};
}

bool makePrivateDirectory(const QString &, const QString &, QString *, QString *error)
{
    *error = notAvailable(QStringLiteral("a private directory"));
    return false;
}

bool programFileFacts(int, const QString &, ProgramFileFacts *)
{
    return false;
}

} // namespace oco::platform
