#pragma once

#include "Dialect.h"
#include "config/Config.h"

#include <functional>
#include <memory>

namespace oco {

// Which generation of OCO server answers, as far as one unauthenticated request can tell.
enum class ServerEra
{
    Unknown,      // no OCO answer (transport failure, proxy page, ...)
    Legacy2021,   // v0.12-v0.13.1: the 2021 dialect only
    Transitional, // v0.13.2-v1.1.6: plaintext keys; up to v1.0.1 also the 2021 names
    Current       // v1.1.7+: the signed dialect
};

// "OCO server v1.1.7 or newer (signed dialect)" and the like, for logs and --check.
QString serverEraText(ServerEra era);

struct ServerProbe
{
    ServerEra era = ServerEra::Unknown;
    HttpResponse response; // the raw reply (transport failure in response.failure)
    QString answer;        // what the server said, in short: "HTTP 400 Unknown Method"
};

// Builds the dialect for `choice` (Auto builds the current dialect).
std::unique_ptr<Dialect> makeDialectFor(ProtocolChoice choice, Config &config, StateStore &state, HttpClient &http,
                                        const AgentIdentity &identity);

// Finds and keeps the dialect the server speaks (`[server] protocol = auto`), used by the agent cycle and
// --check:
// - probe() sends one request no OCO server authenticates or acts on (an unknown method, no key). v0.12-v0.13.1
//   answer 200 {"error":"Unknown Method"}, v0.13.2-v1.1.6 400 with the reason "Unknown Method" and no body,
//   v1.1.7+ 400 with the body "Unknown method".
// - hello() with protocol = auto probes, and for v0.13.2-v1.1.6 sends the 2021 hello: servers up to v1.0.1
//   take it (2021 is pinned), v1.0.2+ refuse the method before looking at any key (plain is pinned). The
//   result is written to the config and never lowered by the agent. A dialect pinned this way moves up by
//   itself when the server refuses it and the probe shows a newer server (2021 -> plain -> current).
class DialectNegotiator
{
public:
    using HelloData = std::function<QJsonObject()>;

    DialectNegotiator(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity);

    // Read-only: stores nothing.
    ServerProbe probe();

    struct Contact
    {
        std::unique_ptr<Dialect> dialect; // the dialect that answered last (null when none could be built)
        Result<HelloResult> hello = Result<HelloResult>::fail({FailureKind::Local, 0, QString()});
    };
    // The cycle's hello in the configured dialect, detecting, pinning and moving up as described above.
    // `data` is asked again for each attempt (its contents depend on config.protocol).
    Contact hello(const HelloData &data);

    // Whether the configured dialect was pinned by detection (and may therefore move up by itself).
    bool pinnedAutomatically() const;

    // Whether a server of `era` speaks `choice` (v0.13.2-v1.1.6 take 2021 up to v1.0.1, and plain).
    static bool fits(ServerEra era, ProtocolChoice choice);
    // Whether the configured dialect, pinned by detection, moves up by itself on the next contact with a
    // server of `era`.
    bool movesUpFor(ServerEra era) const;
    // --check's hello after probe() saw `era`, stored nowhere: with protocol = auto as the first contact would
    // decide; otherwise in the configured dialect when it fits the server, else in the one the server speaks.
    Contact dryHello(ServerEra era, const HelloData &data);

    // For dry contacts (--check, the tray's "Test connection"): decisions are used for this contact only and
    // not written to the config, and replies of the current dialect do not move the stored server timestamp.
    void setDryRun(bool dry) { m_dryRun = dry; }

private:
    Contact attempt(ProtocolChoice choice, const HelloData &data);
    bool pin(ProtocolChoice choice, const QString &why);
    Contact detectAndHello(const HelloData &data);
    Contact moveUp(Contact refused, const HelloData &data);

    Config &m_config;
    StateStore &m_state;
    HttpClient &m_http;
    AgentIdentity m_identity;
    bool m_dryRun = false;
};

} // namespace oco
