#include "platform/linux/inventory/Accounts.h"
#include "platform/linux/inventory/Edid.h"
#include "platform/linux/inventory/Hardware.h"
#include "platform/linux/inventory/InventoryCollector.h"
#include "platform/linux/inventory/Networks.h"
#include "platform/linux/inventory/Partitions.h"
#include "platform/linux/inventory/Printers.h"
#include "platform/linux/inventory/Software.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <unistd.h>

using namespace oco;
using namespace oco::platform;

namespace {
QString fixture(const char *name)
{
    return QStringLiteral(OCO_FIXTURES "/inventory/") + QLatin1String(name);
}

QString json(const QJsonValue &v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

QSet<QString> keysOf(const QJsonObject &o)
{
    const QStringList k = o.keys();
    return QSet<QString>(k.begin(), k.end());
}

// Stands in for the system calls that do not go through the sysroot.
class FakeSystem : public InventorySystem
{
public:
    QString host;
    QString canonical;
    QString arch = QStringLiteral("x86_64");
    QList<NetInterface> ifaces;
    std::map<QString, FsUsage> usage;
    QStringList asked;

    QString hostname() override { return host; }
    QString canonicalHostname(const QString &h) override
    {
        asked << h;
        return canonical;
    }
    QString machine() override { return arch; }
    QList<NetInterface> interfaces() override { return ifaces; }
    std::optional<FsUsage> fsUsage(const QString &mountpoint, const QString &) override
    {
        const auto it = usage.find(mountpoint);
        if (it == usage.end())
            return std::nullopt;
        return it->second;
    }
};

const QSet<QString> kLegacyKeys{QStringLiteral("os"),
                                QStringLiteral("os_version"),
                                QStringLiteral("os_license"),
                                QStringLiteral("os_language"),
                                QStringLiteral("kernel_version"),
                                QStringLiteral("architecture"),
                                QStringLiteral("cpu"),
                                QStringLiteral("gpu"),
                                QStringLiteral("ram"),
                                QStringLiteral("agent_version"),
                                QStringLiteral("serial"),
                                QStringLiteral("manufacturer"),
                                QStringLiteral("model"),
                                QStringLiteral("bios_version"),
                                QStringLiteral("uptime"),
                                QStringLiteral("boot_type"),
                                QStringLiteral("secure_boot"),
                                QStringLiteral("domain"),
                                QStringLiteral("networks"),
                                QStringLiteral("screens"),
                                QStringLiteral("printers"),
                                QStringLiteral("partitions"),
                                QStringLiteral("software"),
                                QStringLiteral("logins")};

QSet<QString> currentKeys()
{
    QSet<QString> k = kLegacyKeys;
    k << QStringLiteral("battery_level") << QStringLiteral("battery_status") << QStringLiteral("users")
      << QStringLiteral("devices");
    return k;
}

std::shared_ptr<FakeSystem> laptopSystem()
{
    auto s = std::make_shared<FakeSystem>();
    s->host = QStringLiteral("laptop1");
    s->ifaces = {
        NetInterface{
            QStringLiteral("lo"),
            {QStringLiteral("00:00:00:00:00:00")},
            {NetAddress{false, QStringLiteral("127.0.0.1"), QStringLiteral("255.0.0.0"), {}},
             NetAddress{
                 true, QStringLiteral("::1"), QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), {}}}},
        NetInterface{QStringLiteral("enp0s31f6"), {QStringLiteral("e4:b9:7a:01:02:03")}, {}},
        NetInterface{
            QStringLiteral("wlp2s0"),
            {QStringLiteral("9c:b6:d0:aa:bb:cc")},
            {NetAddress{
                 true, QStringLiteral("fe80::9eb6:d0ff:feaa:bbcc"), QStringLiteral("ffff:ffff:ffff:ffff::/64"), {}},
             NetAddress{true, QStringLiteral("2001:db8::10"), QStringLiteral("ffff:ffff:ffff:ffff::/64"), {}},
             NetAddress{false, QStringLiteral("192.168.1.23"), QStringLiteral("255.255.255.0"),
                        QStringLiteral("192.168.1.255")}}},
        NetInterface{
            QStringLiteral("wg0"),
            {},
            {NetAddress{false, QStringLiteral("10.8.0.2"), QStringLiteral("255.255.255.0"), {}},
             NetAddress{
                 true, QStringLiteral("fd00::4"), QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:0/112"), {}}}},
    };
    s->usage[QStringLiteral("/")] = FsUsage{100000000000, 40000000000};
    s->usage[QStringLiteral("/boot")] = FsUsage{1000000000, 700000000};
    s->usage[QStringLiteral("/boot/efi")] = FsUsage{500000000, 490000000};
    s->usage[QStringLiteral("/home")] = FsUsage{400000000000, 123456789012};
    s->usage[QStringLiteral("/srv/home-bind")] = FsUsage{400000000000, 123456789012};
    s->usage[QStringLiteral("/snap/core22/1380")] = FsUsage{77000000, 0};
    s->usage[QStringLiteral("/media/jdoe/USB STICK")] = FsUsage{32000000000, 31000000000};
    return s;
}

InventoryOptions laptopOptions(InventoryDialect dialect = InventoryDialect::Current)
{
    InventoryOptions o;
    o.sysroot = fixture("laptop");
    o.dialect = dialect;
    o.agentVersion = QStringLiteral("9.9.9");
    o.loginsSince = QDateTime(QDate(2025, 6, 30), QTime(23, 59, 59), Qt::UTC);
    o.live = false;
    o.today = QDate(2025, 7, 10);
    o.system = laptopSystem();
    return o;
}
} // namespace

class TestInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void laptopScalars();
    void laptopNetworks();
    void laptopScreens();
    void laptopPrinters();
    void laptopPartitions();
    void laptopSoftware();
    void laptopLogins();
    void laptopUsersAndDevices();
    void legacyDialectKeySet();
    void armBoard();
    void serverWithoutDmiSerial();
    void rpmAndFlatpak();
    void emptyRootLosesNoField();
    void unreadableFilesAsUnprivilegedUser();
    void cliPrintsBothDialects();

    void edidRejectsBrokenBlocks();
    void uriCredentialsAreStripped();
    void wtmpIgnoresPartialRecords();
    void mountinfoEscapes();
    void pciNames();
    void sysfsInterfaces();
    void cpuFallbacks_data();
    void cpuFallbacks();
    void batteryOnMains();
    void domainSources();
};

void TestInventory::laptopScalars()
{
    InventoryCollector inv(laptopOptions());
    const QJsonObject o = inv.collect();
    QVERIFY2(inv.errors().isEmpty(), qPrintable(inv.errors().join(QLatin1Char('\n'))));
    QCOMPARE(keysOf(o), currentKeys());
    QCOMPARE(o.value("os").toString(), QStringLiteral("Debian GNU/Linux"));
    QCOMPARE(o.value("os_version").toString(), QStringLiteral("12"));
    QCOMPARE(o.value("os_license").toString(), QStringLiteral("-"));
    QCOMPARE(o.value("os_language").toString(), QStringLiteral("de_DE.UTF-8"));
    QCOMPARE(o.value("kernel_version").toString(), QStringLiteral("6.1.0-18-amd64"));
    QCOMPARE(o.value("architecture").toString(), QStringLiteral("x86_64"));
    QCOMPARE(o.value("cpu").toString(), QStringLiteral("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz"));
    QCOMPARE(o.value("gpu").toString(), QStringLiteral("Intel Corporation UHD Graphics 620\n"
                                                       "NVIDIA Corporation GP108M [GeForce MX150]\n"
                                                       "PCI vendor 1234 device 1111"));
    QVERIFY(o.value("ram").isDouble());
    QCOMPARE(o.value("ram").toDouble(), 16231584.0 * 1024);
    QCOMPARE(o.value("agent_version").toString(), QStringLiteral("9.9.9"));
    QCOMPARE(o.value("serial").toString(), QStringLiteral("5CG1234XYZ"));
    QCOMPARE(o.value("manufacturer").toString(), QStringLiteral("Dell Inc."));
    QCOMPARE(o.value("model").toString(), QStringLiteral("Latitude 7490"));
    QCOMPARE(o.value("bios_version").toString(), QStringLiteral("1.21.0"));
    QCOMPARE(o.value("uptime").toDouble(), 12345.67);
    QCOMPARE(o.value("boot_type").toString(), QStringLiteral("UEFI"));
    QCOMPARE(o.value("secure_boot").toString(), QStringLiteral("1"));
    QCOMPARE(o.value("domain").toString(), QStringLiteral("corp.example.com"));
    QCOMPARE(o.value("battery_level").toDouble(), 0.75); // 31.5 of 42 Wh; the mouse battery is not counted
    QCOMPARE(o.value("battery_status").toInt(), 2);      // AC adapter offline
    QCOMPARE(inv.machineUid(), QStringLiteral("4c4c4544-0042-3510-8056-b2c04f4a3233"));
}

void TestInventory::laptopNetworks()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray expected{
        QJsonObject{{"addr", "-"},
                    {"netmask", "-"},
                    {"broadcast", "-"},
                    {"mac", "e4:b9:7a:01:02:03"},
                    {"interface", "enp0s31f6"}},
        QJsonObject{{"addr", "192.168.1.23"},
                    {"netmask", "255.255.255.0"},
                    {"broadcast", "192.168.1.255"},
                    {"mac", "9c:b6:d0:aa:bb:cc"},
                    {"interface", "wlp2s0"}},
        QJsonObject{{"addr", "2001:db8::10"},
                    {"netmask", "ffff:ffff:ffff:ffff::/64"},
                    {"broadcast", "-"},
                    {"mac", "9c:b6:d0:aa:bb:cc"},
                    {"interface", "wlp2s0"}},
        QJsonObject{
            {"addr", "10.8.0.2"}, {"netmask", "255.255.255.0"}, {"broadcast", "-"}, {"mac", "-"}, {"interface", "wg0"}},
        QJsonObject{{"addr", "fd00::4"},
                    {"netmask", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:0/112"},
                    {"broadcast", "-"},
                    {"mac", "-"},
                    {"interface", "wg0"}},
    };
    QCOMPARE(json(inv.networks()), json(expected));
    QCOMPARE(json(inv.collect().value("networks")), json(expected));
}

void TestInventory::laptopScreens()
{
    InventoryCollector inv(laptopOptions());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("card0-DP-2.*checksum")));
    const QJsonArray expected{
        QJsonObject{{"name", "DELL U2412M"},
                    {"manufacturer", "Dell Inc."},
                    {"manufactured", "2013"},
                    {"resolution", "1920 x 1200"},
                    {"size", "52.0 x 32.0"},
                    {"type", "41082"},
                    {"serialno", "ABCD1234"},
                    {"technology", "digital"}},
        QJsonObject{{"name", "AUO B140HAN04.0"},
                    {"manufacturer", "AU Optronics"},
                    {"manufactured", "2017"},
                    {"resolution", "1920 x 1080"},
                    {"size", "31.0 x 17.0"},
                    {"type", "9277"},
                    {"serialno", "-"},
                    {"technology", "digital"}},
    };
    QCOMPARE(json(inv.screens()), json(expected));
}

