#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace oco {

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
    bool live = true; // false: skip system calls that ignore the sysroot (getifaddrs, statvfs, uname)
};

// Collects the machine inventory (PROTOCOL.md §6). Each field is collected on its own: a failure is logged
// with the field's name and leaves an empty value, and never stops the others.
class Inventory
{
public:
    explicit Inventory(InventoryOptions options);

    QJsonObject collect();
    // The subset hello needs.
    QJsonArray networks();
    double uptimeSeconds();
    QJsonValue batteryLevel();
    QJsonValue batteryStatus();
    QString machineUid();

    static QString hostname(bool removeDomain);

    QStringList errors() const { return m_errors; }

    // Field collectors, public for tests.
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

    QString path(const QString &absolute) const;
    QByteArray readFile(const QString &absolute, bool *ok = nullptr) const;

private:
    template<class F> void field(QJsonObject &out, const QString &key, F &&collector);

    InventoryOptions m_options;
    QStringList m_errors;
};

} // namespace oco
