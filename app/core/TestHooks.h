#pragma once

#include <QString>

namespace oco {

// Every environment variable through which tests (and benchmarks) steer the service from outside, in one
// place. An empty field leaves the normal behaviour.
struct TestHooks
{
    QString hostname;      // OCO_HOSTNAME: the host name to announce instead of the machine's
    QString sysroot;       // OCO_SYSROOT: a directory the inventory reads as the root file system
    QString dnsDomain;     // OCO_TEST_DNS_DOMAIN: the domain SRV discovery asks for instead of resolv.conf's
    QString dnsServer;     // OCO_TEST_DNS_SERVER: the address of the DNS server SRV discovery asks
    QString journal;       // OCO_JOURNAL: a journal file or directory read for events instead of the system's
    QString sessionsFile;  // OCO_TEST_SESSIONS_FILE: a JSON file listing the logged-in sessions
    QString clockFile;     // OCO_TEST_CLOCK_FILE: a file holding the current time (ISO 8601 or epoch ms)
    QString unpackHelper;  // OCO_UNPACK_HELPER: the oco-agent-unpack program to run
    QString sessionHelper; // OCO_SESSION_HELPER: the oco-agent-session program to run

    static TestHooks fromEnvironment();
    // Called once by main(): from then on active() returns these.
    static void install(const TestHooks &hooks);
    // The installed hooks; in a process that installed none (a test linking the libraries) the environment
    // as it is now, so such tests may set the variables as they go.
    static TestHooks active();
};

} // namespace oco