void TestInventory::laptopPrinters()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray expected{
        QJsonObject{{"name", "Office_Laser"},
                    {"driver", "HP LaserJet Pro M404-M405 Postscript (recommended)"},
                    {"paper", "A4"},
                    {"dpi", "600"},
                    {"uri", "smb://fileserver.corp.example.com/OfficeLaser"},
                    {"status", "idle"}},
        QJsonObject{{"name", "Label_Printer"},
                    {"driver", "Zebra ZPL Label Printer"},
                    {"paper", ""},
                    {"dpi", ""},
                    {"uri", "ipp://192.168.1.50:631/ipp/print"},
                    {"status", "stopped"}},
    };
    const QJsonArray got = inv.printers();
    QCOMPARE(json(got), json(expected));
    QVERIFY(!json(got).contains(QStringLiteral("S3cr")));
}

void TestInventory::laptopPartitions()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray expected{
        QJsonObject{{"device", "/dev/mapper/vg-root"},
                    {"mountpoint", "/"},
                    {"filesystem", "ext4"},
                    {"size", 100000000000LL},
                    {"free", 40000000000LL},
                    {"name", "root"},
                    {"uuid", "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b"},
                    {"encrypted", true}},
        QJsonObject{{"device", "/dev/nvme0n1p2"},
                    {"mountpoint", "/boot"},
                    {"filesystem", "ext4"},
                    {"size", 1000000000LL},
                    {"free", 700000000LL},
                    {"name", ""},
                    {"uuid", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"},
                    {"encrypted", false}},
        QJsonObject{{"device", "/dev/nvme0n1p1"},
                    {"mountpoint", "/boot/efi"},
                    {"filesystem", "vfat"},
                    {"size", 500000000LL},
                    {"free", 490000000LL},
                    {"name", ""},
                    {"uuid", "C0DE-1234"},
                    {"encrypted", false}},
        QJsonObject{{"device", "/dev/mapper/vg-home"},
                    {"mountpoint", "/home"},
                    {"filesystem", "ext4"},
                    {"size", 400000000000LL},
                    {"free", 123456789012LL},
                    {"name", "home"},
                    {"uuid", "a1b2c3d4-e5f6-4788-99aa-bbccddeeff00"},
                    {"encrypted", true}},
        QJsonObject{{"device", "/dev/sda1"},
                    {"mountpoint", "/media/jdoe/USB STICK"},
                    {"filesystem", "vfat"},
                    {"size", 32000000000LL},
                    {"free", 31000000000LL},
                    {"name", "USB STICK"},
                    {"uuid", "1234-ABCD"},
                    {"encrypted", false}},
    };
    QCOMPARE(json(inv.partitions()), json(expected));
    // The crypt mapping is two levels below the LVM volume (dm-1 -> dm-0 -> nvme0n1p3).
    const SysRoot root(fixture("laptop"));
    QVERIFY(isEncryptedDevice(root, QStringLiteral("dm-1")));
    QVERIFY(isEncryptedDevice(root, QStringLiteral("dm-0")));
    QVERIFY(isEncryptedDevice(root, QStringLiteral("dm-2"))); // LVM -> md RAID -> LUKS: three levels
    QVERIFY(isEncryptedDevice(root, QStringLiteral("md0")));
    QVERIFY(!isEncryptedDevice(root, QStringLiteral("nvme0n1p3")));

    // dm-verity and dm-integrity mappings come from cryptsetup too, but encrypt nothing.
    QTemporaryDir dir;
    auto put = [&](const QString &file, const QByteArray &value) {
        QDir().mkpath(QFileInfo(dir.path() + file).path());
        QFile f(dir.path() + file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(value);
    };
    put(QStringLiteral("/sys/class/block/dm-0/dm/uuid"), "CRYPT-VERITY-0123-usr\n");
    put(QStringLiteral("/sys/class/block/dm-1/dm/uuid"), "CRYPT-INTEGRITY-4567-data\n");
    put(QStringLiteral("/sys/class/block/dm-2/dm/uuid"), "CRYPT-BITLK-89ab-win\n");
    const SysRoot other(dir.path());
    QVERIFY(!isEncryptedDevice(other, QStringLiteral("dm-0")));
    QVERIFY(!isEncryptedDevice(other, QStringLiteral("dm-1")));
    QVERIFY(isEncryptedDevice(other, QStringLiteral("dm-2")));
}

void TestInventory::laptopSoftware()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray expected{
        QJsonObject{{"name", "adduser"}, {"version", "3.134"}, {"description", "add and remove users and groups"}},
        QJsonObject{{"name", "firefox-esr"},
                    {"version", "128.3.0esr-1~deb12u1"}, // from updates/0001
                    {"description", "Mozilla Firefox web browser - Extended Support Release (ESR)"}},
        QJsonObject{
            {"name", "libc6"}, {"version", "2.36-9+deb12u7"}, {"description", "GNU C Library: Shared libraries"}},
        QJsonObject{{"name", "linux-image-6.1.0-18-amd64"},
                    {"version", "6.1.76-1"},
                    {"description", "Linux 6.1 for 64-bit PCs (signed)"}},
        QJsonObject{{"name", "man-db"}, {"version", "2.11.2-2"}, {"description", "tools for reading manual pages"}},
        QJsonObject{{"name", "firefox"}, {"version", "127.0.2-1"}, {"description", "Mozilla Firefox web browser"}},
    };
    QCOMPARE(json(inv.software()), json(expected));
}

