#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace oco::platform {

class SysRoot;

// The fields of a 128-byte EDID base block (VESA E-EDID 1.3/1.4) an inventory needs.
struct Edid
{
    QString name;  // display product name descriptor (0xFC), else the unspecified text (0xFE)
    QString pnpId; // three-letter manufacturer id, e.g. "DEL"
    quint16 productCode = 0;
    QString serialText; // serial number descriptor (0xFF), if any
    quint32 serialNumber = 0;
    int year = 0; // year of manufacture (or model year)
    int widthCm = 0;
    int heightCm = 0;
    int nativeWidth = 0; // active pixels of the preferred (first) detailed timing
    int nativeHeight = 0;
    bool digital = false;

    // Parses the base block; nullopt with *error set when the header or the checksum is wrong.
    static std::optional<Edid> parse(const QByteArray &blob, QString *error);
    static QString pnpIdOf(quint16 bigEndianId);
};

// Screens from /sys/class/drm/*/edid, as the server's `screens` array expects them. Manufacturer names
// come from hwdata's pnp.ids when installed, else from systemd's hwdb source, else the PNP id is reported.
QJsonArray collectScreens(const SysRoot &root);
QJsonObject screenJson(const Edid &edid, const QString &manufacturer);

} // namespace oco::platform
