#pragma once

#include <QObject>
#include <QString>

namespace oco::platform {

// The exit status that asks the service manager to start the program again (a job's `exit` post action,
// e.g. after an agent update); the systemd unit's Restart=always does so.
constexpr int RestartExitCode = 75;

// Turns the system's requests to stop (SIGTERM, SIGINT) into a Qt signal on the event loop, served also
// while a cycle runs a nested loop. Once per process.
class StopRequests : public QObject
{
    Q_OBJECT
public:
    explicit StopRequests(QObject *parent = nullptr);
    ~StopRequests() override;
    // Starts listening; also makes a write to a closed pipe or socket an error instead of the end of the
    // process (SIGPIPE ignored). False with a reason.
    bool install(QString *error);

Q_SIGNALS:
    void stopRequested();
};

// Gives the heap memory a finished cycle freed back to the system where the C library would keep it
// (glibc's malloc_trim); nothing elsewhere.
void releaseFreeMemory();

} // namespace oco::platform
