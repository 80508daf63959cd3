#pragma once

#include <QByteArrayList>
#include <QObject>
#include <QTcpServer>

namespace oco::test {

// A minimal HTTP CONNECT proxy on 127.0.0.1 (what https through a proxy uses). It records every CONNECT
// target and relays bytes both ways; anything else gets 405.
class ConnectProxy : public QObject
{
    Q_OBJECT
public:
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }
    QByteArrayList targets;    // "host:port" of each CONNECT
    QByteArrayList firstLines; // the first line of every connection, CONNECT or not (for failure messages)
    QByteArray describe() const { return "connections: [" + firstLines.join(" | ") + "]"; }

private:
    void onConnection();
    QTcpServer m_server;
};

} // namespace oco::test
