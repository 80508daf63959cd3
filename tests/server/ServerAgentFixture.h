#pragma once

#include "AgentHarness.h"
#include "TestServer.h"

#include <QSslCertificate>
#include <QSslKey>

#include <memory>

namespace oco::test {

// What most integration tests start every test function from: a test server on 127.0.0.1 and the real
// agent (AgentHarness) calling itself by a fixed host name. A test class inherits it, calls the start
// functions from init() inside QVERIFY and stopServerAndAgent() from cleanup(); the tests use m_server and
// m_agent.
class ServerAgentFixture
{
protected:
    // A new server speaking `generation`; over TLS when `cert` is given. False when it cannot listen.
    bool startServer(TestServer::Generation generation = TestServer::Generation::Legacy2021,
                     const QSslCertificate &cert = QSslCertificate(), const QSslKey &key = QSslKey())
    {
        m_server = std::make_unique<TestServer>();
        m_server->dialect = generation;
        return cert.isNull() ? m_server->listen() : m_server->listenTls(cert, key);
    }
    // A new agent in its own folder, calling itself `hostname` (OCO_HOSTNAME).
    void startAgent(const QString &hostname, const QString &agentBinary = QStringLiteral(OCO_AGENT_BIN))
    {
        m_agent = std::make_unique<AgentHarness>(agentBinary);
        m_agent->environment.insert(QStringLiteral("OCO_HOSTNAME"), hostname);
    }
    bool startServerAndAgent(const QString &hostname,
                             TestServer::Generation generation = TestServer::Generation::Legacy2021)
    {
        if (!startServer(generation))
            return false;
        startAgent(hostname);
        return true;
    }
    // The agent's folder first, then the server.
    void stopServerAndAgent()
    {
        m_agent.reset();
        m_server.reset();
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<AgentHarness> m_agent;
};

} // namespace oco::test
