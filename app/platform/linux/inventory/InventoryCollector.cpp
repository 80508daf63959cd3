#include "InventoryCollector.h"

#include "Accounts.h"
#include "Edid.h"
#include "Hardware.h"
#include "Printers.h"
#include "Software.h"
#include "core/Log.h"

#include <QFile>
#include <QHash>

#include <chrono>
#include <exception>
#include <future>
#include <netdb.h>
#include <stdexcept>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <thread>
#include <type_traits>
#include <unistd.h>

namespace oco::platform {

namespace {
[[noreturn]] void failField(const QString &why)
{
    throw std::runtime_error(why.toStdString());
}

std::optional<FsUsage> statUsage(const QByteArray &path)
{
    struct statvfs st
    {
    };
    if (::statvfs(path.constData(), &st) != 0)
        return std::nullopt;
    const auto frsize = static_cast<qint64>(st.f_frsize ? st.f_frsize : st.f_bsize);
    return FsUsage{static_cast<qint64>(st.f_blocks) * frsize, static_cast<qint64>(st.f_bavail) * frsize};
}

bool isNetworkFilesystem(const QString &fs)
{
    return fs.startsWith(QLatin1String("nfs")) || fs == QLatin1String("cifs") || fs == QLatin1String("smb3") ||
           fs.startsWith(QLatin1String("fuse.")) || fs == QLatin1String("9p") || fs == QLatin1String("ceph") ||
           fs == QLatin1String("glusterfs");
}

class LiveSystem : public InventorySystem
{
public:
    explicit LiveSystem(const SysRoot &root)
        : m_root(root)
    {}
    QString hostname() override { return InventoryCollector::hostname(false); }
    QString canonicalHostname(const QString &host) override
    {
        // A resolver without a reachable DNS server retries for many seconds: give it three.
        const QByteArray name = host.toLocal8Bit();
        auto task = std::make_shared<std::packaged_task<QString()>>([name] {
            struct addrinfo hints
            {
            };
            hints.ai_flags = AI_CANONNAME;
            hints.ai_family = AF_UNSPEC;
            struct addrinfo *res = nullptr;
            QString fqdn;
            if (::getaddrinfo(name.constData(), nullptr, &hints, &res) == 0 && res) {
                if (res->ai_canonname)
                    fqdn = QString::fromLocal8Bit(res->ai_canonname);
                ::freeaddrinfo(res);
            }
            return fqdn;
        });
        std::future<QString> result = task->get_future();
        std::thread([task] { (*task)(); }).detach();
        if (result.wait_for(std::chrono::seconds(3)) != std::future_status::ready) {
            qCWarning(lcInventory).noquote() << "the resolver gave no name for" << host << "within 3 s";
            return QString();
        }
        return result.get();
    }
    QString machine() override
    {
        struct utsname u
        {
        };
        return ::uname(&u) == 0 ? QString::fromLocal8Bit(u.machine) : QString();
    }
    QList<NetInterface> interfaces() override { return systemInterfaces(); }
    std::optional<FsUsage> fsUsage(const QString &mountpoint, const QString &fsType) override
    {
        const QByteArray path = QFile::encodeName(m_root.path(mountpoint));
        if (!isNetworkFilesystem(fsType))
            return statUsage(path);
        // statvfs on a dead NFS/CIFS server blocks for minutes: give it two seconds in a thread that is
        // left behind if the server never answers.
        auto task = std::make_shared<std::packaged_task<std::optional<FsUsage>()>>([path] { return statUsage(path); });
        std::future<std::optional<FsUsage>> result = task->get_future();
        std::thread([task] { (*task)(); }).detach();
        if (result.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
            qCWarning(lcInventory).noquote() << "partition" << mountpoint << "left out: no answer within 2 s";
            return std::nullopt;
        }
        return result.get();
    }

private:
    SysRoot m_root;
};

class FilesOnlySystem : public InventorySystem
{
public:
    explicit FilesOnlySystem(const SysRoot &root)
        : m_root(root)
    {}
    QString hostname() override { return m_root.readLine(QStringLiteral("/etc/hostname")).trimmed(); }
    QString canonicalHostname(const QString &) override { return QString(); }
    QString machine() override { return m_root.readLine(QStringLiteral("/proc/sys/kernel/arch")).trimmed(); }
    QList<NetInterface> interfaces() override { return sysfsInterfaces(m_root); }
    std::optional<FsUsage> fsUsage(const QString &, const QString &) override { return std::nullopt; }

private:
    SysRoot m_root;
};

// ARM Ltd.'s "CPU part" numbers (implementer 0x41), for boards whose cpuinfo names no model.
QString armCoreName(const QString &implementer, const QString &part)
{
    static const struct
    {
        int part;
        const char *name;
    } parts[] = {{0xc07, "Cortex-A7"},   {0xc08, "Cortex-A8"},   {0xc09, "Cortex-A9"},   {0xc0d, "Cortex-A12"},
                 {0xc0e, "Cortex-A17"},  {0xc0f, "Cortex-A15"},  {0xd03, "Cortex-A53"},  {0xd04, "Cortex-A35"},
                 {0xd05, "Cortex-A55"},  {0xd07, "Cortex-A57"},  {0xd08, "Cortex-A72"},  {0xd09, "Cortex-A73"},
                 {0xd0a, "Cortex-A75"},  {0xd0b, "Cortex-A76"},  {0xd0c, "Neoverse-N1"}, {0xd0d, "Cortex-A77"},
                 {0xd40, "Neoverse-V1"}, {0xd41, "Cortex-A78"},  {0xd44, "Cortex-X1"},   {0xd46, "Cortex-A510"},
                 {0xd47, "Cortex-A710"}, {0xd48, "Cortex-X2"},   {0xd49, "Neoverse-N2"}, {0xd4d, "Cortex-A715"},
                 {0xd4e, "Cortex-X3"},   {0xd4f, "Neoverse-V2"}, {0xd80, "Cortex-A520"}, {0xd81, "Cortex-A720"}};
    bool ok = false;
    if (implementer.toInt(&ok, 16) != 0x41 || !ok)
        return QString();
    const int number = part.toInt(&ok, 16);
    for (const auto &p : parts)
        if (ok && p.part == number)
            return QStringLiteral("ARM ") + QLatin1String(p.name);
    return QString();
}
} // namespace

std::shared_ptr<InventorySystem> liveSystem(const SysRoot &root)
{
    return std::make_shared<LiveSystem>(root);
}

std::shared_ptr<InventorySystem> filesOnlySystem(const SysRoot &root)
{
    return std::make_shared<FilesOnlySystem>(root);
}

InventoryCollector::InventoryCollector(InventoryOptions options)
    : m_options(std::move(options))
    , m_root(m_options.sysroot)
{
    m_system = m_options.system ? m_options.system : (m_options.live ? liveSystem(m_root) : filesOnlySystem(m_root));
    if (!m_options.today.isValid())
        m_options.today = QDateTime::currentDateTimeUtc().date();
}

template<class F> void InventoryCollector::field(QJsonObject &out, const QString &key, F &&collector)
{
    using R = decltype(collector());
    try {
        out.insert(key, QJsonValue(collector()));
    } catch (const std::exception &e) {
        const QString why = QString::fromUtf8(e.what());
        m_errors << QStringLiteral("%1: %2").arg(key, why);
        qCWarning(lcInventory).noquote() << "inventory field" << key << "left empty:" << why;
        if constexpr (std::is_same_v<R, QJsonArray>)
            out.insert(key, QJsonArray());
        else
            out.insert(key, QString());
    }
}

QString InventoryCollector::hostname(bool removeDomain)
{
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    QString h = QString::fromLocal8Bit(buf);
    if (removeDomain) {
        const int dot = h.indexOf(QLatin1Char('.'));
        if (dot > 0)
            h = h.left(dot);
    }
    return h;
}

QJsonObject InventoryCollector::osRelease()
{
    bool ok = false;
    QByteArray text = readFile(QStringLiteral("/etc/os-release"), &ok);
    if (!ok)
        text = readFile(QStringLiteral("/usr/lib/os-release"), &ok);
    if (!ok)
        failField(QStringLiteral("neither /etc/os-release nor /usr/lib/os-release is readable"));
    QJsonObject out;
    for (const QByteArray &raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        const int eq = line.indexOf(QLatin1Char('='));
        if (line.startsWith(QLatin1Char('#')) || eq <= 0)
            continue;
        QString v = line.mid(eq + 1).trimmed();
        if (v.size() >= 2 && (v.startsWith(QLatin1Char('"')) || v.startsWith(QLatin1Char('\''))) && v.endsWith(v.at(0)))
            v = v.mid(1, v.size() - 2);
        v.replace(QLatin1String("\\\""), QLatin1String("\"")).replace(QLatin1String("\\\\"), QLatin1String("\\"));
        out.insert(line.left(eq), v);
    }
    return out;
}

QString InventoryCollector::kernelVersion()
{
    bool ok = false;
    const QString fromProc = m_root.readLine(QStringLiteral("/proc/sys/kernel/osrelease"), &ok).trimmed();
    if (ok && !fromProc.isEmpty())
        return fromProc;
    if (!m_options.live)
        failField(QStringLiteral("/proc/sys/kernel/osrelease is not readable"));
    struct utsname u
    {
    };
    if (::uname(&u) != 0)
        failField(QStringLiteral("uname failed"));
    return QString::fromLocal8Bit(u.release);
}

QString InventoryCollector::architecture()
{
    const QString m = m_system->machine();
    if (m.isEmpty())
        failField(QStringLiteral("the machine architecture is unknown"));
    return m;
}

QString InventoryCollector::cpu()
{
    bool ok = false;
    const QByteArray text = readFile(QStringLiteral("/proc/cpuinfo"), &ok);
    if (!ok)
        failField(QStringLiteral("/proc/cpuinfo is not readable"));
    // x86 prints one block per logical CPU: count physical packages per model name.
    QStringList modelOrder;
    QHash<QString, QSet<QString>> packagesOfModel;
    QHash<QString, QString> other; // first value of Hardware/Processor/cpu model/cpu
    QStringList armParts;
    QString model, physicalId, implementer;
    auto flush = [&] {
        if (!model.isEmpty()) {
            if (!packagesOfModel.contains(model))
                modelOrder << model;
            packagesOfModel[model].insert(physicalId.isEmpty() ? QStringLiteral("0") : physicalId);
        }
        model.clear();
        physicalId.clear();
        implementer.clear();
    };
    for (const QByteArray &raw : text.split('\n')) {
        const int colon = raw.indexOf(':');
        if (raw.trimmed().isEmpty()) {
            flush();
            continue;
        }
        if (colon < 0)
            continue;
        const QString key = QString::fromUtf8(raw.left(colon)).trimmed().toLower();
        const QString value = QString::fromUtf8(raw.mid(colon + 1)).trimmed();
        if (key == QLatin1String("model name")) {
            model = value;
        } else if (key == QLatin1String("physical id")) {
            physicalId = value;
        } else if (key == QLatin1String("cpu implementer")) {
            implementer = value;
        } else if (key == QLatin1String("cpu part")) {
            const QString name = armCoreName(implementer, value);
            if (!name.isEmpty() && !armParts.contains(name))
                armParts << name;
        } else if ((key == QLatin1String("hardware") || key == QLatin1String("processor") ||
                    key == QLatin1String("cpu model") || key == QLatin1String("cpu")) &&
                   !value.isEmpty() && !value.at(0).isDigit() && !other.contains(key)) {
            other.insert(key, value);
        }
    }
    flush();
    if (!modelOrder.isEmpty()) {
        QStringList lines;
        for (const QString &m : qAsConst(modelOrder)) {
            const int sockets = packagesOfModel.value(m).size();
            lines << (sockets > 1 ? QStringLiteral("%1 x %2").arg(sockets).arg(m) : m);
        }
        return lines.join(QLatin1Char('\n'));
    }
    for (const char *k : {"hardware", "processor", "cpu model", "cpu"})
        if (other.contains(QLatin1String(k)))
            return other.value(QLatin1String(k));
    if (!armParts.isEmpty())
        return armParts.join(QStringLiteral(" + "));
    for (const char *file : {"/proc/device-tree/model", "/sys/firmware/devicetree/base/model"}) {
        const QString dt = m_root.readLine(QLatin1String(file)).remove(QChar(0)).trimmed();
        if (!dt.isEmpty())
            return dt;
    }
    failField(QStringLiteral("/proc/cpuinfo names no CPU model"));
}

QString InventoryCollector::gpu()
{
    return collectGpus(m_root);
}

qint64 InventoryCollector::ram()
{
    bool ok = false;
    const QByteArray text = readFile(QStringLiteral("/proc/meminfo"), &ok);
    if (!ok)
        failField(QStringLiteral("/proc/meminfo is not readable"));
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("MemTotal:")) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2)
                return parts.at(1).toLongLong() * 1024;
        }
    }
    failField(QStringLiteral("/proc/meminfo has no MemTotal"));
}

