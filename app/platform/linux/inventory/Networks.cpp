#include "Networks.h"

#include "SysRoot.h"

#include <QJsonObject>

#include <algorithm>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace oco::platform {

namespace {
QString macText(const unsigned char *bytes, int len)
{
    QString s;
    for (int i = 0; i < len; ++i) {
        if (i)
            s += QLatin1Char(':');
        s += QStringLiteral("%1").arg(bytes[i], 2, 16, QLatin1Char('0'));
    }
    return s;
}

QString ipText(int family, const void *addr)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (!::inet_ntop(family, addr, buf, sizeof buf))
        return QString();
    return QString::fromLatin1(buf);
}

int prefixLength(const in6_addr &mask)
{
    int bits = 0;
    for (unsigned char byte : mask.s6_addr)
        for (int b = 7; b >= 0; --b)
            bits += (byte >> b) & 1;
    return bits;
}

in6_addr maskOfPrefix(int prefix)
{
    in6_addr m{};
    for (int i = 0; i < 16; ++i) {
        const int bits = std::clamp(prefix - i * 8, 0, 8);
        m.s6_addr[i] = static_cast<unsigned char>(0xFF00 >> bits);
    }
    return m;
}

QString ipv6Netmask(const in6_addr &mask)
{
    return ipText(AF_INET6, &mask) + QLatin1Char('/') + QString::number(prefixLength(mask));
}

NetInterface &interfaceNamed(QList<NetInterface> &list, const QString &name)
{
    for (NetInterface &i : list)
        if (i.name == name)
            return i;
    list.append(NetInterface{name, {}, {}});
    return list.last();
}
} // namespace

QList<NetInterface> systemInterfaces()
{
    QList<NetInterface> out;
    struct ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0)
        return out;
    for (struct ifaddrs *a = list; a; a = a->ifa_next) {
        NetInterface &iface = interfaceNamed(out, QString::fromLocal8Bit(a->ifa_name));
        if (!a->ifa_addr)
            continue;
        const int family = a->ifa_addr->sa_family;
        if (family == AF_PACKET) {
            const auto *ll = reinterpret_cast<const sockaddr_ll *>(a->ifa_addr);
            if (ll->sll_halen > 0) {
                const QString mac = macText(ll->sll_addr, std::min<int>(ll->sll_halen, 8));
                if (!iface.macs.contains(mac))
                    iface.macs << mac;
            }
        } else if (family == AF_INET) {
            NetAddress n;
            n.addr = ipText(AF_INET, &reinterpret_cast<const sockaddr_in *>(a->ifa_addr)->sin_addr);
            if (a->ifa_netmask)
                n.netmask = ipText(AF_INET, &reinterpret_cast<const sockaddr_in *>(a->ifa_netmask)->sin_addr);
            if ((a->ifa_flags & IFF_BROADCAST) && a->ifa_broadaddr)
                n.broadcast = ipText(AF_INET, &reinterpret_cast<const sockaddr_in *>(a->ifa_broadaddr)->sin_addr);
            iface.addresses << n;
        } else if (family == AF_INET6) {
            NetAddress n;
            n.ipv6 = true;
            n.addr = ipText(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(a->ifa_addr)->sin6_addr);
            if (a->ifa_netmask)
                n.netmask = ipv6Netmask(reinterpret_cast<const sockaddr_in6 *>(a->ifa_netmask)->sin6_addr);
            iface.addresses << n;
        }
    }
    ::freeifaddrs(list);
    return out;
}

QList<NetInterface> sysfsInterfaces(const SysRoot &root)
{
    QList<std::pair<int, QString>> ordered;
    for (const QString &name : root.list(QStringLiteral("/sys/class/net"))) {
        bool ok = false;
        const int index = root.readLine(QStringLiteral("/sys/class/net/%1/ifindex").arg(name)).toInt(&ok);
        if (ok)
            ordered.append({index, name});
    }
    std::sort(ordered.begin(), ordered.end());
    QList<NetInterface> out;
    for (const auto &[index, name] : ordered) {
        NetInterface &iface = interfaceNamed(out, name);
        const QString mac = root.readLine(QStringLiteral("/sys/class/net/%1/address").arg(name)).toLower();
        if (!mac.isEmpty())
            iface.macs << mac;
    }
    // "20010db8000000000000000000000010 02 40 00 80 enp4s0": address, ifindex, prefix (hex), scope, flags, name
    for (const QByteArray &line : root.read(QStringLiteral("/proc/net/if_inet6")).split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 6 || f.at(0).size() != 32)
            continue;
        in6_addr a{};
        const QByteArray raw = QByteArray::fromHex(f.at(0));
        memcpy(a.s6_addr, raw.constData(), 16);
        NetAddress n;
        n.ipv6 = true;
        n.addr = ipText(AF_INET6, &a);
        n.netmask = ipv6Netmask(maskOfPrefix(f.at(2).toInt(nullptr, 16)));
        interfaceNamed(out, QString::fromLocal8Bit(f.at(5))).addresses << n;
    }
    return out;
}

QJsonArray networkEntries(const QList<NetInterface> &interfaces)
{
    QJsonArray out;
    const QString dash = QStringLiteral("-");
    for (const NetInterface &iface : interfaces) {
        QStringList usedMacs;
        auto entry = [&](const QString &addr, const QString &netmask, const QString &broadcast, const QString &mac) {
            out.append(QJsonObject{{QStringLiteral("addr"), addr},
                                   {QStringLiteral("netmask"), netmask.isEmpty() ? dash : netmask},
                                   {QStringLiteral("broadcast"), broadcast.isEmpty() ? dash : broadcast},
                                   {QStringLiteral("mac"), mac},
                                   {QStringLiteral("interface"), iface.name}});
        };
        // IPv4 first, then IPv6, as the official agent orders them (the index is part of the server identity).
        for (const bool v6 : {false, true}) {
            for (const NetAddress &a : iface.addresses) {
                if (a.ipv6 != v6 || a.addr.isEmpty())
                    continue;
                if (!v6 && a.addr.startsWith(QLatin1String("127.")))
                    continue;
                if (v6 && (a.addr == QLatin1String("::1") || a.addr.startsWith(QLatin1String("fe80"))))
                    continue;
                if (iface.macs.isEmpty()) {
                    entry(a.addr, a.netmask, a.broadcast, dash);
                    continue;
                }
                for (const QString &mac : iface.macs) {
                    usedMacs << mac;
                    entry(a.addr, a.netmask, a.broadcast, mac);
                }
            }
        }
        for (const QString &mac : iface.macs) {
            if (mac.isEmpty() || mac.startsWith(QLatin1String("00:00:00:00:00:00")) || usedMacs.contains(mac))
                continue;
            entry(dash, dash, dash, mac);
        }
    }
    return out;
}

} // namespace oco::platform
