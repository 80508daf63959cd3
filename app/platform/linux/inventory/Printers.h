#pragma once

#include <QJsonArray>
#include <QString>

namespace oco::platform {

class SysRoot;

// Device URI without user name and password (smb://user:secret@host/q -> smb://host/q).
QString stripUriCredentials(const QString &uri);

// CUPS queues from /etc/cups/printers.conf; paper size and resolution from the queue's PPD when present.
QJsonArray parseCupsPrinters(const QByteArray &printersConf, const SysRoot &root);
QJsonArray collectPrinters(const SysRoot &root);

} // namespace oco::platform
