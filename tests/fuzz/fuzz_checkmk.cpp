// CheckMK local-check output (app/features/ServiceChecks): whatever a check prints, every accepted line
// becomes an entry with a status 0-3 and a name, the rest is rejected line by line, and metric levels
// always give a status 0-3.
#include "FuzzSupport.h"
#include "features/ServiceChecks.h"

using namespace oco;

OCO_FUZZ_TARGET
{
    const QString output = QString::fromUtf8(fuzz::bytes(data, size));
    QStringList rejected;
    const QJsonArray services = ServiceChecks::parseOutput(output, &rejected);
    qsizetype lines = 0;
    for (const QString &l : output.split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty())
            ++lines;
    FUZZ_CHECK(services.size() + rejected.size() <= lines,
               QStringLiteral("%1 + %2 > %3").arg(services.size()).arg(rejected.size()).arg(lines));
    for (const QJsonValue &v : services) {
        const QJsonObject s = v.toObject();
        const int status = s.value(QStringLiteral("status")).toInt(-1);
        FUZZ_CHECK(status >= 0 && status <= 3, QString::number(status));
        FUZZ_CHECK(!s.value(QStringLiteral("name")).toString().isEmpty(), QString());
        FUZZ_CHECK(s.value(QStringLiteral("metrics")).isString() && s.value(QStringLiteral("details")).isString(),
                   QString());
        const int fromMetrics = ServiceChecks::statusFromMetrics(s.value(QStringLiteral("metrics")).toString());
        FUZZ_CHECK(fromMetrics >= 0 && fromMetrics <= 3, QString::number(fromMetrics));
    }
    return 0;
}
