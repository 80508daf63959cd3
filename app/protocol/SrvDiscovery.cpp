#include "SrvDiscovery.h"

#include "core/Log.h"
#include "core/TestHooks.h"
#include "platform/Paths.h"

#include <QDnsLookup>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace oco {

QList<SrvTarget> orderSrvTargets(QList<SrvTarget> records, QRandomGenerator &random)
{
    std::stable_sort(records.begin(), records.end(),
                     [](const SrvTarget &a, const SrvTarget &b) { return a.priority < b.priority; });
    QList<SrvTarget> out;
    int i = 0;
    while (i < records.size()) {
        int end = i;
        while (end < records.size() && records.at(end).priority == records.at(i).priority)
            ++end;
        // RFC 2782: zero-weight entries first, then draw by running sum of weights.
        QList<SrvTarget> group;
        for (int k = i; k < end; ++k)
            if (records.at(k).weight == 0)
                group.append(records.at(k));
        for (int k = i; k < end; ++k)
            if (records.at(k).weight != 0)
                group.append(records.at(k));
        while (!group.isEmpty()) {
            quint32 total = 0;
            for (const SrvTarget &t : qAsConst(group))
                total += t.weight;
            const quint32 pick = random.bounded(total + 1);
            quint32 running = 0;
            int chosen = static_cast<int>(group.size()) - 1;
            for (int k = 0; k < group.size(); ++k) {
                running += group.at(k).weight;
                if (running >= pick) {
                    chosen = k;
                    break;
                }
            }
            out.append(group.takeAt(chosen));
        }
        i = end;
    }
    return out;
}

QString apiUrlForSrv(const SrvTarget &t)
{
    QString host = t.target;
    while (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    return QStringLiteral("https://%1:%2/api-agent.php").arg(host).arg(t.port);
}

QStringList srvQueryNames(const QString &resolvConfText)
{
    QStringList domains;
    const QStringList lines = resolvConfText.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QStringList words = raw.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.size() < 2)
            continue;
        // The last of `search` / `domain` wins, as in the resolver.
        if (words.first() == QLatin1String("search") || words.first() == QLatin1String("domain"))
            domains = words.mid(1);
    }
    QStringList names;
    for (QString d : qAsConst(domains)) {
        while (d.endsWith(QLatin1Char('.')))
            d.chop(1);
        if (!d.isEmpty())
            names << QStringLiteral("_oco._tcp.%1").arg(d);
    }
    return names;
}

SrvResult discoverApiUrl(int timeoutMs)
{
    SrvResult result;
    QStringList names;
    const TestHooks hooks = TestHooks::active();
    if (!hooks.dnsDomain.isEmpty()) {
        names << QStringLiteral("_oco._tcp.%1").arg(hooks.dnsDomain);
    } else {
        QFile f(platform::resolverConfigFile());
        if (!f.fileName().isEmpty() && f.open(QIODevice::ReadOnly))
            names = srvQueryNames(QString::fromUtf8(f.readAll()));
    }
    if (names.isEmpty()) {
        result.error = QStringLiteral("the resolver has no search domain, so there is no _oco._tcp name to ask for");
        return result;
    }
    QStringList problems;
    for (const QString &name : qAsConst(names)) {
        QDnsLookup lookup(QDnsLookup::SRV, name);
        if (!hooks.dnsServer.isEmpty())
            lookup.setNameserver(QHostAddress(hooks.dnsServer));
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&lookup, &QDnsLookup::finished, &loop, &QEventLoop::quit);
        QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
            lookup.abort();
            loop.quit();
        });
        lookup.lookup();
        timer.start(timeoutMs);
        if (!lookup.isFinished())
            loop.exec();
        if (lookup.error() != QDnsLookup::NoError || lookup.serviceRecords().isEmpty()) {
            problems << QStringLiteral("%1: %2").arg(
                name, lookup.error() == QDnsLookup::NoError ? QStringLiteral("no SRV record") : lookup.errorString());
            continue;
        }
        QList<SrvTarget> targets;
        const auto records = lookup.serviceRecords();
        for (const QDnsServiceRecord &r : records)
            targets.append({r.target(), r.port(), r.priority(), r.weight()});
        const QList<SrvTarget> ordered = orderSrvTargets(targets, *QRandomGenerator::global());
        result.url = apiUrlForSrv(ordered.first());
        result.queryName = name;
        return result;
    }
    result.error = problems.join(QStringLiteral("; "));
    return result;
}

} // namespace oco
