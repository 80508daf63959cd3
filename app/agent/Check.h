#pragma once

#include "config/Config.h"
#include "core/StateStore.h"
#include "protocol/DialectNegotiator.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>

namespace oco {

class Agent;

// `oco-agent --check`: a diagnostic for admins. Prints one line per step, "OK" or "FAIL" first, and
// returns 0 only when every step passed. It never writes the config, never runs jobs and does not persist
// the server timestamp; its signed hello does update the computer's last contact on the server.
class Check
{
public:
    Check(QString configPath, QString stateDir);
    ~Check();
    int run();
    QStringList lines() const { return m_lines; }

private:
    // The server's clock and ours when it was read, for the clock step.
    struct Times
    {
        QDateTime server;
        QDateTime local;
    };

    void line(bool ok, const QString &what, const QString &detail);
    // Each step prints its line; false when the steps after it cannot run.
    bool loadConfig();
    bool findServerUrl();
    bool reachServer();
    bool checkTls(const ServerProbe &probe);
    bool checkDialect(const ServerProbe &probe, const DialectNegotiator &negotiator);
    void checkKeys();
    Times checkHello(ServerEra seen, const AgentIdentity &id, DialectNegotiator &negotiator);
    void checkClock(Times times, const HttpResponse &probeReply);

    QString m_configPath;
    QString m_stateDir;
    QStringList m_lines;
    bool m_allOk = true;
    Config m_config;
    StateStore m_state;
    std::unique_ptr<Agent> m_agent;
};

} // namespace oco
