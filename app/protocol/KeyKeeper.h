#pragma once

#include "HttpClient.h"

#include <QJsonValue>

namespace oco {

class Config;
class StateStore;

// The key rules shared by both dialects (seed "Authentication", docs/server-protocol.md §2.1 and §4.4):
// - the server key is trusted on first use and never replaced afterwards;
// - the agent key is replaced only by the first hand-over from the server (the configured key is empty or
//   still the registration key); once an individual key was received, a different one is refused.
// New keys are written to the config before the reply is used any further.
class KeyKeeper
{
public:
    KeyKeeper(Config &config, StateStore &state)
        : m_config(config)
        , m_state(state)
    {}

    // `echoedEveryTime`: the 2021 dialect sends the server key in every reply, so a missing or different
    // value is an error; the current dialect sends it only when it was generated.
    Failure checkServerKey(const QJsonValue &received, bool echoedEveryTime);
    Failure takeAgentKey(const QJsonValue &received);
    bool individualKeyReceived() const;

private:
    Config &m_config;
    StateStore &m_state;
};

} // namespace oco
