#include "KeyKeeper.h"

#include "config/Config.h"
#include "core/Log.h"
#include "core/StateStore.h"

namespace oco {

namespace {
const QString kIndividualKey = QStringLiteral("individual-agent-key-received");
}

bool KeyKeeper::individualKeyReceived() const
{
    return m_state.value(kIndividualKey).toBool();
}

Failure KeyKeeper::checkServerKey(const QJsonValue &received, bool echoedEveryTime)
{
    const QString local = m_config.serverKey;
    if (!local.isEmpty()) {
        if (received.isString() && received.toString() == local)
            return {};
        if (!echoedEveryTime && (received.isNull() || received.isUndefined()))
            return {};
        const QString why =
            received.isString() ? QStringLiteral("a different server key") : QStringLiteral("no server key");
        qCCritical(lcSecurity).noquote() << "security: the server sent" << why
                                         << "- the reply is ignored (an impostor, or the server was reinstalled; "
                                            "an admin must check and clear [server] server-key to trust it)";
        return {FailureKind::Security, 0,
                QStringLiteral("the server's reply carries %1 than the one stored: reply ignored").arg(why)};
    }
    if (received.isString() && !received.toString().isEmpty()) {
        QString err;
        if (!m_config.storeServerKey(received.toString(), &err))
            return {FailureKind::Local, 0, QStringLiteral("cannot store the server key: %1").arg(err)};
        qCInfo(lcSecurity) << "stored the server key sent on first contact (trusted from now on)";
    }
    return {};
}

Failure KeyKeeper::takeAgentKey(const QJsonValue &received)
{
    if (!received.isString() || received.toString().isEmpty())
        return {};
    const QString key = received.toString();
    if (key == m_config.agentKey)
        return {};
    if (!m_config.agentKey.isEmpty() && individualKeyReceived()) {
        qCCritical(lcSecurity) << "security: the server tried to replace this computer's individual agent key; "
                                  "refused and the reply ignored";
        return {FailureKind::Security, 0,
                QStringLiteral("the server tried to replace the individual agent key: refused, reply ignored")};
    }
    QString err;
    if (!m_config.storeAgentKey(key, &err))
        return {FailureKind::Local, 0, QStringLiteral("cannot store the agent key: %1").arg(err)};
    if (!m_state.setValue(kIndividualKey, true, &err))
        return {FailureKind::Local, 0, QStringLiteral("cannot record the agent key hand-over: %1").arg(err)};
    qCInfo(lcSecurity) << "stored the individual agent key handed over by the server";
    return {};
}

} // namespace oco
