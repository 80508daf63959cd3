#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class QRandomGenerator;

namespace oco {

struct SrvTarget
{
    QString target;
    quint16 port = 0;
    quint16 priority = 0;
    quint16 weight = 0;
};

// RFC 2782 order: lowest priority first; within one priority a weighted random draw (weight 0 entries
// are drawn rarely, but still). Pure, so it can be tested with a seeded generator.
QList<SrvTarget> orderSrvTargets(QList<SrvTarget> records, QRandomGenerator &random);

// https://<target without trailing dot>:<port>/api-agent.php
QString apiUrlForSrv(const SrvTarget &t);

// The names to ask for: `_oco._tcp.<domain>` for each search domain of the resolver (resolv.conf
// `search` / `domain`), in order. QDnsLookup does not apply the search list by itself.
QStringList srvQueryNames(const QString &resolvConfText);

struct SrvResult
{
    QString url;       // empty when nothing was found
    QString queryName; // the name that answered
    QString error;     // why nothing was found
};

// Looks `_oco._tcp` up (blocking, with an event loop; at most `timeoutMs` per name). The environment
// variables OCO_TEST_DNS_SERVER (IP address of the name server) and OCO_TEST_DNS_DOMAIN (the search
// domain) exist for tests.
SrvResult discoverApiUrl(int timeoutMs = 10000);

} // namespace oco
