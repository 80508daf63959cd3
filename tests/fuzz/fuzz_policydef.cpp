// Policy definitions from the server (app/features/Policies): `MODULE:<path>:<key>` is accepted only with
// an absolute, clean .json path and a key, or refused with a reason. A path that could leave its
// directory (`..`) must never pass.
#include "FuzzSupport.h"
#include "features/Policies.h"

#include <QDir>

using namespace oco;

OCO_FUZZ_TARGET
{
    const QString definition = QString::fromUtf8(fuzz::bytes(data, size));
    PolicyDefinition def;
    QString error;
    if (!PolicyDefinition::parse(definition, &def, &error)) {
        FUZZ_CHECK(!error.isEmpty(), definition);
        return 0;
    }
    FUZZ_CHECK(def.path.startsWith(QLatin1Char('/')), def.path);
    FUZZ_CHECK(QDir::cleanPath(def.path) == def.path, def.path);
    FUZZ_CHECK(!def.path.split(QLatin1Char('/')).contains(QStringLiteral("..")), def.path);
    FUZZ_CHECK(def.path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive), def.path);
    FUZZ_CHECK(!def.keyPath.isEmpty(), definition);
    return 0;
}
