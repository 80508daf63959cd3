#pragma once

#include "platform/Paths.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace oco {

struct ServiceCheckOptions
{
    QString dir = platform::defaultServiceChecksDirectory();
    double timeoutSecs = 30;              // per check
    int parallel = 4;                     // checks running at the same time
    qsizetype maxOutputBytes = 64 * 1024; // stdout kept per check; the rest is read and dropped
};

// Runs the CheckMK-style local checks for hello's `services` (docs/agent-behaviour.md §12, without the
// official agent's bugs): every executable file of the directory runs directly (no shell) with a time
// limit, in its own process group; a check that cannot run, hangs, crashes or prints nothing usable
// becomes one entry with status 3 (UNKNOWN) and the reason in `details`, so the cycle is never stuck.
// Entries use the key `metrics`. No directory or no checks gives [].
class ServiceChecks
{
public:
    static QJsonArray run(const ServiceCheckOptions &options);
    static QJsonArray run(const QString &dir, double timeoutSecs);

    // One local-check line `<status> <name> <metrics> <details...>`; the name may be quoted ("..." or
    // '...'), status is 0-3 or P (computed from the metrics' levels). Returns false for other lines.
    static bool parseLine(const QString &line, QJsonObject *service);
    // Every usable line of a check's output; unusable non-empty lines go to `rejected`.
    static QJsonArray parseOutput(const QString &output, QStringList *rejected = nullptr);
    // Status for `P` lines: the worst state of the metrics `name=value;warn;crit;min;max`, where warn and
    // crit are an upper level or `lower:upper`. 3 when a value is not a number.
    static int statusFromMetrics(const QString &metrics);
    static QJsonObject failedEntry(const QString &name, const QString &reason);
};

} // namespace oco
