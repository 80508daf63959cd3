#include "Inventory.h"

#include "core/Log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QNetworkInterface>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <exception>
#include <netdb.h>
#include <stdexcept>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <type_traits>
#include <unistd.h>

namespace oco {

namespace {
[[noreturn]] void failField(const QString &why)
{
    throw std::runtime_error(why.toStdString());
}

QString trimmedText(const QByteArray &b)
{
    return QString::fromUtf8(b).trimmed();
}
} // namespace

Inventory::Inventory(InventoryOptions options)
    : m_options(std::move(options))
{}

QString Inventory::path(const QString &absolute) const
{
    if (m_options.sysroot.isEmpty() || m_options.sysroot == QLatin1String("/"))
        return absolute;
    return QDir::cleanPath(m_options.sysroot + QLatin1Char('/') + absolute);
}

QByteArray Inventory::readFile(const QString &absolute, bool *ok) const
{
    QFile f(path(absolute));
    if (!f.open(QIODevice::ReadOnly)) {
        if (ok)
            *ok = false;
        return {};
    }
    if (ok)
        *ok = true;
    return f.readAll();
}

template<class F> void Inventory::field(QJsonObject &out, const QString &key, F &&collector)
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

QString Inventory::hostname(bool removeDomain)
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

QJsonObject Inventory::osRelease()
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

QString Inventory::kernelVersion()
{
    bool ok = false;
    const QString fromProc = trimmedText(readFile(QStringLiteral("/proc/sys/kernel/osrelease"), &ok));
    if (ok && !fromProc.isEmpty())
        return fromProc;
    struct utsname u
    {
    };
    if (::uname(&u) != 0)
        failField(QStringLiteral("uname failed"));
    return QString::fromLocal8Bit(u.release);
}

QString Inventory::architecture()
{
    bool ok = false;
    const QString fromProc = trimmedText(readFile(QStringLiteral("/proc/sys/kernel/arch"), &ok));
    if (ok && !fromProc.isEmpty())
        return fromProc;
    struct utsname u
    {
    };
    if (::uname(&u) != 0)
        failField(QStringLiteral("uname failed"));
    return QString::fromLocal8Bit(u.machine);
}

QString Inventory::cpu()
{
    bool ok = false;
    const QByteArray text = readFile(QStringLiteral("/proc/cpuinfo"), &ok);
    if (!ok)
        failField(QStringLiteral("/proc/cpuinfo is not readable"));
    // One name per physical package; "model name" on x86, Hardware/Processor/"cpu model" elsewhere.
    QStringList models;
    QHash<QString, QString> fallback;
    QString currentModel;
    QString physicalId = QStringLiteral("0");
    QHash<QString, QString> perPackage;
    QStringList packageOrder;
    auto flush = [&] {
        if (!currentModel.isEmpty() && !perPackage.contains(physicalId)) {
            perPackage.insert(physicalId, currentModel);
            packageOrder << physicalId;
        }
        currentModel.clear();
        physicalId = QStringLiteral("0");
    };
    for (const QByteArray &raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.trimmed().isEmpty()) {
            flush();
            continue;
        }
        const int colon = line.indexOf(QLatin1Char(':'));
        if (colon < 0)
            continue;
        const QString key = line.left(colon).trimmed().toLower();
        const QString value = line.mid(colon + 1).trimmed();
        if (key == QLatin1String("model name"))
            currentModel = value;
        else if (key == QLatin1String("physical id"))
            physicalId = value;
        else if ((key == QLatin1String("hardware") || key == QLatin1String("processor") ||
                  key == QLatin1String("cpu model") || key == QLatin1String("cpu")) &&
                 !value.isEmpty() && !value.at(0).isDigit() && !fallback.contains(key))
            fallback.insert(key, value);
    }
    flush();
    for (const QString &id : qAsConst(packageOrder))
        models << perPackage.value(id);
    if (!models.isEmpty())
        return models.join(QLatin1Char('\n'));
    for (const char *k : {"hardware", "processor", "cpu model", "cpu"})
        if (fallback.contains(QLatin1String(k)))
            return fallback.value(QLatin1String(k));
    const QString dtModel =
        QString::fromUtf8(readFile(QStringLiteral("/proc/device-tree/model"))).remove(QChar(0)).trimmed();
    if (!dtModel.isEmpty())
        return dtModel;
    failField(QStringLiteral("/proc/cpuinfo names no CPU model"));
}