QString InventoryCollector::dmi(const QString &name)
{
    const QString file = QStringLiteral("/sys/class/dmi/id/") + name;
    bool ok = false;
    const QString v = m_root.readLine(file, &ok);
    if (!ok) {
        if (m_root.exists(file))
            failField(QStringLiteral("%1 is not readable (root only)").arg(file));
        return QString(); // no DMI at all (ARM boards, some VMs)
    }
    // Kept as the firmware has it, inner spaces included ("Dell Inc.", not "DellInc.").
    return v.trimmed();
}

QString InventoryCollector::bootType()
{
    return m_root.isDir(QStringLiteral("/sys/firmware/efi")) ? QStringLiteral("UEFI") : QStringLiteral("Legacy");
}

QString InventoryCollector::secureBoot()
{
    // efivarfs files start with 4 bytes of attributes; the variable's one-byte value follows.
    const QByteArray v =
        readFile(QStringLiteral("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"));
    return (v.size() >= 5 && v.at(4) == 1) ? QStringLiteral("1") : QStringLiteral("0");
}

QString InventoryCollector::domain()
{
    const QString host = m_system->hostname();
    if (host.isEmpty())
        failField(QStringLiteral("the host name is unknown"));
    auto after = [](const QString &fqdn) {
        const int dot = fqdn.indexOf(QLatin1Char('.'));
        return dot > 0 ? fqdn.mid(dot + 1) : QString();
    };
    if (host.contains(QLatin1Char('.')))
        return after(host);
    // /etc/hosts first ("127.0.1.1 pc1.example.com pc1" on Debian): the resolver would answer from it too,
    // and asking DNS can take seconds on a machine without network.
    bool inHosts = false;
    for (const QByteArray &raw : readFile(QStringLiteral("/etc/hosts")).split('\n')) {
        const int hash = raw.indexOf('#');
        const QStringList f =
            QString::fromUtf8(hash < 0 ? raw : raw.left(hash)).simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() >= 2 && f.mid(1).contains(host, Qt::CaseInsensitive)) {
            if (f.at(1).contains(QLatin1Char('.')))
                return after(f.at(1));
            inHosts = true;
            break;
        }
    }
    if (!inHosts) {
        const QString fqdn = m_system->canonicalHostname(host);
        if (fqdn.contains(QLatin1Char('.')))
            return after(fqdn);
    }
    // The resolver's local domain (resolv.conf(5) "domain") when the host name itself carries none.
    for (const QByteArray &raw : readFile(QStringLiteral("/etc/resolv.conf")).split('\n')) {
        const QList<QByteArray> f = raw.simplified().split(' ');
        if (f.size() >= 2 && f.at(0) == "domain")
            return QString::fromUtf8(f.at(1));
    }
    return QString();
}

