#include "Software.h"

#include "SysRoot.h"
#include "core/Log.h"

#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QXmlStreamReader>

#include <cstring>
#include <exception>
#include <stdexcept>

namespace oco::platform {

namespace {
// Server column limits (docs/server-protocol.md §6.2).
QJsonObject package(const QString &name, const QString &version, const QString &description)
{
    return QJsonObject{{QStringLiteral("name"), name.left(200)},
                       {QStringLiteral("version"), version.left(200)},
                       {QStringLiteral("description"), description.left(350)}};
}

struct DpkgRecord
{
    QByteArray name, arch, version, description;
    bool present = false;
};

// dpkg's package states with the files on disk: everything but not-installed, config-files, half-installed.
bool filesPresent(const QByteArray &status)
{
    const QByteArray state = status.mid(status.lastIndexOf(' ') + 1);
    return state == "installed" || state == "triggers-pending" || state == "triggers-awaited" ||
           state == "half-configured" || state == "unpacked";
}

void parseDpkgStanzas(const QByteArray &text, QList<DpkgRecord> &records, QHash<QByteArray, qsizetype> &index)
{
    DpkgRecord rec;
    bool haveStatus = false;
    auto flush = [&] {
        if (!rec.name.isEmpty() && haveStatus) {
            // Later stanzas (the updates journal) replace earlier ones for the same package and architecture.
            const QByteArray key = rec.name + ':' + rec.arch;
            const auto it = index.constFind(key);
            if (it != index.constEnd()) {
                records[*it] = rec;
            } else {
                index.insert(key, records.size());
                records.append(rec);
            }
        }
        rec = DpkgRecord();
        haveStatus = false;
    };
    qsizetype pos = 0;
    const qsizetype n = text.size();
    const char *d = text.constData();
    while (pos <= n) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = n;
        const qsizetype len = end - pos;
        const char *line = d + pos;
        if (len == 0) {
            flush();
        } else if (line[0] != ' ' && line[0] != '\t') {
            // Only a few fields matter; compare the key without building strings for the others.
            auto value = [&](qsizetype keyLen) { return QByteArray(line + keyLen, len - keyLen).trimmed(); };
            if (len > 8 && memcmp(line, "Package:", 8) == 0) {
                rec.name = value(8);
            } else if (len > 8 && memcmp(line, "Version:", 8) == 0) {
                rec.version = value(8);
            } else if (len > 13 && memcmp(line, "Architecture:", 13) == 0) {
                rec.arch = value(13);
            } else if (len > 12 && memcmp(line, "Description:", 12) == 0) {
                rec.description = value(12);
            } else if (len > 7 && memcmp(line, "Status:", 7) == 0) {
                rec.present = filesPresent(value(7));
                haveStatus = true;
            }
        }
        pos = end + 1;
    }
    flush();
}
} // namespace

QJsonArray parseDpkgStatus(const QByteArray &status, const QList<QByteArray> &updates)
{
    QList<DpkgRecord> records;
    QHash<QByteArray, qsizetype> index;
    parseDpkgStanzas(status, records, index);
    for (const QByteArray &u : updates)
        parseDpkgStanzas(u, records, index);
    QJsonArray out;
    QSet<QByteArray> seen; // multi-arch twins (libc6:amd64, libc6:i386) are one row on the server
    for (const DpkgRecord &r : qAsConst(records)) {
        if (!r.present)
            continue;
        const QByteArray key = r.name + ' ' + r.version;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        out.append(package(QString::fromUtf8(r.name), QString::fromUtf8(r.version), QString::fromUtf8(r.description)));
    }
    return out;
}

QJsonArray collectDpkg(const SysRoot &root)
{
    bool ok = false;
    const QByteArray status = root.read(QStringLiteral("/var/lib/dpkg/status"), &ok);
    if (!ok) {
        if (root.exists(QStringLiteral("/var/lib/dpkg/status")))
            throw std::runtime_error("/var/lib/dpkg/status is not readable");
        return {};
    }
    // Changes dpkg has journaled but not yet merged into status (it is running, or was interrupted).
    QList<QByteArray> updates;
    for (const QString &name : root.list(QStringLiteral("/var/lib/dpkg/updates"))) {
        bool numeric = false;
        name.toInt(&numeric);
        if (numeric)
            updates << root.read(QStringLiteral("/var/lib/dpkg/updates/") + name);
    }
    return parseDpkgStatus(status, updates);
}

QJsonArray parseRpmQuery(const QByteArray &output)
{
    QJsonArray out;
    for (const QByteArray &line : output.split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() < 2 || f.at(0).isEmpty() || f.at(0) == "gpg-pubkey")
            continue;
        out.append(
            package(QString::fromUtf8(f.at(0)), QString::fromUtf8(f.at(1)), QString::fromUtf8(f.value(2)).trimmed()));
    }
    return out;
}

