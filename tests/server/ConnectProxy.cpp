#include "ConnectProxy.h"

#include <QTcpSocket>

namespace oco::test {

bool ConnectProxy::listen()
{
    connect(&m_server, &QTcpServer::newConnection, this, &ConnectProxy::onConnection);
    return m_server.listen(QHostAddress::LocalHost);
}

void ConnectProxy::onConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *buffer = new QByteArray;
        auto *upstream = new QTcpSocket(client);
        connect(client, &QTcpSocket::disconnected, client, [client, buffer] {
            delete buffer;
            client->deleteLater();
        });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(upstream, &QTcpSocket::connected, client, [client, upstream, buffer] {
            client->write("HTTP/1.1 200 Connection established\r\n\r\n");
            if (!buffer->isEmpty())
                upstream->write(*buffer);
            buffer->clear();
        });
        connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, buffer] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            if (upstream->state() != QAbstractSocket::UnconnectedState) {
                buffer->append(client->readAll());
                return;
            }
            buffer->append(client->readAll());
            const int end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            firstLines.append(buffer->left(buffer->indexOf("\r\n")).left(200));
            const QList<QByteArray> first = buffer->left(buffer->indexOf("\r\n")).split(' ');
            if (first.value(0) != "CONNECT") {
                client->write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            const QByteArray target = first.value(1);
            targets.append(target);
            *buffer = buffer->mid(end + 4);
            const int colon = target.lastIndexOf(':');
            upstream->connectToHost(QString::fromLatin1(target.left(colon)), target.mid(colon + 1).toUShort());
        });
    }
}

} // namespace oco::test
