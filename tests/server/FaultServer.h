#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace oco::test {

// A raw, misbehaving HTTP server on 127.0.0.1 in front of a real backend (the TestServer). Requests are
// forwarded to the backend and its answers relayed unchanged, unless a fault is armed for the request:
// then the answer is broken in the chosen way. Being raw TCP, it can do what a correct HTTP server never
// does (cut headers, stall, lie about lengths, answer TLS with plain text).
class FaultServer : public QObject
{
    Q_OBJECT
public:
    enum class Fault
    {
        None,
        DropMidHeaders,   // half of the status line and headers, then the connection is closed
        DropMidBody,      // headers with the full Content-Length, half of the body, then closed
        Stall,            // the request is read and nothing is ever sent back
        Huge,             // 200 with a JSON body of hugeBytes (Content-Length announced)
        HugeNoLength,     // the same without Content-Length, delimited by closing the connection
        TruncatedJson,    // the backend's reply cut in half, with a Content-Length that matches the cut
        WrongContentType, // 200, text/html, a captive-portal style HTML page instead of JSON
        Http10NoLength,   // the backend's reply as HTTP/1.0 without Content-Length (valid HTTP)
        TlsPlainReply,    // a TLS client hello answered with a plain HTTP error page
        TlsCloseEarly,    // a TLS client hello answered by closing the connection
        SlowLoris,        // the backend's headers, then its body one byte every trickleIntervalMs
    };
    static QString faultName(Fault f);

    explicit FaultServer(QUrl backend, QObject *parent = nullptr);
    ~FaultServer() override;

    bool listen();
    quint16 port() const;
    QUrl apiUrl() const;     // http://127.0.0.1:<port>/api-agent.php
    QUrl tlsApiUrl() const;  // https://... on the same port, for the TLS faults
    QUrl payloadUrl() const; // http://127.0.0.1:<port>/payloadprovider.php

    // Breaks the answers to the next `times` requests for `target` (a JSON-RPC method such as
    // "oco.agent_hello", "download" for payload requests, or "*"), after letting `skip` of them through.
    // TLS faults apply to the next TLS connections whatever their target (the request is encrypted).
    void arm(Fault fault, const QString &target = QStringLiteral("*"), int times = 1, int skip = 0);
    void disarm();

    qint64 hugeBytes = 100LL * 1024 * 1024;
    int trickleIntervalMs = 500;

    int faultsServed() const { return m_served; }
    qint64 faultBytesSent() const { return m_faultBytes; } // bytes written by the last fault
    QStringList log;                                       // one line per request: target and what was done

Q_SIGNALS:
    void faultServed(oco::test::FaultServer::Fault fault);

private:
    friend class FaultConnection;
    Fault take(const QString &target, bool tls = false);
    void served(Fault f, qint64 bytes);

    QUrl m_backend;
    std::unique_ptr<QTcpServer> m_server;
    Fault m_fault = Fault::None;
    QString m_target;
    int m_times = 0;
    int m_skip = 0;
    int m_served = 0;
    qint64 m_faultBytes = 0;
};

} // namespace oco::test