QString InventoryCollector::osLanguage()
{
    for (const char *file : {"/etc/default/locale", "/etc/locale.conf"}) {
        bool ok = false;
        const QByteArray text = readFile(QLatin1String(file), &ok);
        if (!ok)
            continue;
        for (const QByteArray &raw : text.split('\n')) {
            const QString line = QString::fromUtf8(raw).trimmed();
            if (line.startsWith(QLatin1String("LANG="))) {
                QString v = line.mid(5);
                v.remove(QLatin1Char('"')).remove(QLatin1Char('\''));
                if (!v.isEmpty())
                    return v;
            }
        }
    }
    return QStringLiteral("-");
}

QJsonArray InventoryCollector::networks()
{
    return networkEntries(m_system->interfaces());
}

double InventoryCollector::uptimeSeconds()
{
    bool ok = false;
    const QByteArray v = readFile(QStringLiteral("/proc/uptime"), &ok);
    if (!ok)
        failField(QStringLiteral("/proc/uptime is not readable"));
    return v.split(' ').value(0).toDouble();
}

QJsonValue InventoryCollector::batteryLevel()
{
    const BatteryState b = readBattery(m_root);
    if (!b.present)
        return QJsonValue(false);
    return QJsonValue(qRound(b.level * 100) / 100.0);
}