void TestInventory::laptopLogins()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray expected{
        QJsonObject{{"username", "admin"},
                    {"console", "pts/1"},
                    {"timestamp", "2025-07-01 00:10:00"},
                    {"display_name", "Admin User"},
                    {"guid", QJsonValue::Null}},
        QJsonObject{{"username", "jdoe"},
                    {"console", ":0"},
                    {"timestamp", "2025-07-01 07:30:00"},
                    {"display_name", "Jane Doe"},
                    {"guid", QJsonValue::Null}},
        QJsonObject{{"username", "ldapuser"},
                    {"console", "pts/0"},
                    {"timestamp", "2025-07-02 12:00:00"},
                    {"display_name", ""},
                    {"guid", QJsonValue::Null}},
        // only in wtmpdb; its copy of jdoe's 07:30 login is reported once
        QJsonObject{{"username", "jdoe"},
                    {"console", "pts/2"},
                    {"timestamp", "2025-07-03 08:00:00"},
                    {"display_name", "Jane Doe"},
                    {"guid", QJsonValue::Null}},
    };
    QCOMPARE(json(inv.logins()), json(expected));

    InventoryOptions all = laptopOptions();
    all.loginsSince = QDateTime();
    const QJsonArray every = InventoryCollector(all).logins();
    QStringList seen;
    for (const QJsonValue &v : every)
        seen << v[QLatin1String("username")].toString() + QLatin1Char('@') + v[QLatin1String("timestamp")].toString();
    QCOMPARE(seen,
             QStringList({"jdoe@2025-06-30 07:01:00", "bob@2025-06-30 23:59:59", "admin@2025-07-01 00:10:00",
                          "jdoe@2025-07-01 07:30:00", "ldapuser@2025-07-02 12:00:00", "jdoe@2025-07-03 08:00:00"}));

    // A damaged wtmpdb costs only its own records; with no other source it is the field's error.
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.path() + QStringLiteral("/var/lib/wtmpdb")));
    QVERIFY(QDir().mkpath(dir.path() + QStringLiteral("/var/log")));
    QFile bad(dir.path() + QStringLiteral("/var/lib/wtmpdb/wtmp.db"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(QByteArray(4096, 'x'));
    bad.close();
    InventoryOptions damaged;
    damaged.sysroot = dir.path();
    damaged.live = false;
    InventoryCollector withoutWtmp(damaged);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("field logins left empty: not readable: .*wtmp.db")));
    QCOMPARE(withoutWtmp.collect().value("logins").toArray().size(), 0);
    QVERIFY(
        QFile::copy(fixture("laptop") + QStringLiteral("/var/log/wtmp"), dir.path() + QStringLiteral("/var/log/wtmp")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("logins: not readable: .*wtmp.db")));
    QCOMPARE(InventoryCollector(damaged).logins().size(), 3);
}

