#include "Log.h"

#include <QDateTime>
#include <QRegularExpression>

#include <cstdio>

Q_LOGGING_CATEGORY(lcAgent, "oco.agent", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProtocol, "oco.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "oco.jobs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcInventory, "oco.inventory", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecurity, "oco.security", QtInfoMsg)

namespace oco {

namespace {
LogListener g_listener = nullptr;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO";
    case QtWarningMsg:
        return "WARNING";
    case QtCriticalMsg:
        return "ERROR";
    case QtFatalMsg:
        return "FATAL";
    }
    return "INFO";
}

void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    LogEntry record;
    record.time = QDateTime::currentDateTimeUtc();
    record.level = type;
    if (ctx.category && qstrcmp(ctx.category, "default") != 0)
        record.category = QLatin1String(ctx.category);
    record.message = msg;
    QString line =
        QStringLiteral("%1 %2 ").arg(record.time.toString(Qt::ISODateWithMs), QLatin1String(levelName(type)));
    if (!record.category.isEmpty())
        line += QStringLiteral("[%1] ").arg(record.category);
    line += msg;
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
    if (g_listener)
        g_listener(record);
}
} // namespace

void setDebugLogging(bool debug)
{
    QLoggingCategory::setFilterRules(debug ? QStringLiteral("oco.*.debug=true") : QStringLiteral("oco.*.debug=false"));
}

void installLogHandler(bool debug)
{
    qInstallMessageHandler(handler);
    setDebugLogging(debug);
}

void setLogListener(LogListener listener)
{
    g_listener = listener;
}

QByteArray maskSecrets(const QByteArray &json)
{
    static const QRegularExpression re(
        QStringLiteral(R"re("(agent-key|server-key|password|data|iv)"\s*:\s*"(?:[^"\\]|\\.)*")re"));
    QString text = QString::fromUtf8(json);
    text.replace(re, QStringLiteral("\"\\1\":\"***\""));
    return text.toUtf8();
}

} // namespace oco
