#include "LogRelay.h"

#include "ControlServer.h"
#include "core/Log.h"

#include <QMutex>

namespace oco {

LogRelay *LogRelay::s_instance = nullptr;

namespace {
QMutex g_mutex;
QList<control::LogRecord> g_queue;
constexpr int kMaxQueued = 1000;
constexpr int kMaxMessage = 4000;
} // namespace

LogRelay::LogRelay(ControlServer &server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(100);
    connect(&m_flush, &QTimer::timeout, this, &LogRelay::flush);
    s_instance = this;
    setLogListener(&LogRelay::listen);
}

LogRelay::~LogRelay()
{
    setLogListener(nullptr);
    s_instance = nullptr;
}

control::LogRecord LogRelay::toControl(const LogEntry &record)
{
    control::LogRecord r;
    r.time = record.time;
    r.category = record.category;
    r.message = record.message.left(kMaxMessage);
    switch (record.level) {
    case QtDebugMsg:
        r.level = control::LogLevel::Debug;
        break;
    case QtInfoMsg:
        r.level = control::LogLevel::Info;
        break;
    case QtWarningMsg:
        r.level = control::LogLevel::Warning;
        break;
    case QtCriticalMsg:
        r.level = control::LogLevel::Error;
        break;
    case QtFatalMsg:
        r.level = control::LogLevel::Fatal;
        break;
    }
    return r;
}

void LogRelay::listen(const LogEntry &record)
{
    QMutexLocker lock(&g_mutex);
    const bool first = g_queue.isEmpty();
    if (g_queue.size() < kMaxQueued)
        g_queue << toControl(record);
    if (first && s_instance)
        QMetaObject::invokeMethod(
            s_instance,
            [] {
                if (s_instance && !s_instance->m_flush.isActive())
                    s_instance->m_flush.start();
            },
            Qt::QueuedConnection);
}

void LogRelay::flush()
{
    QList<control::LogRecord> lines;
    {
        QMutexLocker lock(&g_mutex);
        lines.swap(g_queue);
    }
    m_server.publishLog(lines);
}

} // namespace oco