void TestInventory::laptopUsersAndDevices()
{
    InventoryCollector inv(laptopOptions());
    const QJsonArray users{
        QJsonObject{{"username", "jdoe"},
                    {"display_name", "Jane Doe"},
                    {"uid", 1000},
                    {"gid", 1000},
                    {"home", "/home/jdoe"},
                    {"shell", "/bin/bash"},
                    {"disabled", false}},
        QJsonObject{{"username", "admin"},
                    {"display_name", "Admin User"},
                    {"uid", 1001},
                    {"gid", 1001},
                    {"home", "/home/admin"},
                    {"shell", "/bin/zsh"},
                    {"disabled", true}}, // locked: "!"
        QJsonObject{{"username", "bob"},
                    {"display_name", "Bob"},
                    {"uid", 1002},
                    {"gid", 100},
                    {"home", "/home/bob"},
                    {"shell", "/bin/bash"},
                    {"disabled", true}}, // account expired
        QJsonObject{{"username", "svc-backup"},
                    {"display_name", ""},
                    {"uid", 1003},
                    {"gid", 1003},
                    {"home", "/var/lib/backup"},
                    {"shell", "/usr/sbin/nologin"},
                    {"disabled", true}},
        QJsonObject{{"username", "nobody"},
                    {"display_name", "nobody"},
                    {"uid", 65534},
                    {"gid", 65534},
                    {"home", "/nonexistent"},
                    {"shell", "/usr/sbin/nologin"},
                    {"disabled", true}},
    };
    QCOMPARE(json(inv.users()), json(users));

    InventoryOptions narrow = laptopOptions();
    narrow.minUid = 1001;
    narrow.maxUid = 1002;
    QCOMPARE(InventoryCollector(narrow).users().size(), 2);

    const QJsonArray devices{
        QJsonObject{{"subsystem", "usb"}, {"vendor", 1133}, {"product", 50475}, {"name", "USB Receiver"}},
        QJsonObject{{"subsystem", "usb"}, {"vendor", 3034}, {"product", 21521}},
        QJsonObject{{"subsystem", "usb"},
                    {"vendor", 1921},
                    {"product", 21889},
                    {"serial", "4C530001230815117373"},
                    {"name", "Ultra"}},
        QJsonObject{{"subsystem", "usb"},
                    {"vendor", 7531},
                    {"product", 2},
                    {"serial", "0000:00:14.0"},
                    {"name", "xHCI Host Controller"}},
    };
    QCOMPARE(json(inv.devices()), json(devices));
}

void TestInventory::legacyDialectKeySet()
{
    InventoryCollector inv(laptopOptions(InventoryDialect::Legacy2021));
    const QJsonObject o = inv.collect();
    QCOMPARE(keysOf(o), kLegacyKeys);
    QCOMPARE(o.value("uptime").toDouble(), 12345.0); // whole seconds for the 2021 server
    const QJsonObject part = o.value("partitions").toArray().at(0).toObject();
    QCOMPARE(keysOf(part), QSet<QString>({"device", "mountpoint", "filesystem", "size", "free", "name", "serial"}));
    QCOMPARE(part.value("name").toString(), QStringLiteral("root"));
    const QJsonObject login = o.value("logins").toArray().at(0).toObject();
    QCOMPARE(keysOf(login), QSet<QString>({"username", "console", "timestamp"}));
    QCOMPARE(o.value("screens").toArray().size(), 2);
}

void TestInventory::armBoard()
{
    InventoryOptions o;
    o.sysroot = fixture("arm");
    o.live = false; // hostname and architecture from the tree's files
    InventoryCollector inv(o);
    const QJsonObject out = inv.collect();
    QVERIFY2(inv.errors().isEmpty(), qPrintable(inv.errors().join(QLatin1Char('\n'))));
    QCOMPARE(out.value("cpu").toString(), QStringLiteral("ARM Cortex-A72"));
    QCOMPARE(out.value("architecture").toString(), QStringLiteral("aarch64"));
    QCOMPARE(out.value("kernel_version").toString(), QStringLiteral("6.12.34+rpt-rpi-v8"));
    QCOMPARE(out.value("os").toString(), QStringLiteral("Debian GNU/Linux"));
    QCOMPARE(out.value("os_version").toString(), QStringLiteral("13"));
    QCOMPARE(out.value("os_language").toString(), QStringLiteral("en_GB.UTF-8"));
    QCOMPARE(out.value("ram").toDouble(), 3884072.0 * 1024);
    QCOMPARE(out.value("uptime").toDouble(), 86400.0);
    QCOMPARE(out.value("serial").toString(), QString());
    QCOMPARE(out.value("manufacturer").toString(), QString());
    QCOMPARE(out.value("model").toString(), QStringLiteral("Raspberry Pi 4 Model B Rev 1.4")); // device tree
    QCOMPARE(out.value("bios_version").toString(), QString());
    QCOMPARE(out.value("boot_type").toString(), QStringLiteral("Legacy"));
    QCOMPARE(out.value("secure_boot").toString(), QStringLiteral("0"));
    QCOMPARE(out.value("domain").toString(), QStringLiteral("lab.example.org")); // resolv.conf domain
    QCOMPARE(out.value("gpu").toString(), QString());
    QCOMPARE(out.value("battery_level"), QJsonValue(false));
    QCOMPARE(out.value("battery_status"), QJsonValue(false));
    QCOMPARE(out.value("networks").toArray().size(), 0);
    QCOMPARE(out.value("partitions").toArray().size(), 0); // no usage without statvfs
    QCOMPARE(json(out.value("software")),
             json(QJsonArray{QJsonObject{
                 {"name", "adduser"}, {"version", "3.134"}, {"description", "add and remove users and groups"}}}));
    QCOMPARE(json(out.value("users")), json(QJsonArray{QJsonObject{{"username", "pi"},
                                                                   {"display_name", ""},
                                                                   {"uid", 1000},
                                                                   {"gid", 1000},
                                                                   {"home", "/home/pi"},
                                                                   {"shell", "/bin/bash"},
                                                                   {"disabled", false}}}));
    // HDMI monitor: 3840 x 2160 preferred timing; maker's name from systemd's hwdb (no hwdata installed).
    QCOMPARE(json(out.value("screens")), json(QJsonArray{QJsonObject{{"name", "LG HDR 4K"},
                                                                     {"manufacturer", "Goldstar Company Ltd"},
                                                                     {"manufactured", "2019"},
                                                                     {"resolution", "3840 x 2160"},
                                                                     {"size", "60.0 x 34.0"},
                                                                     {"type", "30471"},
                                                                     {"serialno", "107187"},
                                                                     {"technology", "digital"}}}));
    // Debian 13 keeps logins in wtmpdb (SQLite, microseconds); there is no /var/log/wtmp.
    QCOMPARE(json(out.value("logins")), json(QJsonArray{QJsonObject{{"username", "pi"},
                                                                    {"console", "tty1"},
                                                                    {"timestamp", "2025-10-01 08:00:00"},
                                                                    {"display_name", ""},
                                                                    {"guid", QJsonValue::Null}},
                                                        QJsonObject{{"username", "pi"},
                                                                    {"console", "pts/0"},
                                                                    {"timestamp", "2025-10-02 09:15:00"},
                                                                    {"display_name", ""},
                                                                    {"guid", QJsonValue::Null}}}));
    o.loginsSince = QDateTime(QDate(2025, 10, 1), QTime(8, 0, 0), Qt::UTC); // 08:00:00.25 is not after it
    QCOMPARE(InventoryCollector(o).logins().size(), 1);
    o.loginsSince = QDateTime();
    for (const char *empty : {"printers", "devices"})
        QVERIFY2(out.value(QLatin1String(empty)).toArray().isEmpty(), empty);
    QCOMPARE(inv.machineUid(), QString());

    // With a statvfs answer the SD card partitions appear with their labels.
    auto sys = std::make_shared<FakeSystem>();
    sys->usage[QStringLiteral("/")] = FsUsage{31000000000, 20000000000};
    sys->usage[QStringLiteral("/boot/firmware")] = FsUsage{500000000, 400000000};
    o.system = sys;
    QCOMPARE(json(InventoryCollector(o).partitions()),
             json(QJsonArray{QJsonObject{{"device", "/dev/mmcblk0p2"},
                                         {"mountpoint", "/"},
                                         {"filesystem", "ext4"},
                                         {"size", 31000000000LL},
                                         {"free", 20000000000LL},
                                         {"name", "rootfs"},
                                         {"uuid", "3d8f1e2a-7c6b-4a59-8e0d-1f2a3b4c5d6e"},
                                         {"encrypted", false}},
                             QJsonObject{{"device", "/dev/mmcblk0p1"},
                                         {"mountpoint", "/boot/firmware"},
                                         {"filesystem", "vfat"},
                                         {"size", 500000000LL},
                                         {"free", 400000000LL},
                                         {"name", "bootfs"},
                                         {"uuid", ""},
                                         {"encrypted", false}}}));
}

