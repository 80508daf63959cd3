#pragma once

#include "platform/Inventory.h"

#include "Networks.h"
#include "Partitions.h"
#include "SysRoot.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace oco::platform {

// What the kernel answers through system calls rather than files. Tests substitute their own.
class InventorySystem
{
public:
    virtual ~InventorySystem() = default;
    virtual QString hostname() = 0;
    // Fully qualified name of `host` from the resolver (DNS); "" if unknown.
    virtual QString canonicalHostname(const QString &host) = 0;
    virtual QString machine() = 0; // uname machine, e.g. x86_64
    virtual QList<NetInterface> interfaces() = 0;
    virtual std::optional<FsUsage> fsUsage(const QString &mountpoint, const QString &fsType) = 0;
};

// The running machine: gethostname, getaddrinfo, uname, getifaddrs, statvfs (below the sysroot).
std::shared_ptr<InventorySystem> liveSystem(const SysRoot &root);
// Files only: /etc/hostname, /proc/sys/kernel/arch, /sys/class/net + /proc/net/if_inet6, no filesystem usage.
std::shared_ptr<InventorySystem> filesOnlySystem(const SysRoot &root);

// The Linux inventory behind platform::Inventory (platform/Inventory.h): files wherever a file has the answer
// (docs/inventory-linux.md), each field on its own.
class InventoryCollector
{
public:
    explicit InventoryCollector(InventoryOptions options);

    QJsonObject collect();
    // The subset hello needs.
    QJsonArray networks();
    double uptimeSeconds();
    QJsonValue batteryLevel();
    QJsonValue batteryStatus();
    QString machineUid();

    static QString hostname(bool removeDomain);

    QStringList errors() const { return m_errors; }

    // Field collectors, public for tests. They throw std::runtime_error when the source cannot be read.
    QJsonObject osRelease();
    QString kernelVersion();
    QString architecture();
    QString cpu();
    QString gpu();
    qint64 ram();
    QString dmi(const QString &name);
    QString bootType();
    QString secureBoot();
    QString domain();
    QString osLanguage();
    QJsonArray partitions();
    QJsonArray software();
    QJsonArray screens();
    QJsonArray printers();
    QJsonArray logins();
    QJsonArray users();
    QJsonArray devices();

    QString path(const QString &absolute) const { return m_root.path(absolute); }
    QByteArray readFile(const QString &absolute, bool *ok = nullptr) const { return m_root.read(absolute, ok); }

private:
    template<class F> void field(QJsonObject &out, const QString &key, F &&collector);
    bool legacy() const { return m_options.dialect == InventoryDialect::Legacy2021; }

    InventoryOptions m_options;
    SysRoot m_root;
    std::shared_ptr<InventorySystem> m_system;
    QStringList m_errors;
};

} // namespace oco::platform
