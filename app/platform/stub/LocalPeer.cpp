#include "platform/LocalPeer.h"

#include "platform/Platform.h"

namespace oco::platform {

bool readLocalPeer(qintptr, LocalPeer *)
{
    return false; // nobody can be told apart: every connection is closed
}

bool isTrustedServer(qintptr, std::optional<uint> *serverUid)
{
    serverUid->reset();
    return false;
}

bool prepareSocketDirectory(const QString &, QString *error)
{
    *error = notAvailable(QStringLiteral("checking who owns the control socket's directory"));
    return false;
}

std::optional<uint> groupId(const QString &)
{
    return std::nullopt;
}

} // namespace oco::platform