void TestInventory::serverWithoutDmiSerial()
{
    auto sys = std::make_shared<FakeSystem>();
    sys->host = QStringLiteral("srv01.dc.example.net");
    sys->usage[QStringLiteral("/")] = FsUsage{480000000000, 300000000000};
    sys->usage[QStringLiteral("/mnt/backup")] = FsUsage{8000000000000, 2000000000000};
    InventoryOptions o;
    o.sysroot = fixture("server");
    o.system = sys;
    o.minUid = 1000;
    o.maxUid = 60000;
    InventoryCollector inv(o);
    const QJsonObject out = inv.collect();
    QVERIFY2(inv.errors().isEmpty(), qPrintable(inv.errors().join(QLatin1Char('\n'))));
    QCOMPARE(out.value("os").toString(), QStringLiteral("Ubuntu"));
    QCOMPARE(out.value("os_version").toString(), QStringLiteral("22.04"));
    QCOMPARE(out.value("os_language").toString(), QStringLiteral("-"));
    QCOMPARE(out.value("kernel_version").toString(), QStringLiteral("5.15.0-105-generic"));
    QCOMPARE(out.value("cpu").toString(), QStringLiteral("2 x Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz"));
    QCOMPARE(out.value("ram").toDouble(), 196608000.0 * 1024);
    QCOMPARE(out.value("serial").toString(), QString()); // root-only file absent
    QCOMPARE(out.value("manufacturer").toString(), QStringLiteral("Supermicro"));
    QCOMPARE(out.value("model").toString(), QStringLiteral("SYS-1029P-WTR"));
    QCOMPARE(out.value("bios_version").toString(), QStringLiteral("3.4"));
    QCOMPARE(out.value("uptime").toDouble(), 3000000.5);
    QCOMPARE(out.value("boot_type").toString(), QStringLiteral("Legacy"));
    QCOMPARE(out.value("secure_boot").toString(), QStringLiteral("0"));
    QCOMPARE(out.value("domain").toString(), QStringLiteral("dc.example.net"));
    QVERIFY(sys->asked.isEmpty()); // the host name had the domain: no resolver call
    QCOMPARE(out.value("gpu").toString(), QStringLiteral("ASPEED Technology, Inc. ASPEED Graphics Family"));
    QCOMPARE(json(out.value("printers")), json(QJsonArray{QJsonObject{{"name", "backoffice"},
                                                                      {"driver", "Generic PCL"},
                                                                      {"paper", ""},
                                                                      {"dpi", ""},
                                                                      {"uri", "lpd://printsrv/backoffice"},
                                                                      {"status", "idle"}}}));
    QCOMPARE(json(out.value("partitions")), json(QJsonArray{QJsonObject{{"device", "/dev/sda2"},
                                                                        {"mountpoint", "/"},
                                                                        {"filesystem", "xfs"},
                                                                        {"size", 480000000000LL},
                                                                        {"free", 300000000000LL},
                                                                        {"name", ""},
                                                                        {"uuid", ""},
                                                                        {"encrypted", false}},
                                                            QJsonObject{{"device", "nas:/export/backup"},
                                                                        {"mountpoint", "/mnt/backup"},
                                                                        {"filesystem", "nfs4"},
                                                                        {"size", 8000000000000LL},
                                                                        {"free", 2000000000000LL},
                                                                        {"name", ""},
                                                                        {"uuid", ""},
                                                                        {"encrypted", false}}}));
    QCOMPARE(json(out.value("users")), json(QJsonArray{QJsonObject{{"username", "ops"},
                                                                   {"display_name", "Operations"},
                                                                   {"uid", 2000},
                                                                   {"gid", 2000},
                                                                   {"home", "/home/ops"},
                                                                   {"shell", "/bin/bash"},
                                                                   {"disabled", false}}}));
    QCOMPARE(out.value("software").toArray().size(), 1);
    QCOMPARE(out.value("battery_level"), QJsonValue(false));
    QCOMPARE(out.value("battery_status"), QJsonValue(false));
    for (const char *empty : {"networks", "screens", "logins", "devices"})
        QVERIFY2(out.value(QLatin1String(empty)).toArray().isEmpty(), empty);
}