QJsonValue InventoryCollector::batteryStatus()
{
    const BatteryState b = readBattery(m_root);
    return b.present ? QJsonValue(b.status) : QJsonValue(false);
}

QString InventoryCollector::machineUid()
{
    QString uid;
    try {
        uid = dmi(QStringLiteral("product_uuid")).toLower();
    } catch (const std::exception &) {
        // not root: fall back to the systemd machine id
    }
    if (!uid.isEmpty())
        return uid;
    return m_root.readLine(QStringLiteral("/etc/machine-id")).trimmed();
}

QJsonArray InventoryCollector::partitions()
{
    const auto system = m_system;
    return collectPartitions(
        m_root, [system](const QString &mp, const QString &fs) { return system->fsUsage(mp, fs); }, legacy());
}

QJsonArray InventoryCollector::software()
{
    return collectSoftware(m_root);
}

QJsonArray InventoryCollector::screens()
{
    return collectScreens(m_root);
}

QJsonArray InventoryCollector::printers()
{
    return collectPrinters(m_root);
}

QJsonArray InventoryCollector::logins()
{
    return collectLogins(m_root, m_options.loginsSince, legacy());
}

QJsonArray InventoryCollector::users()
{
    return collectUsers(m_root, m_options.minUid, m_options.maxUid, m_options.today);
}

