#pragma once

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

// A listener sees every formatted line; the control socket uses it to show recent log lines.
using LogListener = void (*)(QtMsgType type, const QString &line);
void setLogListener(LogListener listener);

// Replaces the values of secret JSON members ("agent-key", "server-key", "password") with "***".
QByteArray maskSecrets(const QByteArray &json);

} // namespace oco
