#pragma once

#include <QString>

class QCoreApplication;

namespace oco {

// What oco-agent was asked to do on its command line.
struct CommandLine
{
    QString configPath;
    QString stateDir;
    bool once = false;
    bool daemon = false;
    bool force = false;
    bool inventory = false;
    bool pretty = false;
    QString dialect;
    bool check = false;
    // Talking to the running service through the control socket.
    bool status = false;
    bool json = false;
    bool cancelPowerAction = false;
    bool hasSocket = false;
    QString socket;
    bool hasControlRequest = false;
    QString controlRequest;

    // One of the requests to the running service (--status, --cancel-power-action, --control-request).
    bool clientMode() const { return status || cancelPowerAction || hasControlRequest; }
};

// Parses the application's arguments; --help, --version and unknown options print and exit, as
// QCommandLineParser::process() does.
CommandLine parseCommandLine(const QCoreApplication &app);

} // namespace oco
