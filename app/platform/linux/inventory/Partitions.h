#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace oco::platform {

class SysRoot;

struct MountEntry
{
    QString majorMinor; // "254:1"
    QString root;       // path inside the filesystem ("/" unless a bind mount or a btrfs subvolume)
    QString mountpoint;
    QString filesystem;
    QString source;
};

// /proc/self/mountinfo lines (octal escapes such as \040 decoded).
QList<MountEntry> parseMountinfo(const QByteArray &text);
bool isPseudoFilesystem(const QString &fsType);

struct FsUsage
{
    qint64 size = 0; // bytes
    qint64 free = 0; // bytes available to unprivileged users
};
using FsUsageFunction = std::function<std::optional<FsUsage>(const QString &mountpoint, const QString &fsType)>;

// Kernel block device name ("dm-0", "sda2") behind a mount, or "" for non-block filesystems.
QString blockDeviceName(const SysRoot &root, const MountEntry &m);
// True if the device is a dm-crypt mapping or sits on one through any depth of stacking (LVM, RAID...).
bool isEncryptedDevice(const SysRoot &root, const QString &kernelName);

// legacy = the 2021 key set (device, mountpoint, filesystem, size, free, name, serial).
QJsonArray collectPartitions(const SysRoot &root, const FsUsageFunction &usage, bool legacy);

} // namespace oco::platform
