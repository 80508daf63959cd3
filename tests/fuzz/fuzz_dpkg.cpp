// The dpkg status database (app/platform/linux/inventory/Software): any text gives a list of packages, each with a
// name.
#include "FuzzSupport.h"
#include "platform/linux/inventory/Software.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace oco;
using namespace oco::platform;

OCO_FUZZ_TARGET
{
    const QByteArray status = fuzz::bytes(data, size);
    const QJsonArray packages = parseDpkgStatus(status);
    FUZZ_CHECK(packages.size() <= status.count("Package:") + status.count("package:") + 1,
               QString::number(packages.size()));
    for (const QJsonValue &v : packages)
        FUZZ_CHECK(v.isObject() && !v.toObject().value(QStringLiteral("name")).toString().isEmpty(),
                   QString::fromUtf8(QJsonDocument(v.toObject()).toJson()));
    return 0;
}
