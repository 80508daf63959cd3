#pragma once

#include <QString>

namespace oco::test {

class TestServer;

struct DemoOptions
{
    QString agent; // the oco-agent binary
    QString tray;  // the oco-tray binary; shown when a display is available
};

// The Quick start demo: the real agent against this server. Registration and inventory, a job with a
// package, then the service with a job that asks for a restart (the restart command only records).
int runDemo(TestServer &server, const DemoOptions &options);

} // namespace oco::test
