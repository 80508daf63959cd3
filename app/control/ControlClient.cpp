#include "ControlClient.h"

#include "controlproto/LineCodec.h"
#include "controlproto/Messages.h"
#include "platform/LocalPeer.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>

namespace oco {

bool ControlClient::open(const QString &path, const QString &clientName, QString *error, int timeoutMs)
{
    // A bare name would mean a socket in Qt's temp dir: paths are always file paths here.
    m_socket.connectToServer(QFileInfo(path).absoluteFilePath());
    if (!m_socket.waitForConnected(timeoutMs)) {
        *error = QStringLiteral("the service is not reachable at %1 (%2); is oco-agent running?")
                     .arg(path, m_socket.errorString());
        return false;
    }
    if (!checkPeer(m_socket.socketDescriptor(), path, error)) {
        m_socket.abort();
        return false;
    }
    control::Hello hello;
    hello.client = clientName;
    m_socket.write(control::encodeLine(hello.toJson()));
    QJsonObject msg;
    if (!readMessage(&msg, error, timeoutMs))
        return false;
    const control::MessageType type = control::messageTypeOf(msg);
    if (type != control::MessageType::Welcome) {
        *error = type == control::MessageType::Refused
                     ? QStringLiteral("the service refused: %1").arg(control::Refused::fromJson(msg).reason)
                     : QStringLiteral("unexpected answer from the service: %1")
                           .arg(msg.value(QStringLiteral("type")).toString());
        return false;
    }
    welcome = msg;
    // The state arrives before the answer to a request sent after the hello.
    QJsonObject pong;
    return request(control::Request{control::RequestType::Ping, {}, {}}.toJson(), &pong, error, timeoutMs);
}

bool ControlClient::checkPeer(qintptr socketDescriptor, const QString &path, QString *error)
{
    std::optional<uint> uid;
    if (platform::isTrustedServer(socketDescriptor, &uid))
        return true;
    if (!uid)
        *error = QStringLiteral("cannot tell who listens at %1; not talking to it").arg(path);
    else
        *error = QStringLiteral("%1 is served by uid %2, not by root: not the OCO agent service; not talking to it")
                     .arg(path)
                     .arg(*uid);
    return false;
}

bool ControlClient::request(QJsonObject req, QJsonObject *reply, QString *error, int timeoutMs)
{
    const int id = m_nextId++;
    control::Request r = control::Request::fromJson(req);
    r.id = id;
    m_socket.write(control::encodeLine(r.toJson()));
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        QJsonObject msg;
        if (!readMessage(&msg, error, static_cast<int>(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
        const control::MessageType type = control::messageTypeOf(msg);
        if (type == control::MessageType::Reply && control::Reply::fromJson(msg).id.toInt() == id) {
            *reply = msg;
            return true;
        }
        if (type == control::MessageType::Refused) {
            *error = QStringLiteral("the service refused: %1").arg(control::Refused::fromJson(msg).reason);
            return false;
        }
        if (type != control::MessageType::Reply)
            keepPush(msg);
    }
}

void ControlClient::keepPush(const QJsonObject &msg)
{
    const QString type = msg.value(QStringLiteral("type")).toString();
    if (control::messageTypeOf(msg) == control::MessageType::Log && pushes.contains(type)) {
        // Log pushes carry new lines only: keep them all.
        control::LogPush all = control::LogPush::fromJson(pushes.value(type));
        all.lines << control::LogPush::fromJson(msg).lines;
        pushes.insert(type, all.toJson());
    } else {
        pushes.insert(type, msg);
    }
}

bool ControlClient::readMessage(QJsonObject *message, QString *error, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QByteArray line;
    for (;;) {
        const control::LineBuffer::Next next = m_buffer.next(&line);
        if (next == control::LineBuffer::Next::TooLong) {
            *error = QStringLiteral("the service sent a line that is too long");
            return false;
        }
        if (next == control::LineBuffer::Next::Line) {
            if (!control::decodeLine(line, message, error)) {
                *error = QStringLiteral("the service sent a malformed message: %1").arg(*error);
                return false;
            }
            return true;
        }
        if (m_socket.bytesAvailable() > 0) {
            m_buffer.append(m_socket.readAll());
            continue;
        }
        if (m_socket.state() != QLocalSocket::ConnectedState) {
            *error = QStringLiteral("the service closed the connection");
            return false;
        }
        if (deadline.hasExpired() || !m_socket.waitForReadyRead(static_cast<int>(deadline.remainingTime()))) {
            if (m_socket.bytesAvailable() > 0)
                continue;
            *error = m_socket.state() == QLocalSocket::ConnectedState
                         ? QStringLiteral("the service did not answer in time")
                         : QStringLiteral("the service closed the connection");
            return false;
        }
    }
}

} // namespace oco