void TestInventory::rpmAndFlatpak()
{
    auto sys = std::make_shared<FakeSystem>();
    sys->host = QStringLiteral("fedora");
    InventoryOptions o;
    o.sysroot = fixture("rpmhost");
    o.system = sys;
    InventoryCollector inv(o);
    const QJsonObject out = inv.collect();
    QCOMPARE(out.value("os").toString(), QStringLiteral("Fedora Linux"));
    QCOMPARE(out.value("os_version").toString(), QStringLiteral("40"));
    QCOMPARE(out.value("os_language").toString(), QStringLiteral("fr_FR.UTF-8"));
    QCOMPARE(out.value("kernel_version").toString(), QStringLiteral("6.9.7-200.fc40.x86_64"));
    QCOMPARE(out.value("cpu").toString(), QStringLiteral("AMD Ryzen 7 PRO 5850U with Radeon Graphics"));
    QCOMPARE(out.value("ram").toDouble(), 32768000.0 * 1024);
    const QJsonArray expected{
        QJsonObject{{"name", "bash"}, {"version", "5.2.26-3.fc40"}, {"description", "The GNU Bourne Again shell"}},
        QJsonObject{{"name", "kernel-core"}, {"version", "6.9.7-200.fc40"}, {"description", "The Linux kernel"}},
        QJsonObject{{"name", "com.example.Tool"}, {"version", "beta"}, {"description", ""}},
        QJsonObject{
            {"name", "org.mozilla.firefox"}, {"version", "128.0"}, {"description", "Fast, Private & Safe Web Browser"}},
    };
    QCOMPARE(json(out.value("software")), json(expected));
    // Fields whose files this tree lacks are errors, logged by name, and still present and empty.
    QCOMPARE(out.value("uptime").toString(), QString());
    QVERIFY(inv.errors().join(QLatin1Char('\n')).contains(QStringLiteral("uptime: /proc/uptime")));
    QVERIFY(inv.errors().join(QLatin1Char('\n')).contains(QStringLiteral("users: /etc/passwd")));
    QCOMPARE(out.value("users").toArray().size(), 0);
}

void TestInventory::emptyRootLosesNoField()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    InventoryOptions o;
    o.sysroot = dir.path();
    o.live = false;
    InventoryCollector inv(o);
    QJsonObject out;
    out = inv.collect();
    QCOMPARE(keysOf(out), currentKeys());
    const QString errors = inv.errors().join(QLatin1Char('\n'));
    for (const char *name :
         {"os", "kernel_version", "architecture", "cpu", "ram", "uptime", "domain", "partitions", "users"})
        QVERIFY2(errors.contains(QLatin1String(name) + QLatin1String(": ")), name);
    QCOMPARE(out.value("cpu").toString(), QString());
    QCOMPARE(out.value("partitions").toArray().size(), 0);
    QCOMPARE(out.value("os_license").toString(), QStringLiteral("-"));
    QCOMPARE(out.value("boot_type").toString(), QStringLiteral("Legacy"));
    QCOMPARE(out.value("battery_level"), QJsonValue(false));
    InventoryOptions legacy = o;
    legacy.dialect = InventoryDialect::Legacy2021;
    QCOMPARE(keysOf(InventoryCollector(legacy).collect()), kLegacyKeys);
}

void TestInventory::unreadableFilesAsUnprivilegedUser()
{
    // Copy the server tree and make the root-only files unreadable for the agent: as root (CI) the agent
    // runs as nobody through setpriv, otherwise the files get mode 000.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                  QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup |
                                                  QFile::ExeGroup));
    const QString root = dir.path() + QStringLiteral("/server");
    QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), fixture("server"), root}), 0);
    for (const char *f : {"/sys/class/dmi/id/product_serial", "/sys/class/dmi/id/product_uuid"}) {
        QFile file(root + QLatin1String(f));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("S3RV3R-SERIAL\n");
    }
    const bool asRoot = ::geteuid() == 0;
    const QFileDevice::Permissions hidden = asRoot ? QFileDevice::ReadOwner : QFileDevice::Permissions();
    for (const char *f : {"/sys/class/dmi/id/product_serial", "/sys/class/dmi/id/product_uuid",
                          "/etc/cups/printers.conf", "/etc/shadow"})
        QVERIFY(QFile::setPermissions(root + QLatin1String(f), hidden));

    QString program = QStringLiteral(OCO_AGENT_BIN);
    QStringList args{QStringLiteral("--inventory")};
    if (asRoot) {
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (setpriv.isEmpty())
            QSKIP("setpriv (util-linux) is needed to drop root");
        args = QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                           QStringLiteral("--clear-groups"), program} +
               args;
        program = setpriv;
        // The agent binary must be reachable for nobody; if the build tree is private, this cannot run.
        if (QProcess::execute(setpriv, {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                        QStringLiteral("--clear-groups"), QStringLiteral("test"), QStringLiteral("-x"),
                                        QStringLiteral(OCO_AGENT_BIN)}) != 0)
            QSKIP("the agent binary is not executable for uid 65534 (private build directory)");
    }
    QProcess agent;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OCO_SYSROOT"), root);
    agent.setProcessEnvironment(env);
    agent.start(program, args);
    QVERIFY(agent.waitForFinished(30000));
    const QString err = QString::fromUtf8(agent.readAllStandardError());
    QCOMPARE(agent.exitCode(), 0);
    const QJsonObject out = QJsonDocument::fromJson(agent.readAllStandardOutput()).object();
    QCOMPARE(keysOf(out), currentKeys());
    QCOMPARE(out.value("serial").toString(), QString());
    QCOMPARE(out.value("manufacturer").toString(), QStringLiteral("Supermicro"));
    QCOMPARE(out.value("cpu").toString(), QStringLiteral("2 x Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz"));
    QCOMPARE(out.value("printers").toArray().size(), 0);
    // Without /etc/shadow the account is still reported; only the lock state is unknown.
    QCOMPARE(out.value("users").toArray().at(0)[QLatin1String("username")].toString(), QStringLiteral("ops"));
    QVERIFY2(err.contains(QStringLiteral("serial left empty: /sys/class/dmi/id/product_serial is not readable")),
             qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("printers left empty: /etc/cups/printers.conf is not readable")),
             qPrintable(err));
}

void TestInventory::cliPrintsBothDialects()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OCO_SYSROOT"), fixture("laptop"));
    auto run = [&](const QStringList &args, QByteArray *stdoutText) {
        QProcess agent;
        agent.setProcessEnvironment(env);
        agent.start(QStringLiteral(OCO_AGENT_BIN), args);
        if (!agent.waitForFinished(30000))
            return -1;
        *stdoutText = agent.readAllStandardOutput();
        return agent.exitCode();
    };
    QByteArray text;
    QCOMPARE(run({QStringLiteral("--inventory"), QStringLiteral("--dialect"), QStringLiteral("2021")}, &text), 0);
    QJsonObject out = QJsonDocument::fromJson(text).object();
    QCOMPARE(keysOf(out), kLegacyKeys);
    QCOMPARE(out.value("serial").toString(), QStringLiteral("5CG1234XYZ"));
    QVERIFY(!text.trimmed().contains('\n'));

    QCOMPARE(run({QStringLiteral("--inventory"), QStringLiteral("--pretty"), QStringLiteral("--dialect"),
                  QStringLiteral("current")},
                 &text),
             0);
    out = QJsonDocument::fromJson(text).object();
    QCOMPARE(keysOf(out), currentKeys());
    QVERIFY(text.contains("\n    \"battery_level\": 0.75"));
    QCOMPARE(out.value("devices").toArray().size(), 4);
}

