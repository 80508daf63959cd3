#include "Check.h"

#include "agent/Agent.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "core/StateStore.h"
#include "protocol/Dialect2021.h"
#include "protocol/DialectCurrent.h"
#include "protocol/SrvDiscovery.h"

#include <QHostInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimeZone>

#include <cmath>
#include <cstdio>

namespace oco {

Check::Check(QString configPath, QString stateDir)
    : m_configPath(std::move(configPath))
    , m_stateDir(std::move(stateDir))
{}

void Check::line(bool ok, const QString &what, const QString &detail)
{
    const QString text =
        QStringLiteral("%1 %2: %3").arg(ok ? QStringLiteral("OK  ") : QStringLiteral("FAIL"), what, detail);
    m_lines << text;
    if (!ok)
        m_allOk = false;
    const QByteArray b = text.toUtf8() + '\n';
    std::fwrite(b.constData(), 1, static_cast<size_t>(b.size()), stdout);
    std::fflush(stdout);
}

namespace {

QString certText(const QSslCertificate &c)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 days = now.daysTo(c.expiryDate());
    return QStringLiteral("subject \"%1\", issuer \"%2\", expires %3 (%4)")
        .arg(c.subjectDisplayName(), c.issuerDisplayName(),
             c.expiryDate().toUTC().toString(QStringLiteral("yyyy-MM-dd")),
             days >= 0 ? QStringLiteral("in %1 days").arg(days) : QStringLiteral("EXPIRED"));
}

} // namespace

