#pragma once

#include <QJsonArray>
#include <QString>

namespace oco::platform {

class SysRoot;

// Display controllers (PCI class 0x03) from /sys/bus/pci/devices, one per line, named from pci.ids when
// installed (/usr/share/misc/pci.ids or /usr/share/hwdata/pci.ids), else from systemd's hwdb source.
QString collectGpus(const SysRoot &root);
// "Vendor Device" from a pci.ids text; ids are lowercase hex without 0x.
QString pciName(const QByteArray &pciIds, const QString &vendor, const QString &device);

// The same from systemd's hwdb source (/usr/lib/udev/hwdb.d/20-pci-vendor-model.hwdb).
QString pciNameFromHwdb(const QByteArray &hwdb, const QString &vendor, const QString &device);

// USB devices from /sys/bus/usb/devices: vendor/product as decimal integers, serial and name when known.
QJsonArray collectUsbDevices(const SysRoot &root);

struct BatteryState
{
    bool present = false;
    double level = 0; // 0..1
    int status = 0;   // 1 = on mains (charging, full), 2 = on battery
};
// System batteries from /sys/class/power_supply (peripheral batteries such as a mouse's are left out).
BatteryState readBattery(const SysRoot &root);

} // namespace oco::platform