QJsonArray collectRpms(const SysRoot &root)
{
    QString program;
    for (const char *p : {"/usr/bin/rpm", "/bin/rpm"}) {
        if (root.exists(QLatin1String(p))) {
            program = root.path(QLatin1String(p));
            break;
        }
    }
    if (program.isEmpty() ||
        !(root.isDir(QStringLiteral("/var/lib/rpm")) || root.isDir(QStringLiteral("/usr/lib/sysimage/rpm"))))
        return {};
    // librpm has no stable C API worth linking for one query; the rpm program reads its database itself.
    QStringList args{QStringLiteral("-qa"), QStringLiteral("--qf"),
                     QStringLiteral("%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{SUMMARY}\\n")};
    if (!root.isHostRoot())
        args << QStringLiteral("--root") << root.root();
    QProcess rpm;
    rpm.setProcessChannelMode(QProcess::SeparateChannels);
    rpm.start(program, args);
    if (!rpm.waitForFinished(60000)) {
        rpm.kill();
        rpm.waitForFinished(1000);
        throw std::runtime_error("rpm -qa did not finish within 60 s");
    }
    if (rpm.exitStatus() != QProcess::NormalExit || rpm.exitCode() != 0)
        throw std::runtime_error(QStringLiteral("rpm -qa failed (exit code %1): %2")
                                     .arg(rpm.exitCode())
                                     .arg(QString::fromUtf8(rpm.readAllStandardError()).trimmed())
                                     .toStdString());
    return parseRpmQuery(rpm.readAllStandardOutput());
}

namespace {
// Version of the newest <release> and the untranslated <summary> of an AppStream metainfo file.
void appStream(const QByteArray &xml, QString *version, QString *summary)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (version->isEmpty() && r.name() == QLatin1String("release")) {
            *version = r.attributes().value(QLatin1String("version")).toString();
        } else if (summary->isEmpty() && r.name() == QLatin1String("summary") &&
                   !r.attributes().hasAttribute(QLatin1String("xml:lang"))) {
            *summary = r.readElementText().simplified();
        }
    }
}
} // namespace

QJsonArray collectFlatpaks(const SysRoot &root)
{
    QJsonArray out;
    const QString apps = QStringLiteral("/var/lib/flatpak/app");
    for (const QString &id : root.list(apps)) {
        const QString current = root.linkTarget(apps + QLatin1Char('/') + id + QStringLiteral("/current"));
        if (current.isEmpty())
            continue;
        const QString files =
            apps + QLatin1Char('/') + id + QLatin1Char('/') + current + QStringLiteral("/active/files");
        QString version, summary;
        for (const QString &meta :
             {QStringLiteral("/share/metainfo/%1.metainfo.xml"), QStringLiteral("/share/metainfo/%1.appdata.xml"),
              QStringLiteral("/share/appdata/%1.appdata.xml")}) {
            bool ok = false;
            const QByteArray xml = root.read(files + meta.arg(id), &ok);
            if (ok) {
                appStream(xml, &version, &summary);
                break;
            }
        }
        // A branch ("stable") is the best version we have when the app ships no release list.
        if (version.isEmpty())
            version = current.section(QLatin1Char('/'), -1);
        out.append(package(id, version, summary));
    }
    return out;
}

QJsonArray collectSnaps(const SysRoot &root)
{
    QJsonArray out;
    for (const QString &name : root.list(QStringLiteral("/snap"))) {
        bool ok = false;
        const QByteArray yaml = root.read(QStringLiteral("/snap/%1/current/meta/snap.yaml").arg(name), &ok);
        if (!ok)
            continue; // /snap/bin, /snap/README
        QString version, summary;
        for (const QByteArray &line : yaml.split('\n')) {
            auto value = [&](int keyLen) {
                QString v = QString::fromUtf8(line.mid(keyLen)).trimmed();
                if (v.size() >= 2 && (v.startsWith(QLatin1Char('"')) || v.startsWith(QLatin1Char('\''))) &&
                    v.endsWith(v.at(0)))
                    v = v.mid(1, v.size() - 2);
                return v;
            };
            if (line.startsWith("version:"))
                version = value(8);
            else if (line.startsWith("summary:"))
                summary = value(8);
        }
        out.append(package(name, version, summary));
    }
    return out;
}

QJsonArray collectSoftware(const SysRoot &root)
{
    QJsonArray out;
    auto add = [&](const char *source, auto &&collector) {
        try {
            const QJsonArray part = collector();
            for (const QJsonValue &v : part)
                out.append(v);
        } catch (const std::exception &e) {
            qCWarning(lcInventory).noquote() << "software from" << source << "left out:" << e.what();
        }
    };
    add("dpkg", [&] { return collectDpkg(root); });
    add("rpm", [&] { return collectRpms(root); });
    add("flatpak", [&] { return collectFlatpaks(root); });
    add("snap", [&] { return collectSnaps(root); });
    return out;
}

} // namespace oco::platform