QString Inventory::gpu()
{
    const QDir dir(path(QStringLiteral("/sys/bus/pci/devices")));
    QStringList names;
    const QStringList devs = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &dev : devs) {
        const QString base = QStringLiteral("/sys/bus/pci/devices/") + dev;
        const QString cls = trimmedText(readFile(base + QStringLiteral("/class")));
        if (!cls.startsWith(QLatin1String("0x03")))
            continue;
        const QString vendor = trimmedText(readFile(base + QStringLiteral("/vendor"))).mid(2);
        const QString device = trimmedText(readFile(base + QStringLiteral("/device"))).mid(2);
        names << QStringLiteral("PCI %1:%2").arg(vendor, device);
    }
    return names.join(QLatin1Char('\n'));
}

qint64 Inventory::ram()
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

QString Inventory::dmi(const QString &name)
{
    bool ok = false;
    const QByteArray v = readFile(QStringLiteral("/sys/class/dmi/id/") + name, &ok);
    if (!ok)
        return QString(); // no DMI (ARM boards, containers) or not readable without root
    // Keep inner spaces as the firmware has them; only the trailing newline goes.
    return QString::fromUtf8(v).remove(QLatin1Char('\n')).trimmed();
}

QString Inventory::bootType()
{
    return QFileInfo::exists(path(QStringLiteral("/sys/firmware/efi"))) ? QStringLiteral("UEFI")
                                                                        : QStringLiteral("Legacy");
}

QString Inventory::secureBoot()
{
    const QByteArray v =
        readFile(QStringLiteral("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"));
    return (v.size() >= 5 && v.at(4) == 1) ? QStringLiteral("1") : QStringLiteral("0");
}

QString Inventory::domain()
{
    const QString host = hostname(false);
    if (host.contains(QLatin1Char('.')))
        return host.mid(host.indexOf(QLatin1Char('.')) + 1);
    if (!m_options.live)
        return QString();
    struct addrinfo hints
    {
    };
    hints.ai_flags = AI_CANONNAME;
    hints.ai_family = AF_UNSPEC;
    struct addrinfo *res = nullptr;
    QString fqdn;
    if (::getaddrinfo(host.toLocal8Bit().constData(), nullptr, &hints, &res) == 0 && res) {
        if (res->ai_canonname)
            fqdn = QString::fromLocal8Bit(res->ai_canonname);
        ::freeaddrinfo(res);
    }
    const int dot = fqdn.indexOf(QLatin1Char('.'));
    return dot > 0 ? fqdn.mid(dot + 1) : QString();
}

QString Inventory::osLanguage()
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
                v.remove(QLatin1Char('"'));
                return v;
            }
        }
    }
    return QStringLiteral("-");
}

QJsonArray Inventory::networks()
{
    QJsonArray out;
    if (!m_options.live)
        return out;
    const auto ifaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : ifaces) {
        const QString mac = iface.hardwareAddress().toLower();
        const bool hasMac = !mac.isEmpty() && !mac.startsWith(QLatin1String("00:00:00:00:00:00"));
        bool used = false;
        for (const QNetworkAddressEntry &e : iface.addressEntries()) {
            const QHostAddress ip = e.ip();
            if (ip.isLoopback() || ip.isLinkLocal())
                continue;
            const bool v4 = ip.protocol() == QAbstractSocket::IPv4Protocol;
            QString netmask = QStringLiteral("-");
            if (v4 && !e.netmask().isNull())
                netmask = e.netmask().toString();
            else if (!v4)
                netmask = QStringLiteral("/%1").arg(e.prefixLength());
            out.append(QJsonObject{
                {QStringLiteral("addr"), ip.toString()},
                {QStringLiteral("netmask"), netmask},
                {QStringLiteral("broadcast"), e.broadcast().isNull() ? QStringLiteral("-") : e.broadcast().toString()},
                {QStringLiteral("mac"), hasMac ? mac : QStringLiteral("-")},
                {QStringLiteral("interface"), iface.name()}});
            used = true;
        }
        if (!used && hasMac)
            out.append(QJsonObject{{QStringLiteral("addr"), QStringLiteral("-")},
                                   {QStringLiteral("netmask"), QStringLiteral("-")},
                                   {QStringLiteral("broadcast"), QStringLiteral("-")},
                                   {QStringLiteral("mac"), mac},
                                   {QStringLiteral("interface"), iface.name()}});
    }
    return out;
}

