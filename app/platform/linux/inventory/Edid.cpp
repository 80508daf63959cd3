#include "Edid.h"

#include "SysRoot.h"
#include "core/Log.h"

#include <QHash>
#include <QJsonArray>

#include <cstring>

namespace oco::platform {

namespace {
constexpr int kBlockSize = 128;

QString descriptorText(const uchar *d)
{
    // Bytes 5..17 hold up to 13 characters, terminated by 0x0A and padded with spaces.
    QByteArray text;
    for (int i = 5; i < 18 && d[i] != 0x0A; ++i)
        text += static_cast<char>(d[i] >= 0x20 && d[i] < 0x7F ? d[i] : '?');
    return QString::fromLatin1(text).trimmed();
}
} // namespace

QString Edid::pnpIdOf(quint16 id)
{
    QString s;
    for (int shift : {10, 5, 0}) {
        const int letter = (id >> shift) & 0x1F;
        s += (letter >= 1 && letter <= 26) ? QChar(QLatin1Char(static_cast<char>('A' + letter - 1))) : QChar(u'?');
    }
    return s;
}

std::optional<Edid> Edid::parse(const QByteArray &blob, QString *error)
{
    if (blob.size() < kBlockSize) {
        *error = QStringLiteral("EDID is %1 bytes, a base block needs 128").arg(blob.size());
        return std::nullopt;
    }
    const auto *b = reinterpret_cast<const uchar *>(blob.constData());
    static const uchar header[8] = {0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    if (memcmp(b, header, 8) != 0) {
        *error = QStringLiteral("EDID header is wrong");
        return std::nullopt;
    }
    uchar sum = 0;
    for (int i = 0; i < kBlockSize; ++i)
        sum = static_cast<uchar>(sum + b[i]);
    if (sum != 0) {
        *error = QStringLiteral("EDID checksum is wrong");
        return std::nullopt;
    }
    Edid e;
    e.pnpId = pnpIdOf(static_cast<quint16>(b[8] << 8 | b[9]));
    e.productCode = static_cast<quint16>(b[10] | b[11] << 8); // little-endian, unlike the official agent
    e.serialNumber = static_cast<quint32>(b[12]) | static_cast<quint32>(b[13]) << 8 |
                     static_cast<quint32>(b[14]) << 16 | static_cast<quint32>(b[15]) << 24;
    e.year = b[17] ? 1990 + b[17] : 0;
    e.digital = b[20] & 0x80;
    e.widthCm = b[21];
    e.heightCm = b[22];
    bool haveTiming = false;
    QStringList unspecifiedText;
    for (int off : {54, 72, 90, 108}) {
        const uchar *d = b + off;
        if (d[0] == 0 && d[1] == 0) {
            if (d[3] == 0xFC)
                e.name = descriptorText(d);
            else if (d[3] == 0xFF)
                e.serialText = descriptorText(d);
            else if (d[3] == 0xFE)
                unspecifiedText << descriptorText(d);
        } else if (!haveTiming) {
            // The first detailed timing is the preferred (native) mode.
            e.nativeWidth = d[2] | (d[4] & 0xF0) << 4;
            e.nativeHeight = d[5] | (d[7] & 0xF0) << 4;
            haveTiming = true;
        }
    }
    // Laptop panels often carry no name descriptor but the maker and part number as plain text
    // ("AUO", "B140HAN04.0"); the server drops screens without a name.
    if (e.name.isEmpty())
        e.name = unspecifiedText.join(QLatin1Char(' ')).trimmed();
    return e;
}

QJsonObject screenJson(const Edid &e, const QString &manufacturer)
{
    QString serial = e.serialText;
    if (serial.isEmpty())
        serial = e.serialNumber ? QString::number(e.serialNumber) : QStringLiteral("-");
    return QJsonObject{
        {QStringLiteral("name"), e.name},
        {QStringLiteral("manufacturer"), manufacturer},
        {QStringLiteral("manufactured"), e.year ? QString::number(e.year) : QStringLiteral("-")},
        {QStringLiteral("resolution"), e.nativeWidth && e.nativeHeight
                                           ? QStringLiteral("%1 x %2").arg(e.nativeWidth).arg(e.nativeHeight)
                                           : QStringLiteral("-")},
        {QStringLiteral("size"), QStringLiteral("%1.0 x %2.0").arg(e.widthCm).arg(e.heightCm)},
        {QStringLiteral("type"), e.productCode ? QString::number(e.productCode) : QStringLiteral("-")},
        {QStringLiteral("serialno"), serial},
        {QStringLiteral("technology"), e.digital ? QStringLiteral("digital") : QStringLiteral("analog")}};
}

namespace {
// Manufacturer names by PNP id: hwdata's pnp.ids when installed, else systemd's hwdb source, which every
// systemd machine has ("acpi:DEL*:" followed by " ID_VENDOR_FROM_DATABASE=Dell Inc.").
QString pnpName(const SysRoot &root, const QString &id, QHash<QString, QString> &cache, bool &loaded)
{
    if (!loaded) {
        loaded = true;
        for (const char *file : {"/usr/share/hwdata/pnp.ids", "/usr/share/misc/pnp.ids"}) {
            bool ok = false;
            const QByteArray text = root.read(QLatin1String(file), &ok);
            if (!ok)
                continue;
            for (const QByteArray &line : text.split('\n')) {
                if (line.size() > 4 && line.at(3) == '\t')
                    cache.insert(QString::fromLatin1(line.left(3)), QString::fromUtf8(line.mid(4)).trimmed());
            }
            return cache.value(id, id);
        }
        bool ok = false;
        const QByteArray hwdb = root.read(QStringLiteral("/usr/lib/udev/hwdb.d/20-acpi-vendor.hwdb"), &ok);
        QString pending;
        for (const QByteArray &line : hwdb.split('\n')) {
            if (line.startsWith("acpi:") && line.size() == 10 && line.endsWith("*:")) {
                pending = QString::fromLatin1(line.mid(5, 3));
            } else if (!pending.isEmpty() && line.startsWith(" ID_VENDOR_FROM_DATABASE=")) {
                cache.insert(pending, QString::fromUtf8(line.mid(25)).trimmed());
                pending.clear();
            } else {
                pending.clear();
            }
        }
    }
    return cache.value(id, id);
}
} // namespace

QJsonArray collectScreens(const SysRoot &root)
{
    QJsonArray out;
    QHash<QString, QString> names;
    bool namesLoaded = false;
    const QString drm = QStringLiteral("/sys/class/drm");
    for (const QString &connector : root.list(drm)) {
        const QString file = drm + QLatin1Char('/') + connector + QStringLiteral("/edid");
        bool ok = false;
        const QByteArray blob = root.read(file, &ok);
        if (!ok || blob.isEmpty())
            continue; // not a connector, or nothing connected
        QString error;
        const std::optional<Edid> e = Edid::parse(blob, &error);
        if (!e) {
            qCWarning(lcInventory).noquote() << "screen on" << connector << "skipped:" << error;
            continue;
        }
        out.append(screenJson(*e, pnpName(root, e->pnpId, names, namesLoaded)));
    }
    return out;
}

} // namespace oco::platform
