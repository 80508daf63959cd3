#pragma once

#include "protocol/Types.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace oco {

// One verified JSON-RPC call of the current dialect (signed request, checked reply). It returns the whole
// `result` member of the reply ({"success": ..., "params": ..., "timestamp": ...}), not only `params`:
// oco.agent.passwords reports through `success` whether the server kept the password.
using RpcCall = std::function<Result<QJsonObject>(const QString &method, const QJsonObject &data)>;

} // namespace oco
