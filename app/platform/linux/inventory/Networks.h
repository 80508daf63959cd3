#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace oco::platform {

class SysRoot;

struct NetAddress
{
    bool ipv6 = false;
    QString addr;
    QString netmask;   // dotted (IPv4) or "ffff:ffff:ffff:ffff::/64" (IPv6, as netifaces prints it); "" if none
    QString broadcast; // "" if none
};

struct NetInterface
{
    QString name;
    QStringList macs; // lowercase aa:bb:cc:dd:ee:ff; empty for tun/wireguard
    QList<NetAddress> addresses;
};

// Interfaces in the kernel's enumeration order (getifaddrs).
QList<NetInterface> systemInterfaces();
// Interfaces as far as files tell them: names and MACs from /sys/class/net (ifindex order), IPv6 addresses
// from /proc/net/if_inet6. IPv4 addresses have no file; they come from systemInterfaces() on a live host.
QList<NetInterface> sysfsInterfaces(const SysRoot &root);

// The server's `networks` array (docs/inventory-linux.md §2): one entry per address and MAC, loopback and
// link-local addresses left out, then one "-" entry per MAC not used by an address.
QJsonArray networkEntries(const QList<NetInterface> &interfaces);

} // namespace oco::platform