int Check::run()
{
    // 1. Config.
    Config config;
    QString error;
    if (!config.load(m_configPath, &error)) {
        line(false, QStringLiteral("config"), error);
        return 1;
    }
    line(true, QStringLiteral("config"), QStringLiteral("%1 is readable and valid").arg(m_configPath));
    StateStore state;
    if (!state.open(m_stateDir, &error)) {
        line(false, QStringLiteral("state"), error);
        return 1;
    }

    // 2. Where the server URL comes from (DNS SRV is only looked up, not stored, by --check).
    if (!config.apiUrl.isEmpty()) {
        line(true, QStringLiteral("server URL"), QStringLiteral("%1 (from the config)").arg(config.apiUrl));
    } else {
        const SrvResult srv = discoverApiUrl();
        if (srv.url.isEmpty()) {
            line(false, QStringLiteral("server URL"),
                 QStringLiteral("[server] api-url is empty and DNS SRV found nothing: %1").arg(srv.error));
            return 1;
        }
        config.apiUrl = srv.url;
        line(true, QStringLiteral("server URL"),
             QStringLiteral("%1 (from DNS SRV %2; the agent stores it on its first contact)")
                 .arg(srv.url, srv.queryName));
    }
    const QUrl url(config.apiUrl);
    const bool https = url.scheme() == QLatin1String("https");

    // 3. DNS and 4. TCP: of the proxy when one is configured explicitly, else of the server.
    QString host = url.host();
    quint16 port = static_cast<quint16>(url.port(https ? 443 : 80));
    QString via;
    const QString proxy = config.proxy.trimmed();
    if (!proxy.isEmpty() && proxy != QLatin1String("system") && proxy != QLatin1String("none")) {
        const QUrl p(proxy);
        host = p.host();
        port = static_cast<quint16>(p.port(3128));
        via = QStringLiteral(" (the proxy)");
    }
    const QHostInfo info = QHostInfo::fromName(host);
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        line(false, QStringLiteral("DNS"),
             QStringLiteral("%1%2 does not resolve: %3").arg(host, via, info.errorString()));
        return 1;
    }
    QStringList addrs;
    for (const QHostAddress &a : info.addresses())
        addrs << a.toString();
    line(true, QStringLiteral("DNS"), QStringLiteral("%1%2 is %3").arg(host, via, addrs.join(QStringLiteral(", "))));
    {
        QTcpSocket sock;
        sock.setProxy(QNetworkProxy::NoProxy);
        sock.connectToHost(info.addresses().first(), port);
        if (!sock.waitForConnected(static_cast<int>(config.connectionTimeout * 1000 + 1000))) {
            line(false, QStringLiteral("TCP"),
                 QStringLiteral("cannot connect to %1:%2%3: %4").arg(host).arg(port).arg(via, sock.errorString()));
            return 1;
        }
        line(true, QStringLiteral("TCP"), QStringLiteral("connected to %1:%2%3").arg(host).arg(port).arg(via));
    }

    // 5. TLS and 6. dialect, with one request no OCO server authenticates: an unknown method. A current
    // server answers 400 "Unknown method", a 2021 server 200 "Unknown Method"; neither counts it as a login
    // failure (fail2ban) and neither changes anything.
    Agent agent(config, state);
    const AgentIdentity id = agent.identity();
    HttpResponse res;
    const ServerDialect seen = probeServerDialect(agent.http(), url, id.hostname, &res);
    if (res.failure.kind == FailureKind::Tls) {
        line(false, QStringLiteral("TLS"), res.failure.message);
        return 1;
    }
    if (!https) {
        line(false, QStringLiteral("TLS"),
             QStringLiteral("not used: %1 is plain http, so keys and packages travel unencrypted; use https")
                 .arg(config.apiUrl));
    } else if (!res.failure.ok()) {
        line(false, QStringLiteral("TLS"), res.failure.message);
        return 1;
    } else {
        const QList<QSslCertificate> chain = agent.http().lastPeerChain();
        line(!chain.isEmpty(), QStringLiteral("TLS"),
             chain.isEmpty()
                 ? QStringLiteral("no certificate seen")
                 : QStringLiteral("handshake ok, %1%2")
                       .arg(certText(chain.first()), config.pinSha256.isEmpty()
                                                         ? QString()
                                                         : QStringLiteral(", public key matches pin-sha256")));
    }
    if (!res.failure.ok()) {
        line(false, QStringLiteral("dialect"), res.failure.message);
        return 1;
    }
    const QString seenName = seen == ServerDialect::Legacy2021 ? QStringLiteral("2021")
                             : seen == ServerDialect::Current  ? QStringLiteral("current")
                                                               : QString();
    bool dialectOk = seen != ServerDialect::Unknown;
    QString dialectText;
    if (!dialectOk) {
        dialectText = QStringLiteral("%1 does not answer like an OCO server (HTTP %2 %3)")
                          .arg(config.apiUrl)
                          .arg(res.status)
                          .arg(QString::fromUtf8(res.body.left(80)).simplified());
    } else if (config.protocol == ProtocolChoice::Auto) {
        dialectText = QStringLiteral("the server speaks %1 ([server] protocol = auto; pinned on the first contact)")
                          .arg(seenName);
    } else if (protocolChoiceName(config.protocol) != seenName) {
        dialectOk = false;
        dialectText = QStringLiteral("the server speaks %1 but [server] protocol = %2")
                          .arg(seenName, protocolChoiceName(config.protocol));
    } else {
        dialectText = QStringLiteral("%1 (as configured)").arg(seenName);
    }
    line(dialectOk, QStringLiteral("dialect"), dialectText);

    // 7. Keys.
    const bool keysOk = !config.agentKey.isEmpty() && !config.serverKey.isEmpty();
    line(keysOk, QStringLiteral("keys"),
         QStringLiteral("agent key %1, server key %2")
             .arg(config.agentKey.isEmpty() ? QStringLiteral("EMPTY") : QStringLiteral("set"),
                  config.serverKey.isEmpty() ? QStringLiteral("not received yet (first contact pending)")
                                             : QStringLiteral("set")));

    // 8. A signed hello, verified like every reply; jobs are listed, not run.
    QDateTime serverTime;
    QDateTime localTime;
    if (config.serverKey.isEmpty()) {
        line(false, QStringLiteral("hello"),
             QStringLiteral("not tried: the server hands keys over once, on the first contact, and --check does not "
                            "store keys. Run oco-agent --once (or start the service), then --check again"));
    } else if (seen == ServerDialect::Unknown) {
        line(false, QStringLiteral("hello"), QStringLiteral("not tried: no OCO server found"));
    } else {
        std::unique_ptr<Dialect> dialect;
        DialectCurrent *current = nullptr;
        if (seen == ServerDialect::Current) {
            auto d = std::make_unique<DialectCurrent>(config, state, agent.http(), id);
            d->setProbeOnly(true);
            current = d.get();
            dialect = std::move(d);
        } else {
            dialect = std::make_unique<Dialect2021>(config, state, agent.http(), id);
        }
        const Result<HelloResult> hello = dialect->hello(agent.helloData(id));
        if (!hello.ok()) {
            line(false, QStringLiteral("hello"), hello.failure.message);
        } else {
            line(true, QStringLiteral("hello"),
                 QStringLiteral("the server accepted '%1' (%2 dialect, %3); %4 job(s) waiting (not run by --check)")
                     .arg(id.hostname, dialect->name(),
                          current ? QStringLiteral("signature and timestamp verified")
                                  : QStringLiteral("server key matches"))
                     .arg(hello.value->jobs.size()));
        }
        if (current) {
            serverTime = current->lastServerTime();
            localTime = current->lastLocalTime();
        }
    }

    // 9. Clock offset: the server's result.timestamp when we have one, else its Date header.
    if (!serverTime.isValid()) {
        serverTime = QLocale::c().toDateTime(QString::fromLatin1(res.header("Date")).trimmed(),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        serverTime.setTimeZone(QTimeZone::utc());
        localTime = Clock::system().nowUtc();
    }
    if (!serverTime.isValid()) {
        line(false, QStringLiteral("clock"), QStringLiteral("the server sent no time to compare with"));
    } else {
        const double offset =
            static_cast<double>(localTime.toMSecsSinceEpoch() - serverTime.toMSecsSinceEpoch()) / 1000.0;
        const bool ok = std::fabs(offset) <= 60;
        line(ok, QStringLiteral("clock"),
             QStringLiteral("this computer %1, server %2: offset %3 s%4")
                 .arg(clockText(localTime), clockText(serverTime))
                 .arg(offset, 0, 'f', 1)
                 .arg(ok ? QString() : QStringLiteral(" (more than 60 s: fix the time with NTP)")));
    }
    return m_allOk ? 0 : 1;
}

} // namespace oco
