#include "TestHooks.h"

#include <optional>

namespace oco {

namespace {
std::optional<TestHooks> &installed()
{
    static std::optional<TestHooks> hooks;
    return hooks;
}
} // namespace

TestHooks TestHooks::fromEnvironment()
{
    TestHooks h;
    h.hostname = qEnvironmentVariable("OCO_HOSTNAME");
    h.sysroot = qEnvironmentVariable("OCO_SYSROOT");
    h.dnsDomain = qEnvironmentVariable("OCO_TEST_DNS_DOMAIN");
    h.dnsServer = qEnvironmentVariable("OCO_TEST_DNS_SERVER");
    h.journal = qEnvironmentVariable("OCO_JOURNAL");
    h.sessionsFile = qEnvironmentVariable("OCO_TEST_SESSIONS_FILE");
    h.clockFile = qEnvironmentVariable("OCO_TEST_CLOCK_FILE");
    h.unpackHelper = qEnvironmentVariable("OCO_UNPACK_HELPER");
    h.sessionHelper = qEnvironmentVariable("OCO_SESSION_HELPER");
    return h;
}

void TestHooks::install(const TestHooks &hooks)
{
    installed() = hooks;
}

TestHooks TestHooks::active()
{
    return installed() ? *installed() : fromEnvironment();
}

} // namespace oco
