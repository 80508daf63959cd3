#include "Printers.h"

#include "SysRoot.h"

#include <QJsonObject>

#include <stdexcept>

namespace oco::platform {

QString stripUriCredentials(const QString &uri)
{
    const int scheme = uri.indexOf(QLatin1String("://"));
    if (scheme < 0)
        return uri;
    const int authorityStart = scheme + 3;
    int authorityEnd = uri.indexOf(QLatin1Char('/'), authorityStart);
    if (authorityEnd < 0)
        authorityEnd = uri.size();
    // The last '@' of the authority ends the user info (passwords may contain '@' when not escaped).
    const int at = uri.lastIndexOf(QLatin1Char('@'), authorityEnd - 1);
    if (at < authorityStart)
        return uri;
    return uri.left(authorityStart) + uri.mid(at + 1);
}

namespace {
// "*DefaultPageSize: A4" and "*DefaultResolution: 600dpi" from the queue's PPD.
void ppdDefaults(const SysRoot &root, const QString &queue, QString *paper, QString *dpi)
{
    bool ok = false;
    const QByteArray ppd = root.read(QStringLiteral("/etc/cups/ppd/%1.ppd").arg(queue), &ok);
    if (!ok)
        return;
    for (const QByteArray &line : ppd.split('\n')) {
        if (line.startsWith("*DefaultPageSize:"))
            *paper = QString::fromUtf8(line.mid(17)).trimmed();
        else if (line.startsWith("*DefaultResolution:"))
            *dpi = QString::fromUtf8(line.mid(19)).trimmed().remove(QLatin1String("dpi"));
    }
}
} // namespace

QJsonArray parseCupsPrinters(const QByteArray &conf, const SysRoot &root)
{
    QJsonArray out;
    QString name, driver, uri, state;
    bool inBlock = false;
    for (const QByteArray &raw : conf.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(QLatin1String("<Printer ")) || line.startsWith(QLatin1String("<DefaultPrinter "))) {
            inBlock = true;
            name = line.mid(line.indexOf(QLatin1Char(' ')) + 1);
            if (name.endsWith(QLatin1Char('>')))
                name.chop(1);
            driver.clear();
            uri.clear();
            state.clear();
        } else if (inBlock && (line == QLatin1String("</Printer>") || line == QLatin1String("</DefaultPrinter>"))) {
            inBlock = false;
            QString paper, dpi;
            ppdDefaults(root, name, &paper, &dpi);
            out.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("driver"), driver},
                                   {QStringLiteral("paper"), paper},
                                   {QStringLiteral("dpi"), dpi},
                                   {QStringLiteral("uri"), stripUriCredentials(uri)},
                                   {QStringLiteral("status"), state}});
        } else if (inBlock) {
            const int sp = line.indexOf(QLatin1Char(' '));
            const QString key = sp < 0 ? line : line.left(sp);
            const QString value = sp < 0 ? QString() : line.mid(sp + 1).trimmed();
            if (key == QLatin1String("MakeModel"))
                driver = value;
            else if (key == QLatin1String("DeviceURI"))
                uri = value;
            else if (key == QLatin1String("State"))
                state = value.toLower();
        }
    }
    return out;
}

QJsonArray collectPrinters(const SysRoot &root)
{
    bool ok = false;
    const QByteArray conf = root.read(QStringLiteral("/etc/cups/printers.conf"), &ok);
    if (!ok) {
        if (root.exists(QStringLiteral("/etc/cups/printers.conf")))
            throw std::runtime_error("/etc/cups/printers.conf is not readable (root only)");
        return {}; // no CUPS
    }
    return parseCupsPrinters(conf, root);
}

} // namespace oco::platform
