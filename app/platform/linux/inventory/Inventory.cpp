#include "platform/Inventory.h"

#include "InventoryCollector.h"

namespace oco::platform {

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
    return m_collector->networks();
}

double Inventory::uptimeSeconds()
{
    return m_collector->uptimeSeconds();
}

QJsonValue Inventory::batteryLevel()
{
    return m_collector->batteryLevel();
}

QJsonValue Inventory::batteryStatus()
{
    return m_collector->batteryStatus();
}

QString Inventory::machineUid()
{
    return m_collector->machineUid();
}

QString Inventory::hostname(bool removeDomain)
{
    return InventoryCollector::hostname(removeDomain);
}

} // namespace oco::platform
