#include "Hardware.h"

#include "SysRoot.h"

#include <QJsonObject>

#include <algorithm>

namespace oco::platform {

QString pciName(const QByteArray &ids, const QString &vendor, const QString &device)
{
    QString vendorName, deviceName;
    const QByteArray vendorKey = vendor.toLatin1() + "  ";
    qsizetype start = -1;
    if (ids.startsWith(vendorKey))
        start = vendorKey.size();
    else if (const qsizetype v = ids.indexOf('\n' + vendorKey); v >= 0)
        start = v + 1 + vendorKey.size();
    if (start >= 0) {
        const qsizetype end = ids.indexOf('\n', start);
        vendorName = QString::fromUtf8(ids.mid(start, end - start)).trimmed();
        // The vendor's block is the run of lines starting with a tab (devices) or '#' (comments).
        qsizetype blockEnd = end;
        while (blockEnd >= 0 && blockEnd + 1 < ids.size() &&
               (ids.at(blockEnd + 1) == '\t' || ids.at(blockEnd + 1) == '#'))
            blockEnd = ids.indexOf('\n', blockEnd + 1);
        const QByteArray deviceKey = "\n\t" + device.toLatin1() + "  ";
        const qsizetype d = ids.indexOf(deviceKey, end);
        if (end >= 0 && d >= 0 && (blockEnd < 0 || d < blockEnd)) {
            const qsizetype ds = d + deviceKey.size();
            deviceName = QString::fromUtf8(ids.mid(ds, ids.indexOf('\n', ds) - ds)).trimmed();
        }
    }
    if (vendorName.isEmpty())
        vendorName = QStringLiteral("PCI vendor %1").arg(vendor);
    if (deviceName.isEmpty())
        deviceName = QStringLiteral("device %1").arg(device);
    return vendorName + QLatin1Char(' ') + deviceName;
}

QString pciNameFromHwdb(const QByteArray &hwdb, const QString &vendor, const QString &device)
{
    auto lookup = [&](const QByteArray &key, const QByteArray &property) {
        const QByteArray line = key + "*\n";
        const qsizetype at = hwdb.startsWith(line) ? 0 : hwdb.indexOf('\n' + line);
        if (at < 0)
            return QString();
        const qsizetype start = hwdb.indexOf(property, at + key.size());
        const qsizetype blockEnd = hwdb.indexOf("\n\n", at + 1);
        if (start < 0 || (blockEnd >= 0 && start > blockEnd))
            return QString();
        const qsizetype valueStart = start + property.size();
        return QString::fromUtf8(hwdb.mid(valueStart, hwdb.indexOf('\n', valueStart) - valueStart)).trimmed();
    };
    const QByteArray v = "pci:v0000" + vendor.toUpper().toLatin1();
    QString vendorName = lookup(v, " ID_VENDOR_FROM_DATABASE=");
    QString deviceName = lookup(v + "d0000" + device.toUpper().toLatin1(), " ID_MODEL_FROM_DATABASE=");
    if (vendorName.isEmpty())
        vendorName = QStringLiteral("PCI vendor %1").arg(vendor);
    if (deviceName.isEmpty())
        deviceName = QStringLiteral("device %1").arg(device);
    return vendorName + QLatin1Char(' ') + deviceName;
}

QString collectGpus(const SysRoot &root)
{
    const QString base = QStringLiteral("/sys/bus/pci/devices/");
    QStringList names;
    QByteArray ids, hwdb;
    bool idsLoaded = false;
    for (const QString &dev : root.list(base)) {
        if (!root.readLine(base + dev + QStringLiteral("/class")).startsWith(QLatin1String("0x03")))
            continue;
        if (!idsLoaded) {
            idsLoaded = true;
            for (const char *file : {"/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids"}) {
                bool ok = false;
                ids = root.read(QLatin1String(file), &ok);
                if (ok)
                    break;
            }
            // Without pci.ids, systemd's hwdb source has the same names.
            if (ids.isEmpty())
                hwdb = root.read(QStringLiteral("/usr/lib/udev/hwdb.d/20-pci-vendor-model.hwdb"));
        }
        const QString vendor = root.readLine(base + dev + QStringLiteral("/vendor")).mid(2).toLower();
        const QString device = root.readLine(base + dev + QStringLiteral("/device")).mid(2).toLower();
        names << (ids.isEmpty() && !hwdb.isEmpty() ? pciNameFromHwdb(hwdb, vendor, device)
                                                   : pciName(ids, vendor, device));
    }
    return names.join(QLatin1Char('\n'));
}

QJsonArray collectUsbDevices(const SysRoot &root)
{
    const QString base = QStringLiteral("/sys/bus/usb/devices/");
    QJsonArray out;
    for (const QString &dev : root.list(base)) {
        bool ok = false;
        const QString vendor = root.readLine(base + dev + QStringLiteral("/idVendor"), &ok);
        if (!ok)
            continue; // an interface (1-1:1.0), not a device
        QJsonObject o{
            {QStringLiteral("subsystem"), QStringLiteral("usb")},
            {QStringLiteral("vendor"), vendor.toInt(nullptr, 16)},
            {QStringLiteral("product"), root.readLine(base + dev + QStringLiteral("/idProduct")).toInt(nullptr, 16)}};
        bool has = false;
        const QString serial = root.readLine(base + dev + QStringLiteral("/serial"), &has).trimmed();
        if (has)
            o.insert(QStringLiteral("serial"), serial);
        const QString name = root.readLine(base + dev + QStringLiteral("/product"), &has).trimmed();
        if (has)
            o.insert(QStringLiteral("name"), name);
        out.append(o);
    }
    return out;
}

BatteryState readBattery(const SysRoot &root)
{
    const QString base = QStringLiteral("/sys/class/power_supply/");
    BatteryState s;
    double nowSum = 0, fullSum = 0, capacitySum = 0;
    int batteries = 0;
    bool energyKnown = true;
    bool mainsPresent = false, mainsOnline = false;
    QStringList statuses;
    for (const QString &supply : root.list(base)) {
        const QString dir = base + supply + QLatin1Char('/');
        const QString type = root.readLine(dir + QStringLiteral("type"));
        if (type == QLatin1String("Mains")) {
            mainsPresent = true;
            mainsOnline = mainsOnline || root.readLine(dir + QStringLiteral("online")) == QLatin1String("1");
            continue;
        }
        if (type != QLatin1String("Battery") || root.readLine(dir + QStringLiteral("scope")) == QLatin1String("Device"))
            continue;
        if (root.readLine(dir + QStringLiteral("present")) == QLatin1String("0"))
            continue;
        ++batteries;
        statuses << root.readLine(dir + QStringLiteral("status"));
        bool okNow = false, okFull = false;
        double now = root.readLine(dir + QStringLiteral("energy_now")).toDouble(&okNow);
        double full = root.readLine(dir + QStringLiteral("energy_full")).toDouble(&okFull);
        if (!okNow || !okFull) {
            now = root.readLine(dir + QStringLiteral("charge_now")).toDouble(&okNow);
            full = root.readLine(dir + QStringLiteral("charge_full")).toDouble(&okFull);
        }
        if (okNow && okFull && full > 0) {
            nowSum += now;
            fullSum += full;
        } else {
            energyKnown = false;
        }
        capacitySum += root.readLine(dir + QStringLiteral("capacity")).toDouble();
    }
    if (batteries == 0)
        return s;
    s.present = true;
    // Several batteries (ThinkPads): weigh by capacity when the energy counters exist.
    s.level = energyKnown && fullSum > 0 ? nowSum / fullSum : capacitySum / batteries / 100.0;
    s.level = std::min(1.0, std::max(0.0, s.level));
    if (mainsPresent)
        s.status = mainsOnline ? 1 : 2;
    else
        s.status = statuses.contains(QLatin1String("Discharging")) ? 2 : 1;
    return s;
}

} // namespace oco::platform