void TestInventory::edidRejectsBrokenBlocks()
{
    QFile f(fixture("laptop") + QStringLiteral("/sys/class/drm/card0-DP-1/edid"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    QString error;
    const std::optional<Edid> e = Edid::parse(good, &error);
    QVERIFY(e);
    QCOMPARE(e->pnpId, QStringLiteral("DEL"));
    QCOMPARE(e->productCode, quint16(0xA07A));
    QCOMPARE(e->serialNumber, quint32(0x3032334C));
    QCOMPARE(e->nativeWidth, 1920); // first detailed timing, not the last standard timing (1600x900)
    QCOMPARE(e->nativeHeight, 1200);
    QCOMPARE(e->year, 2013);

    QByteArray bad = good;
    bad[127] = static_cast<char>(bad.at(127) ^ 1);
    QVERIFY(!Edid::parse(bad, &error));
    QVERIFY(error.contains(QStringLiteral("checksum")));
    bad = good;
    bad[1] = 0;
    QVERIFY(!Edid::parse(bad, &error));
    QVERIFY(error.contains(QStringLiteral("header")));
    QVERIFY(!Edid::parse(good.left(100), &error));
    QVERIFY(error.contains(QStringLiteral("100 bytes")));
    // An extension block after the base block is ignored.
    QVERIFY(Edid::parse(good + QByteArray(128, '\x02'), &error));
    QCOMPARE(Edid::pnpIdOf(0x10AC), QStringLiteral("DEL"));
}

void TestInventory::uriCredentialsAreStripped()
{
    QCOMPARE(stripUriCredentials(QStringLiteral("smb://user:pa@ss@host/queue")), QStringLiteral("smb://host/queue"));
    QCOMPARE(stripUriCredentials(QStringLiteral("ipps://admin@printer.example.com:443/ipp/print")),
             QStringLiteral("ipps://printer.example.com:443/ipp/print"));
    QCOMPARE(stripUriCredentials(QStringLiteral("socket://10.0.0.9:9100")), QStringLiteral("socket://10.0.0.9:9100"));
    QCOMPARE(stripUriCredentials(QStringLiteral("ipp://host/printers/a@b")), QStringLiteral("ipp://host/printers/a@b"));
    QCOMPARE(stripUriCredentials(QStringLiteral("usb://HP/LaserJet?serial=1")),
             QStringLiteral("usb://HP/LaserJet?serial=1"));
    QCOMPARE(stripUriCredentials(QStringLiteral("smb://u:p@host")), QStringLiteral("smb://host"));
}

void TestInventory::wtmpIgnoresPartialRecords()
{
    QFile f(fixture("laptop") + QStringLiteral("/var/log/wtmp"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray data = f.readAll();
    QCOMPARE(data.size() % kUtmpRecordSize, 0);
    const QList<LoginRecord> records = parseWtmp(data + QByteArray("\x07\0\0\0torn", 8));
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(1).user, QStringLiteral("jdoe"));
    QCOMPARE(records.at(1).line, QStringLiteral(":0"));
    QCOMPARE(records.at(1).time, QDateTime(QDate(2025, 7, 1), QTime(7, 30), Qt::UTC));
}

void TestInventory::mountinfoEscapes()
{
    const QList<MountEntry> m = parseMountinfo(
        "36 35 98:0 /mnt1 /mnt/my\\040disk\\134x rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
        "garbage line\n"
        "40 35 0:33 / /sys/fs/cgroup rw shared:9 - cgroup2 cgroup2 rw\n");
    QCOMPARE(m.size(), 2);
    QCOMPARE(m.at(0).mountpoint, QStringLiteral("/mnt/my disk\\x"));
    QCOMPARE(m.at(0).root, QStringLiteral("/mnt1"));
    QCOMPARE(m.at(0).majorMinor, QStringLiteral("98:0"));
    QCOMPARE(m.at(0).filesystem, QStringLiteral("ext3"));
    QCOMPARE(m.at(0).source, QStringLiteral("/dev/root"));
    QVERIFY(isPseudoFilesystem(m.at(1).filesystem));
    QVERIFY(!isPseudoFilesystem(QStringLiteral("btrfs")));
}

void TestInventory::pciNames()
{
    const QByteArray ids = "1002  AMD\n\t1234  Not ours\n10de  NVIDIA Corporation\n\t1d10  GP108M [GeForce MX150]\n"
                           "8086  Intel Corporation\n\t3e9b  UHD Graphics 630 (Mobile)\n";
    QCOMPARE(pciName(ids, QStringLiteral("8086"), QStringLiteral("3e9b")),
             QStringLiteral("Intel Corporation UHD Graphics 630 (Mobile)"));
    // A device id known only under another vendor is not borrowed.
    QCOMPARE(pciName(ids, QStringLiteral("10de"), QStringLiteral("1234")),
             QStringLiteral("NVIDIA Corporation device 1234"));
    QCOMPARE(pciName(ids, QStringLiteral("1002"), QStringLiteral("1234")), QStringLiteral("AMD Not ours"));
    QCOMPARE(pciName(QByteArray(), QStringLiteral("1af4"), QStringLiteral("1050")),
             QStringLiteral("PCI vendor 1af4 device 1050"));
    const QByteArray hwdb = "pci:v000010DE*\n ID_VENDOR_FROM_DATABASE=NVIDIA Corporation\n\n"
                            "pci:v000010DEd00001D10*\n ID_MODEL_FROM_DATABASE=GP108M [GeForce MX150]\n\n"
                            "pci:v000010DEd00001D11*\n ID_MODEL_FROM_DATABASE=Other\n";
    QCOMPARE(pciNameFromHwdb(hwdb, QStringLiteral("10de"), QStringLiteral("1d10")),
             QStringLiteral("NVIDIA Corporation GP108M [GeForce MX150]"));
    QCOMPARE(pciNameFromHwdb(hwdb, QStringLiteral("10de"), QStringLiteral("1d12")),
             QStringLiteral("NVIDIA Corporation device 1d12"));
}

void TestInventory::sysfsInterfaces()
{
    const QList<NetInterface> list = platform::sysfsInterfaces(SysRoot(fixture("laptop")));
    QCOMPARE(list.size(), 4);
    QCOMPARE(list.at(0).name, QStringLiteral("lo"));
    QCOMPARE(list.at(1).macs, QStringList{QStringLiteral("e4:b9:7a:01:02:03")});
    QCOMPARE(list.at(3).name, QStringLiteral("wg0"));
    QVERIFY(list.at(3).macs.isEmpty());
    const QJsonArray expected{
        QJsonObject{{"addr", "-"},
                    {"netmask", "-"},
                    {"broadcast", "-"},
                    {"mac", "e4:b9:7a:01:02:03"},
                    {"interface", "enp0s31f6"}},
        QJsonObject{{"addr", "2001:db8::10"},
                    {"netmask", "ffff:ffff:ffff:ffff::/64"},
                    {"broadcast", "-"},
                    {"mac", "9c:b6:d0:aa:bb:cc"},
                    {"interface", "wlp2s0"}},
        QJsonObject{{"addr", "fd00::4"},
                    {"netmask", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:0/112"},
                    {"broadcast", "-"},
                    {"mac", "-"},
                    {"interface", "wg0"}},
    };
    QCOMPARE(json(networkEntries(list)), json(expected));
    // The live source answers too (no assumption about this machine's interfaces beyond the key set).
    const QJsonArray live = networkEntries(systemInterfaces());
    for (const QJsonValue &v : live)
        QCOMPARE(keysOf(v.toObject()), QSet<QString>({"addr", "netmask", "broadcast", "mac", "interface"}));
    QCOMPARE(json(networkEntries(systemInterfaces())), json(live)); // stable order (the index is identity)
}

void TestInventory::cpuFallbacks_data()
{
    QTest::addColumn<QByteArray>("cpuinfo");
    QTest::addColumn<QString>("expected");
    QTest::newRow("armv7 Hardware line")
        << QByteArray("processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nBogoMIPS\t: 38.40\n\n"
                      "Hardware\t: BCM2835\nRevision\t: a02082\n")
        << QStringLiteral("ARMv7 Processor rev 4 (v7l)");
    QTest::newRow("old ARM Processor line")
        << QByteArray("Processor\t: ARMv6-compatible processor rev 7 (v6l)\nprocessor\t: 0\n\nHardware\t: BCM2708\n")
        << QStringLiteral("BCM2708");
    QTest::newRow("power cpu line") << QByteArray(
                                           "processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n\n")
                                    << QStringLiteral("POWER9 (architected), altivec supported");
    QTest::newRow("big.LITTLE parts") << QByteArray("processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd05\n\n"
                                                    "processor\t: 4\nCPU implementer\t: 0x41\nCPU part\t: 0xd0b\n\n")
                                      << QStringLiteral("ARM Cortex-A55 + ARM Cortex-A76");
    QTest::newRow("Qualcomm part numbers are not ARM's")
        << QByteArray("processor\t: 0\nCPU implementer\t: 0x51\nCPU part\t: 0xd08\n\n")
        << QStringLiteral("error: /proc/cpuinfo names no CPU model");
    QTest::newRow("two different sockets")
        << QByteArray("processor\t: 0\nmodel name\t: Xeon A\nphysical id\t: 0\n\nprocessor\t: 1\nmodel name\t: Xeon B\n"
                      "physical id\t: 1\n\nprocessor\t: 2\nmodel name\t: Xeon A\nphysical id\t: 0\n")
        << QStringLiteral("Xeon A\nXeon B");
}

void TestInventory::cpuFallbacks()
{
    QFETCH(QByteArray, cpuinfo);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.path() + QStringLiteral("/proc")));
    QFile f(dir.path() + QStringLiteral("/proc/cpuinfo"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(cpuinfo);
    f.close();
    InventoryOptions o;
    o.sysroot = dir.path();
    o.live = false;
    QString got;
    try {
        got = InventoryCollector(o).cpu();
    } catch (const std::exception &e) {
        got = QStringLiteral("error: ") + QString::fromUtf8(e.what());
    }
    QCOMPARE(got, expected);
}

void TestInventory::batteryOnMains()
{
    QTemporaryDir dir;
    const QString base = dir.path() + QStringLiteral("/sys/class/power_supply/");
    auto put = [&](const QString &file, const QByteArray &value) {
        QDir().mkpath(QFileInfo(base + file).path());
        QFile f(base + file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(value + '\n');
    };
    put(QStringLiteral("BAT0/type"), "Battery");
    put(QStringLiteral("BAT0/status"), "Charging");
    put(QStringLiteral("BAT0/charge_now"), "2000000");
    put(QStringLiteral("BAT0/charge_full"), "4000000");
    put(QStringLiteral("BAT1/type"), "Battery");
    put(QStringLiteral("BAT1/status"), "Full");
    put(QStringLiteral("BAT1/charge_now"), "4000000");
    put(QStringLiteral("BAT1/charge_full"), "4000000");
    InventoryOptions o;
    o.sysroot = dir.path();
    o.live = false;
    InventoryCollector inv(o);
    QCOMPARE(inv.batteryLevel().toDouble(), 0.75); // 6 of 8 Ah over both batteries
    QCOMPARE(inv.batteryStatus().toInt(), 1);      // no Mains supply: charging means plugged in
    put(QStringLiteral("ADP1/type"), "Mains");
    put(QStringLiteral("ADP1/online"), "1");
    put(QStringLiteral("BAT1/status"), "Discharging");
    QCOMPARE(inv.batteryStatus().toInt(), 1); // the adapter decides
}

void TestInventory::domainSources()
{
    auto sys = std::make_shared<FakeSystem>();
    sys->host = QStringLiteral("ws7");
    sys->canonical = QStringLiteral("ws7.ad.example.com");
    QTemporaryDir dir;
    InventoryOptions o;
    o.sysroot = dir.path();
    o.system = sys;
    QCOMPARE(InventoryCollector(o).domain(), QStringLiteral("ad.example.com")); // from the resolver
    QCOMPARE(sys->asked, QStringList{QStringLiteral("ws7")});
    // Listed in /etc/hosts without a domain: the resolver is not asked (it would answer the same, slowly).
    QDir().mkpath(dir.path() + QStringLiteral("/etc"));
    QFile hosts(dir.path() + QStringLiteral("/etc/hosts"));
    QVERIFY(hosts.open(QIODevice::WriteOnly));
    hosts.write("127.0.0.1 localhost\n127.0.1.1 ws7 # managed\n");
    hosts.close();
    sys->asked.clear();
    QCOMPARE(InventoryCollector(o).domain(), QString());
    QVERIFY(sys->asked.isEmpty());
}

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
