#include "platform/Inventory.h"

#include "core/Log.h"
#include "platform/Platform.h"

#include <QSysInfo>

#include <stdexcept>

namespace oco::platform {

// What Qt can tell about the machine; the fields it cannot are named in the errors.
class InventoryCollector
{
public:
    explicit InventoryCollector(InventoryOptions options)
        : m_options(std::move(options))
    {}

    QJsonObject collect()
    {
        m_errors.clear();
        QJsonObject out;
        for (const char *key : {"os", "os_version", "os_language", "cpu", "gpu", "serial", "manufacturer", "model",
                                "bios_version", "boot_type", "secure_boot", "domain"})
            missing(out, QLatin1String(key), QString());
        for (const char *key : {"networks", "screens", "printers", "partitions", "software", "logins"})
            missing(out, QLatin1String(key), QJsonArray());
        out.insert(QStringLiteral("os_license"), QStringLiteral("-"));
        out.insert(QStringLiteral("kernel_version"), QSysInfo::kernelVersion());
        out.insert(QStringLiteral("architecture"), QSysInfo::currentCpuArchitecture());
        out.insert(QStringLiteral("agent_version"), m_options.agentVersion);
        out.insert(QStringLiteral("ram"), QString());
        out.insert(QStringLiteral("uptime"), QString());
        if (m_options.dialect == InventoryDialect::Current) {
            out.insert(QStringLiteral("battery_level"), false);
            out.insert(QStringLiteral("battery_status"), false);
            missing(out, QStringLiteral("users"), QJsonArray());
            missing(out, QStringLiteral("devices"), QJsonArray());
        }
        return out;
    }

    QStringList errors() const { return m_errors; }

private:
    void missing(QJsonObject &out, const QString &key, const QJsonValue &empty)
    {
        const QString why = notAvailable(QStringLiteral("this inventory field"));
        m_errors << QStringLiteral("%1: %2").arg(key, why);
        qCDebug(lcInventory).noquote() << "inventory field" << key << "left empty:" << why;
        out.insert(key, empty);
    }

    InventoryOptions m_options;
    QStringList m_errors;
};

Inventory::Inventory(InventoryOptions options)
    : m_collector(std::make_unique<InventoryCollector>(std::move(options)))
{}

Inventory::~Inventory() = default;

QJsonObject Inventory::collect()
{
    return m_collector->collect();
}

QStringList Inventory::errors() const
{
    return m_collector->errors();
}

QJsonArray Inventory::networks()
{
    return {};
}

double Inventory::uptimeSeconds()
{
    throw std::runtime_error(notAvailable(QStringLiteral("the uptime")).toStdString());
}

QJsonValue Inventory::batteryLevel()
{
    return false;
}

QJsonValue Inventory::batteryStatus()
{
    return false;
}

QString Inventory::machineUid()
{
    return QString::fromLatin1(QSysInfo::machineUniqueId());
}

QString Inventory::hostname(bool removeDomain)
{
    QString h = QSysInfo::machineHostName();
    const qsizetype dot = h.indexOf(QLatin1Char('.'));
    if (removeDomain && dot > 0)
        h = h.left(dot);
    return h;
}

} // namespace oco::platform