double Inventory::uptimeSeconds()
{
    const QByteArray v = readFile(QStringLiteral("/proc/uptime"));
    return v.split(' ').value(0).toDouble();
}

QJsonValue Inventory::batteryLevel()
{
    return QJsonValue(false);
}

QJsonValue Inventory::batteryStatus()
{
    return QJsonValue(false);
}

QString Inventory::machineUid()
{
    QString uid = dmi(QStringLiteral("product_uuid")).toLower();
    if (!uid.isEmpty())
        return uid;
    return trimmedText(readFile(QStringLiteral("/etc/machine-id")));
}

namespace {
QString unescapeMount(const QString &s)
{
    // mountinfo escapes space, tab, newline and backslash as \ooo
    QString out;
    for (int i = 0; i < s.size(); ++i) {
        if (s.at(i) == QLatin1Char('\\') && i + 3 < s.size() + 0 && s.mid(i + 1, 3).toInt(nullptr, 8) > 0) {
            out += QChar(s.mid(i + 1, 3).toInt(nullptr, 8));
            i += 3;
        } else {
            out += s.at(i);
        }
    }
    return out;
}
} // namespace

QJsonArray Inventory::partitions()
{
    static const QStringList pseudo{QStringLiteral("proc"),
                                    QStringLiteral("sysfs"),
                                    QStringLiteral("devtmpfs"),
                                    QStringLiteral("devpts"),
                                    QStringLiteral("tmpfs"),
                                    QStringLiteral("cgroup"),
                                    QStringLiteral("cgroup2"),
                                    QStringLiteral("pstore"),
                                    QStringLiteral("bpf"),
                                    QStringLiteral("securityfs"),
                                    QStringLiteral("debugfs"),
                                    QStringLiteral("tracefs"),
                                    QStringLiteral("configfs"),
                                    QStringLiteral("fusectl"),
                                    QStringLiteral("mqueue"),
                                    QStringLiteral("hugetlbfs"),
                                    QStringLiteral("autofs"),
                                    QStringLiteral("binfmt_misc"),
                                    QStringLiteral("efivarfs"),
                                    QStringLiteral("rpc_pipefs"),
                                    QStringLiteral("nsfs"),
                                    QStringLiteral("ramfs"),
                                    QStringLiteral("squashfs"),
                                    QStringLiteral("overlay"),
                                    QStringLiteral("fuse.gvfsd-fuse"),
                                    QStringLiteral("fuse.portal"),
                                    QStringLiteral("selinuxfs")};
    bool ok = false;
    const QByteArray text = readFile(QStringLiteral("/proc/self/mountinfo"), &ok);
    if (!ok)
        failField(QStringLiteral("/proc/self/mountinfo is not readable"));
    QJsonArray out;
    for (const QByteArray &raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        const int dash = line.indexOf(QLatin1String(" - "));
        if (dash < 0)
            continue;
        const QStringList pre = line.left(dash).split(QLatin1Char(' '));
        const QStringList post = line.mid(dash + 3).split(QLatin1Char(' '));
        if (pre.size() < 5 || post.size() < 2)
            continue;
        const QString mountpoint = unescapeMount(pre.at(4));
        const QString fs = post.at(0);
        const QString device = unescapeMount(post.at(1));
        if (pseudo.contains(fs))
            continue;
        qint64 size = 0, free = 0;
        if (m_options.live) {
            struct statvfs st
            {
            };
            if (::statvfs(QFile::encodeName(mountpoint).constData(), &st) != 0)
                continue;
            size = static_cast<qint64>(st.f_blocks) * static_cast<qint64>(st.f_frsize);
            free = static_cast<qint64>(st.f_bavail) * static_cast<qint64>(st.f_frsize);
        }
        if (m_options.live && size == 0)
            continue;
        out.append(QJsonObject{{QStringLiteral("device"), device},
                               {QStringLiteral("mountpoint"), mountpoint},
                               {QStringLiteral("filesystem"), fs},
                               {QStringLiteral("size"), size},
                               {QStringLiteral("free"), free},
                               {QStringLiteral("name"), QString()},
                               {QStringLiteral("uuid"), QString()},
                               {QStringLiteral("encrypted"), false}});
    }
    return out;
}