QJsonArray InventoryCollector::devices()
{
    return collectUsbDevices(m_root);
}

QJsonObject InventoryCollector::collect()
{
    m_errors.clear();
    QJsonObject out;
    QJsonObject os;
    field(out, QStringLiteral("os"), [&] {
        os = osRelease();
        return os.value(QStringLiteral("NAME")).toString();
    });
    out.insert(QStringLiteral("os_version"), os.value(QStringLiteral("VERSION_ID")).toString());
    out.insert(QStringLiteral("os_license"), QStringLiteral("-"));
    field(out, QStringLiteral("os_language"), [&] { return osLanguage(); });
    field(out, QStringLiteral("kernel_version"), [&] { return kernelVersion(); });
    field(out, QStringLiteral("architecture"), [&] { return architecture(); });
    field(out, QStringLiteral("cpu"), [&] { return cpu(); });
    field(out, QStringLiteral("gpu"), [&] { return gpu(); });
    field(out, QStringLiteral("ram"), [&] { return QJsonValue(ram()); });
    out.insert(QStringLiteral("agent_version"), m_options.agentVersion);
    field(out, QStringLiteral("serial"), [&] { return dmi(QStringLiteral("product_serial")); });
    field(out, QStringLiteral("manufacturer"), [&] { return dmi(QStringLiteral("sys_vendor")); });
    field(out, QStringLiteral("model"), [&] {
        const QString m = dmi(QStringLiteral("product_name"));
        // Boards without DMI name themselves in the device tree ("Raspberry Pi 4 Model B Rev 1.4").
        return m.isEmpty() ? m_root.readLine(QStringLiteral("/proc/device-tree/model")).remove(QChar(0)).trimmed() : m;
    });
    field(out, QStringLiteral("bios_version"), [&] { return dmi(QStringLiteral("bios_version")); });
    field(out, QStringLiteral("uptime"), [&] {
        const double up = uptimeSeconds();
        return legacy() ? QJsonValue(static_cast<qint64>(up)) : QJsonValue(up);
    });
    field(out, QStringLiteral("boot_type"), [&] { return bootType(); });
    field(out, QStringLiteral("secure_boot"), [&] { return secureBoot(); });
    field(out, QStringLiteral("domain"), [&] { return domain(); });
    field(out, QStringLiteral("networks"), [&] { return networks(); });
    field(out, QStringLiteral("screens"), [&] { return screens(); });
    field(out, QStringLiteral("printers"), [&] { return printers(); });
    field(out, QStringLiteral("partitions"), [&] { return partitions(); });
    field(out, QStringLiteral("software"), [&] { return software(); });
    field(out, QStringLiteral("logins"), [&] { return logins(); });
    if (!legacy()) {
        field(out, QStringLiteral("battery_level"), [&] { return batteryLevel(); });
        field(out, QStringLiteral("battery_status"), [&] { return batteryStatus(); });
        field(out, QStringLiteral("users"), [&] { return users(); });
        field(out, QStringLiteral("devices"), [&] { return devices(); });
    }
    return out;
}

} // namespace oco::platform
