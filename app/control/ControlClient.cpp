#include "ControlClient.h"

#include "ControlServer.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <sys/socket.h>
#include <unistd.h>

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
    const QJsonObject hello{{QStringLiteral("type"), QStringLiteral("hello")},
                            {QStringLiteral("version"), ControlServer::kVersion},
                            {QStringLiteral("client"), clientName}};
    m_socket.write(QJsonDocument(hello).toJson(QJsonDocument::Compact) + '\n');
    QJsonObject msg;
    if (!readMessage(&msg, error, timeoutMs))
        return false;
    const QString type = msg.value(QStringLiteral("type")).toString();
    if (type != QLatin1String("welcome")) {
        *error = type == QLatin1String("refused")
                     ? QStringLiteral("the service refused: %1").arg(msg.value(QStringLiteral("reason")).toString())
                     : QStringLiteral("unexpected answer from the service: %1").arg(type);
        return false;
    }
    welcome = msg;
    // The state arrives before the answer to a request sent after the hello.
    QJsonObject pong;
    return request({{QStringLiteral("type"), QStringLiteral("ping")}}, &pong, error, timeoutMs);
}

bool ControlClient::checkPeer(qintptr socketDescriptor, const QString &path, QString *error)
{
    struct ucred cred
    {
    };
    socklen_t len = sizeof cred;
    if (::getsockopt(static_cast<int>(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        *error = QStringLiteral("cannot tell who listens at %1; not talking to it").arg(path);
        return false;
    }
    // Root is the service; our own user can do nothing to us we could not do ourselves.
    if (cred.uid != 0 && cred.uid != ::getuid()) {
        *error = QStringLiteral("%1 is served by uid %2, not by root: not the OCO agent service; not talking to it")
                     .arg(path)
                     .arg(cred.uid);
        return false;
    }
    return true;
}

bool ControlClient::request(QJsonObject req, QJsonObject *reply, QString *error, int timeoutMs)
{
    const int id = m_nextId++;
    req.insert(QStringLiteral("id"), id);
    m_socket.write(QJsonDocument(req).toJson(QJsonDocument::Compact) + '\n');
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        QJsonObject msg;
        if (!readMessage(&msg, error, static_cast<int>(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
        const QString type = msg.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("reply") && msg.value(QStringLiteral("id")).toInt() == id) {
            *reply = msg;
            return true;
        }
        if (type == QLatin1String("refused")) {
            *error = QStringLiteral("the service refused: %1").arg(msg.value(QStringLiteral("reason")).toString());
            return false;
        }
        if (type == QLatin1String("log") && pushes.contains(type)) {
            // Log pushes carry new lines only: keep them all.
            QJsonArray lines = pushes[type].value(QStringLiteral("lines")).toArray();
            for (const QJsonValue &l : msg.value(QStringLiteral("lines")).toArray())
                lines.append(l);
            pushes[type].insert(QStringLiteral("lines"), lines);
        } else if (type != QLatin1String("reply")) {
            pushes.insert(type, msg);
        }
    }
}

bool ControlClient::readMessage(QJsonObject *message, QString *error, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const int nl = m_buffer.indexOf('\n');
        if (nl >= 0) {
            const QByteArray line = m_buffer.left(nl);
            m_buffer.remove(0, nl + 1);
            QJsonParseError perr;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
            if (!doc.isObject()) {
                *error = QStringLiteral("the service sent a malformed message: %1").arg(perr.errorString());
                return false;
            }
            *message = doc.object();
            return true;
        }
        if (m_socket.bytesAvailable() > 0) {
            m_buffer += m_socket.readAll();
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
