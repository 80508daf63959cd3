#pragma once

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>

namespace oco::platform {

class InventoryCollector; // per system: platform/<os>/inventory
class InventorySystem;    // Linux: system calls behind an interface, for tests (linux/inventory/InventoryCollector.h)

enum class InventoryDialect
{
    Legacy2021,
    Current
};

struct InventoryOptions
{
    QString sysroot = QStringLiteral("/"); // every file read goes below this directory (tests use fixture trees)
    InventoryDialect dialect = InventoryDialect::Current;
    QString agentVersion;
    QDateTime loginsSince; // UTC; invalid = all logins
    int minUid = 1000;
    int maxUid = 65534;
    bool live = true; // false: no system calls that ignore the sysroot (Linux: getifaddrs, statvfs, uname, DNS)
    std::shared_ptr<InventorySystem> system; // overrides the choice made by `live` (Linux tests)
    QDate today;                             // for account expiry; invalid = the current UTC date
};

// The machine inventory (docs/server-protocol.md §6) and the facts the hello sends. Each field is collected on
// its own: a failure is logged with the field's name and leaves an empty value, and never stops the others.
// Linux reads files wherever a file has the answer (docs/inventory-linux.md). The stub knows what Qt can
// tell: host name, kernel type and version, CPU architecture, machine id; every other field is left empty
// with "... is not available on this system" in errors().
class Inventory
{
public:
    explicit Inventory(InventoryOptions options);
    ~Inventory();
    Inventory(const Inventory &) = delete;
    Inventory &operator=(const Inventory &) = delete;

    QJsonObject collect();
    QStringList errors() const;

    // The subset hello needs. They throw std::runtime_error when the source cannot be read.
    QJsonArray networks();
    double uptimeSeconds();
    QJsonValue batteryLevel();
    QJsonValue batteryStatus();
    QString machineUid();

    static QString hostname(bool removeDomain);

private:
    std::unique_ptr<InventoryCollector> m_collector;
};

} // namespace oco::platform

// The agent's code names these without the platform prefix.
namespace oco {
using platform::Inventory;
using platform::InventoryDialect;
using platform::InventoryOptions;
} // namespace oco