QJsonArray Inventory::software()
{
    bool ok = false;
    const QByteArray text = readFile(QStringLiteral("/var/lib/dpkg/status"), &ok);
    QJsonArray out;
    if (!ok)
        return out;
    QString name, version, description, status;
    auto flush = [&] {
        if (!name.isEmpty() && status.endsWith(QLatin1String(" installed")))
            out.append(QJsonObject{{QStringLiteral("name"), name.left(200)},
                                   {QStringLiteral("version"), version.left(200)},
                                   {QStringLiteral("description"), description.left(350)}});
        name.clear();
        version.clear();
        description.clear();
        status.clear();
    };
    for (const QByteArray &raw : text.split('\n')) {
        if (raw.isEmpty()) {
            flush();
            continue;
        }
        if (raw.startsWith(' ') || raw.startsWith('\t'))
            continue;
        const int colon = raw.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray key = raw.left(colon);
        const QString value = QString::fromUtf8(raw.mid(colon + 1)).trimmed();
        if (key == "Package")
            name = value;
        else if (key == "Version")
            version = value;
        else if (key == "Status")
            status = value;
        else if (key == "Description")
            description = value;
    }
    flush();
    return out;
}

QJsonArray Inventory::screens()
{
    return {};
}

QJsonArray Inventory::printers()
{
    return {};
}

QJsonArray Inventory::logins()
{
    return {};
}

QJsonArray Inventory::users()
{
    return {};
}

QJsonArray Inventory::devices()
{
    return {};
}

QJsonObject Inventory::collect()
{
    m_errors.clear();
    QJsonObject out;
    QJsonObject os;
    try {
        os = osRelease();
    } catch (const std::exception &e) {
        m_errors << QStringLiteral("os: %1").arg(QString::fromUtf8(e.what()));
        qCWarning(lcInventory).noquote() << "inventory field os left empty:" << e.what();
    }
    out.insert(QStringLiteral("os"), os.value(QStringLiteral("NAME")).toString());
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
    field(out, QStringLiteral("model"), [&] { return dmi(QStringLiteral("product_name")); });
    field(out, QStringLiteral("bios_version"), [&] { return dmi(QStringLiteral("bios_version")); });
    field(out, QStringLiteral("uptime"), [&] { return QJsonValue(static_cast<qint64>(uptimeSeconds())); });
    field(out, QStringLiteral("boot_type"), [&] { return bootType(); });
    field(out, QStringLiteral("secure_boot"), [&] { return secureBoot(); });
    field(out, QStringLiteral("domain"), [&] { return domain(); });
    field(out, QStringLiteral("networks"), [&] { return networks(); });
    field(out, QStringLiteral("screens"), [&] { return screens(); });
    field(out, QStringLiteral("printers"), [&] { return printers(); });
    field(out, QStringLiteral("partitions"), [&] { return partitions(); });
    field(out, QStringLiteral("software"), [&] { return software(); });
    field(out, QStringLiteral("logins"), [&] { return logins(); });
    if (m_options.dialect == InventoryDialect::Current) {
        field(out, QStringLiteral("battery_level"), [&] { return batteryLevel(); });
        field(out, QStringLiteral("battery_status"), [&] { return batteryStatus(); });
        field(out, QStringLiteral("users"), [&] { return users(); });
        field(out, QStringLiteral("devices"), [&] { return devices(); });
    }
    return out;
}

} // namespace oco
