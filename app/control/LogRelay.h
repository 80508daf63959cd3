#pragma once

#include "controlproto/Messages.h"

#include <QObject>
#include <QTimer>

namespace oco {

class ControlServer;
struct LogEntry;

// Carries the service's log lines to the control socket: collected from any thread, published in batches
// from the main thread.
class LogRelay : public QObject
{
    Q_OBJECT
public:
    explicit LogRelay(ControlServer &server, QObject *parent = nullptr);
    ~LogRelay() override;

    static control::LogRecord toControl(const LogEntry &record);

private:
    static void listen(const LogEntry &record);
    void flush();

    ControlServer &m_server;
    QTimer m_flush;
    static LogRelay *s_instance;
};

} // namespace oco
