#pragma once

#include "controlproto/LineCodec.h"

#include <QHash>
#include <QJsonObject>
#include <QLocalSocket>
#include <QString>

namespace oco {

// A blocking client of the control socket, for the command line (`oco-agent --status`,
// `--cancel-power-action`) and tests. The tray has its own asynchronous client.
class ControlClient
{
public:
    // Connects, says hello and reads the current state the service sends on connect. The peer must be root
    // or this process's own user (checkPeer): anyone else listening there is an impostor.
    bool open(const QString &path, const QString &clientName, QString *error, int timeoutMs = 10000);
    // Sends one request (an id is added) and waits for its reply; pushes arriving meanwhile are kept.
    bool request(QJsonObject request, QJsonObject *reply, QString *error, int timeoutMs = 60000);

    // Whether the process at the other end of a connected local socket runs as root or as our own user;
    // false with the reason otherwise.
    static bool checkPeer(qintptr socketDescriptor, const QString &path, QString *error);

    QJsonObject welcome;
    QHash<QString, QJsonObject> pushes; // latest push per type

private:
    bool readMessage(QJsonObject *message, QString *error, int timeoutMs);
    void keepPush(const QJsonObject &msg);
    QLocalSocket m_socket;
    control::LineBuffer m_buffer{control::kMaxPushLine};
    int m_nextId = 1;
};

} // namespace oco
