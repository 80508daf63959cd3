#pragma once

#include <QDateTime>
#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcAgent)
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcJobs)
Q_DECLARE_LOGGING_CATEGORY(lcInventory)
Q_DECLARE_LOGGING_CATEGORY(lcSecurity)

namespace oco {

// Log lines go to stderr as "YYYY-MM-DDTHH:MM:SS.mmmZ LEVEL [category] message" (journald adds its own
// time; the level word stays greppable). `debug` enables the debug level of every oco.* category.
void installLogHandler(bool debug);
void setDebugLogging(bool debug);

// One log line as its parts; the control socket shows recent ones to the tray.
struct LogEntry
{
    QDateTime time; // UTC
    QtMsgType level = QtInfoMsg;
    QString category; // "" for the default category
    QString message;
};

// A listener sees every line that is written, from whichever thread wrote it.
using LogListener = void (*)(const LogEntry &record);
void setLogListener(LogListener listener);

// Replaces the values of secret JSON members ("agent-key", "server-key", "password") with "***".
QByteArray maskSecrets(const QByteArray &json);

} // namespace oco
