// The typed configuration (app/config/Config): any file loads or is refused with a message naming the
// file and, for a bad value, the line and key; what loads is within the documented ranges.
#include "FuzzSupport.h"
#include "config/Config.h"

using namespace oco;

OCO_FUZZ_TARGET
{
    static const QString path = fuzz::scratchDir() + QStringLiteral("/oco-agent.ini");
    fuzz::writeFile(path, fuzz::bytes(data, size));
    Config config;
    QString error;
    if (!config.load(path, &error)) {
        FUZZ_CHECK(error.startsWith(path), error);
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), error);
    FUZZ_CHECK(config.queryInterval >= 0.1 && config.queryInterval <= 31 * 86400,
               QString::number(config.queryInterval));
    FUZZ_CHECK(config.connectionTimeout >= 0.1 && config.readTimeout >= 0.1, QString::number(config.readTimeout));
    FUZZ_CHECK(config.localUsersMinUid <= config.localUsersMaxUid, QString::number(config.localUsersMinUid));
    FUZZ_CHECK(!config.restartCommand.isEmpty() && !config.shutdownCommand.isEmpty(), QString());
    for (int m : config.postponeChoicesMinutes)
        FUZZ_CHECK(m >= 0, QString::number(m));
    if (!config.apiUrl.isEmpty())
        FUZZ_CHECK(config.apiUrl.startsWith(QLatin1String("http"), Qt::CaseInsensitive),
                   config.apiUrl); // QUrl lower-cases it
    return 0;
}
