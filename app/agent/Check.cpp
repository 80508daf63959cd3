#include "Check.h"

#include "agent/Agent.h"
#include "config/Config.h"
#include "core/Clock.h"
#include "core/StateStore.h"
#include "protocol/DialectCurrent.h"
#include "protocol/DialectNegotiator.h"
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

    // 5. TLS and 6. dialect, with the negotiator's probe: one request no OCO server authenticates or acts on
    // (an unknown method, no key). Its answer tells the server generation.
    Agent agent(config, state);
    const AgentIdentity id = agent.identity();
    DialectNegotiator negotiator(config, state, agent.http(), id);
    const ServerProbe probe = negotiator.probe();
    const ServerEra seen = probe.era;
    const HttpResponse &res = probe.response;
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
    bool dialectOk = seen != ServerEra::Unknown;
    QString dialectText;
    const QString configured = protocolChoiceName(config.protocol);
    const QString speaks = QStringLiteral("the server speaks %1: %2")
                               .arg(seen == ServerEra::Legacy2021     ? QStringLiteral("2021")
                                    : seen == ServerEra::Transitional ? QStringLiteral("2021 or plain")
                                                                      : QStringLiteral("current"),
                                    serverEraText(seen));
    // Which pinned dialects fit the server: v0.13.2-v1.1.6 take 2021 (up to v1.0.1) or plain.
    const bool fits = (seen == ServerEra::Legacy2021 && config.protocol == ProtocolChoice::Legacy2021) ||
                      (seen == ServerEra::Transitional &&
                       (config.protocol == ProtocolChoice::Legacy2021 || config.protocol == ProtocolChoice::Plain)) ||
                      (seen == ServerEra::Current && config.protocol == ProtocolChoice::Current);
    if (!dialectOk) {
        dialectText = QStringLiteral("%1 does not answer like an OCO server (%2)").arg(config.apiUrl, probe.answer);
    } else if (config.protocol == ProtocolChoice::Auto) {
        dialectText = QStringLiteral("%1 ([server] protocol = auto; pinned on the first contact)").arg(speaks);
    } else if (fits) {
        dialectText = QStringLiteral("%1 ([server] protocol = %2)").arg(speaks, configured);
    } else if (negotiator.pinnedAutomatically() &&
               (seen == ServerEra::Current ||
                (seen == ServerEra::Transitional && config.protocol == ProtocolChoice::Legacy2021))) {
        dialectText = QStringLiteral("%1, but [server] protocol = %2 (detected earlier): the agent moves up by "
                                     "itself on its next contact")
                          .arg(speaks, configured);
    } else {
        dialectOk = false;
        dialectText = QStringLiteral("%1, but [server] protocol = %2").arg(speaks, configured);
    }
    line(dialectOk, QStringLiteral("dialect"), dialectText);

    // 7. Keys.
    const bool keysOk = !config.agentKey.isEmpty() && !config.serverKey.isEmpty();
    line(keysOk, QStringLiteral("keys"),
         QStringLiteral("agent key %1, server key %2")
             .arg(config.agentKey.isEmpty() ? QStringLiteral("EMPTY") : QStringLiteral("set"),
                  config.serverKey.isEmpty() ? QStringLiteral("not received yet (first contact pending)")
                                             : QStringLiteral("set")));

    // 8. A hello, verified like every reply; jobs are listed, not run.
    QDateTime serverTime;
    QDateTime localTime;
    if (config.serverKey.isEmpty()) {
        line(false, QStringLiteral("hello"),
             QStringLiteral("not tried: the server hands keys over once, on the first contact, and --check does not "
                            "store keys. Run oco-agent --once (or start the service), then --check again"));
    } else if (seen == ServerEra::Unknown) {
        line(false, QStringLiteral("hello"), QStringLiteral("not tried: no OCO server found"));
    } else {
        std::unique_ptr<Dialect> dialect;
        Result<HelloResult> hello = Result<HelloResult>::fail({FailureKind::Local, 0, QString()});
        if (config.protocol == ProtocolChoice::Auto) {
            // As the first contact would decide (v0.13.2-v1.1.6 need the 2021 hello for it), writing nothing.
            negotiator.setDryRun(true);
            DialectNegotiator::Contact c = negotiator.hello([&agent, &id] { return agent.helloData(id); });
            dialect = std::move(c.dialect);
            hello = std::move(c.hello);
        } else {
            // The dialect that fits the server; the configured one when it fits too.
            ProtocolChoice choice = seen == ServerEra::Legacy2021 ? ProtocolChoice::Legacy2021
                                    : seen == ServerEra::Current  ? ProtocolChoice::Current
                                                                  : config.protocol;
            if (fits)
                choice = config.protocol;
            dialect = makeDialectFor(choice, config, state, agent.http(), id);
            if (auto *d = dynamic_cast<DialectCurrent *>(dialect.get()))
                d->setProbeOnly(true);
            hello = dialect->hello(agent.helloData(id));
        }
        DialectCurrent *current = dynamic_cast<DialectCurrent *>(dialect.get());
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
