#include "Partitions.h"

#include "SysRoot.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <stdexcept>

namespace oco::platform {

namespace {
QString unescapeMount(const QByteArray &s)
{
    // mountinfo writes space, tab, newline and backslash as \ooo.
    QByteArray out;
    out.reserve(s.size());
    for (int i = 0; i < s.size(); ++i) {
        if (s.at(i) == '\\' && i + 3 < s.size()) {
            bool ok = false;
            const int c = s.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out += static_cast<char>(c);
                i += 3;
                continue;
            }
        }
        out += s.at(i);
    }
    return QString::fromUtf8(out);
}

QString baseName(const QString &p)
{
    return p.mid(p.lastIndexOf(QLatin1Char('/')) + 1);
}
} // namespace

QList<MountEntry> parseMountinfo(const QByteArray &text)
{
    QList<MountEntry> out;
    for (const QByteArray &line : text.split('\n')) {
        const int dash = line.indexOf(" - ");
        if (dash < 0)
            continue;
        const QList<QByteArray> pre = line.left(dash).split(' ');
        const QList<QByteArray> post = line.mid(dash + 3).split(' ');
        if (pre.size() < 5 || post.size() < 2)
            continue;
        MountEntry m;
        m.majorMinor = QString::fromLatin1(pre.at(2));
        m.root = unescapeMount(pre.at(3));
        m.mountpoint = unescapeMount(pre.at(4));
        m.filesystem = QString::fromUtf8(post.at(0));
        m.source = unescapeMount(post.at(1));
        out.append(m);
    }
    return out;
}

bool isPseudoFilesystem(const QString &fs)
{
    // Kernel and desktop interfaces that look like mounts but store nothing (tmpfs/devtmpfs are RAM, as
    // the official agent also skips them).
    static const char *const pseudo[] = {
        "autofs", "binfmt_misc", "bpf",      "cgroup",          "cgroup2",    "configfs",   "debugfs",
        "devpts", "devtmpfs",    "efivarfs", "fusectl",         "hugetlbfs",  "mqueue",     "nfsd",
        "nsfs",   "proc",        "pstore",   "ramfs",           "rpc_pipefs", "securityfs", "selinuxfs",
        "sysfs",  "tmpfs",       "tracefs",  "fuse.gvfsd-fuse", "fuse.lxcfs", "fuse.portal"};
    for (const char *p : pseudo)
        if (fs == QLatin1String(p))
            return true;
    return false;
}

QString blockDeviceName(const SysRoot &root, const MountEntry &m)
{
    // The device number names the block device even for /dev/root or by-uuid sources.
    const QString viaNumber = root.linkTarget(QStringLiteral("/sys/dev/block/") + m.majorMinor);
    if (!viaNumber.isEmpty())
        return baseName(viaNumber);
    // btrfs and others report an anonymous device number: follow the source (/dev/mapper/x -> ../dm-0).
    if (!m.source.startsWith(QLatin1String("/dev/")))
        return QString();
    const QString link = root.linkTarget(m.source);
    const QString name = baseName(link.isEmpty() ? m.source : link);
    return root.exists(QStringLiteral("/sys/class/block/") + name) ? name : QString();
}

namespace {
bool encryptedBelow(const SysRoot &root, const QString &name, int depth)
{
    if (name.isEmpty() || depth > 16)
        return false;
    const QString dev = QStringLiteral("/sys/class/block/") + name;
    // dm-crypt names its mappings CRYPT-<type>-...; VERITY and INTEGRITY are cryptsetup targets that
    // protect integrity but do not encrypt.
    const QString uuid = root.readLine(dev + QStringLiteral("/dm/uuid"));
    if (uuid.startsWith(QLatin1String("CRYPT-")) && !uuid.startsWith(QLatin1String("CRYPT-VERITY")) &&
        !uuid.startsWith(QLatin1String("CRYPT-INTEGRITY")))
        return true;
    for (const QString &slave : root.list(dev + QStringLiteral("/slaves")))
        if (encryptedBelow(root, slave, depth + 1))
            return true;
    return false;
}

// kernel device name -> value, from the udev symlinks in /dev/disk/by-label or by-uuid.
QHash<QString, QString> udevLinks(const SysRoot &root, const QString &dir)
{
    QHash<QString, QString> out;
    for (const QString &entry : root.list(dir)) {
        const QString target = root.linkTarget(dir + QLatin1Char('/') + entry);
        if (target.isEmpty())
            continue;
        // udev escapes unsafe characters as \xNN (e.g. a space in a label is \x20).
        QByteArray value = entry.toUtf8();
        QByteArray decoded;
        for (int i = 0; i < value.size(); ++i) {
            if (value.at(i) == '\\' && i + 3 < value.size() && value.at(i + 1) == 'x') {
                bool ok = false;
                const int c = value.mid(i + 2, 2).toInt(&ok, 16);
                if (ok) {
                    decoded += static_cast<char>(c);
                    i += 3;
                    continue;
                }
            }
            decoded += value.at(i);
        }
        out.insert(baseName(target), QString::fromUtf8(decoded));
    }
    return out;
}
} // namespace

bool isEncryptedDevice(const SysRoot &root, const QString &kernelName)
{
    return encryptedBelow(root, kernelName, 0);
}

QJsonArray collectPartitions(const SysRoot &root, const FsUsageFunction &usage, bool legacy)
{
    bool ok = false;
    const QByteArray text = root.read(QStringLiteral("/proc/self/mountinfo"), &ok);
    if (!ok)
        throw std::runtime_error("/proc/self/mountinfo is not readable");
    const QHash<QString, QString> labels = udevLinks(root, QStringLiteral("/dev/disk/by-label"));
    const QHash<QString, QString> uuids = udevLinks(root, QStringLiteral("/dev/disk/by-uuid"));
    QJsonArray out;
    QSet<QString> seen;
    for (const MountEntry &m : parseMountinfo(text)) {
        if (isPseudoFilesystem(m.filesystem))
            continue;
        // Snap packages are read-only squashfs images, one mount per revision: software, not storage.
        if (m.filesystem == QLatin1String("squashfs") && m.mountpoint.startsWith(QLatin1String("/snap/")))
            continue;
        // The same filesystem tree bound a second time (containers, bind mounts) adds nothing.
        const QString identity = m.majorMinor + QLatin1Char(' ') + m.root;
        if (seen.contains(identity))
            continue;
        seen.insert(identity);
        if (m.root != QLatin1String("/") && QFileInfo(root.path(m.mountpoint)).isFile())
            continue; // a single file bound into place (/etc/hosts in containers)
        const std::optional<FsUsage> u = usage ? usage(m.mountpoint, m.filesystem) : std::nullopt;
        if (!u || u->size <= 0)
            continue; // unreachable (stale network mount) or empty: the server drops size 0 anyway
        QJsonObject o{{QStringLiteral("device"), m.source},
                      {QStringLiteral("mountpoint"), m.mountpoint},
                      {QStringLiteral("filesystem"), m.filesystem},
                      {QStringLiteral("size"), u->size},
                      {QStringLiteral("free"), u->free}};
        const QString dev = blockDeviceName(root, m);
        o.insert(QStringLiteral("name"), labels.value(dev));
        if (legacy) {
            o.insert(QStringLiteral("serial"), QString());
        } else {
            o.insert(QStringLiteral("uuid"), uuids.value(dev));
            o.insert(QStringLiteral("encrypted"), isEncryptedDevice(root, dev));
        }
        out.append(o);
    }
    return out;
}

} // namespace oco::platform
