#include "Check.h"

#include "agent/Agent.h"
#include "core/Clock.h"
#include "protocol/DialectCurrent.h"
#include "protocol/SrvDiscovery.h"

#include <QHostInfo>
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

Check::~Check() = default;

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
    const QDateTime now = Clock::system().nowUtc();
    const qint64 days = now.daysTo(c.expiryDate());
    return QStringLiteral("subject \"%1\", issuer \"%2\", expires %3 (%4)")
        .arg(c.subjectDisplayName(), c.issuerDisplayName(),
             c.expiryDate().toUTC().toString(QStringLiteral("yyyy-MM-dd")),
             days >= 0 ? QStringLiteral("in %1 days").arg(days) : QStringLiteral("EXPIRED"));
}

} // namespace

int Check::run()
{
    if (!loadConfig() || !findServerUrl() || !reachServer())
        return 1;
    // TLS and the dialect with the negotiator's probe: one request no OCO server authenticates or acts on (an
    // unknown method, no key). Its answer tells the server generation.
    m_agent = std::make_unique<Agent>(m_config, m_state);
    const AgentIdentity id = m_agent->identity();
    DialectNegotiator negotiator(m_config, m_state, m_agent->http(), id);
    const ServerProbe probe = negotiator.probe();
    if (!checkTls(probe) || !checkDialect(probe, negotiator))
        return 1;
    checkKeys();
    checkClock(checkHello(probe.era, id, negotiator), probe.response);
    return m_allOk ? 0 : 1;
}

bool Check::loadConfig()
{
    QString error;
    if (!m_config.load(m_configPath, &error)) {
        line(false, QStringLiteral("config"), error);
        return false;
    }
    line(true, QStringLiteral("config"), QStringLiteral("%1 is readable and valid").arg(m_configPath));
    if (!m_state.open(m_stateDir, &error)) {
        line(false, QStringLiteral("state"), error);
        return false;
    }
    return true;
}

bool Check::findServerUrl()
{
    // DNS SRV is only looked up, not stored, by --check.
    if (!m_config.apiUrl.isEmpty()) {
        line(true, QStringLiteral("server URL"), QStringLiteral("%1 (from the config)").arg(m_config.apiUrl));
        return true;
    }
    const SrvResult srv = discoverApiUrl();
    if (srv.url.isEmpty()) {
        line(false, QStringLiteral("server URL"),
             QStringLiteral("[server] api-url is empty and DNS SRV found nothing: %1").arg(srv.error));
        return false;
    }
    m_config.apiUrl = srv.url;
    line(true, QStringLiteral("server URL"),
         QStringLiteral("%1 (from DNS SRV %2; the agent stores it on its first contact)").arg(srv.url, srv.queryName));
    return true;
}

bool Check::reachServer()
{
    // DNS and TCP: of the proxy when one is configured explicitly, else of the server.
    const QUrl url(m_config.apiUrl);
    QString host = url.host();
    quint16 port = static_cast<quint16>(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
    QString via;
    const QString proxy = m_config.proxy.trimmed();
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
        return false;
    }
    QStringList addrs;
    for (const QHostAddress &a : info.addresses())
        addrs << a.toString();
    line(true, QStringLiteral("DNS"), QStringLiteral("%1%2 is %3").arg(host, via, addrs.join(QStringLiteral(", "))));
    QTcpSocket sock;
    sock.setProxy(QNetworkProxy::NoProxy);
    sock.connectToHost(info.addresses().first(), port);
    if (!sock.waitForConnected(static_cast<int>(m_config.connectionTimeout * 1000 + 1000))) {
        line(false, QStringLiteral("TCP"),
             QStringLiteral("cannot connect to %1:%2%3: %4").arg(host).arg(port).arg(via, sock.errorString()));
        return false;
    }
    line(true, QStringLiteral("TCP"), QStringLiteral("connected to %1:%2%3").arg(host).arg(port).arg(via));
    return true;
}

bool Check::checkTls(const ServerProbe &probe)
{
    const Failure &failure = probe.response.failure;
    if (failure.kind == FailureKind::Tls) {
        line(false, QStringLiteral("TLS"), failure.message);
        return false;
    }
    if (QUrl(m_config.apiUrl).scheme() != QLatin1String("https")) {
        line(false, QStringLiteral("TLS"),
             QStringLiteral("not used: %1 is plain http, so keys and packages travel unencrypted; use https")
                 .arg(m_config.apiUrl));
        return true;
    }
    if (!failure.ok()) {
        line(false, QStringLiteral("TLS"), failure.message);
        return false;
    }
    const QList<QSslCertificate> chain = m_agent->http().lastPeerChain();
    line(!chain.isEmpty(), QStringLiteral("TLS"),
         chain.isEmpty()
             ? QStringLiteral("no certificate seen")
             : QStringLiteral("handshake ok, %1%2")
                   .arg(certText(chain.first()),
                        m_config.pinSha256.isEmpty() ? QString() : QStringLiteral(", public key matches pin-sha256")));
    return true;
}

bool Check::checkDialect(const ServerProbe &probe, const DialectNegotiator &negotiator)
{
    if (!probe.response.failure.ok()) {
        line(false, QStringLiteral("dialect"), probe.response.failure.message);
        return false;
    }
    const ServerEra seen = probe.era;
    const QString configured = protocolChoiceName(m_config.protocol);
    const QString speaks = QStringLiteral("the server speaks %1: %2")
                               .arg(seen == ServerEra::Legacy2021     ? QStringLiteral("2021")
                                    : seen == ServerEra::Transitional ? QStringLiteral("2021 or plain")
                                                                      : QStringLiteral("current"),
                                    serverEraText(seen));
    bool ok = true;
    QString text;
    if (seen == ServerEra::Unknown) {
        ok = false;
        text = QStringLiteral("%1 does not answer like an OCO server (%2)").arg(m_config.apiUrl, probe.answer);
    } else if (m_config.protocol == ProtocolChoice::Auto) {
        text = QStringLiteral("%1 ([server] protocol = auto; pinned on the first contact)").arg(speaks);
    } else if (DialectNegotiator::fits(seen, m_config.protocol)) {
        text = QStringLiteral("%1 ([server] protocol = %2)").arg(speaks, configured);
    } else if (negotiator.movesUpFor(seen)) {
        text = QStringLiteral("%1, but [server] protocol = %2 (detected earlier): the agent moves up by itself on its "
                              "next contact")
                   .arg(speaks, configured);
    } else {
        ok = false;
        text = QStringLiteral("%1, but [server] protocol = %2").arg(speaks, configured);
    }
    line(ok, QStringLiteral("dialect"), text);
    return true;
}

void Check::checkKeys()
{
    const bool ok = !m_config.agentKey.isEmpty() && !m_config.serverKey.isEmpty();
    line(ok, QStringLiteral("keys"),
         QStringLiteral("agent key %1, server key %2")
             .arg(m_config.agentKey.isEmpty() ? QStringLiteral("EMPTY") : QStringLiteral("set"),
                  m_config.serverKey.isEmpty() ? QStringLiteral("not received yet (first contact pending)")
                                               : QStringLiteral("set")));
}

Check::Times Check::checkHello(ServerEra seen, const AgentIdentity &id, DialectNegotiator &negotiator)
{
    // A hello, verified like every reply; jobs are listed, not run.
    if (m_config.serverKey.isEmpty()) {
        line(false, QStringLiteral("hello"),
             QStringLiteral("not tried: the server hands keys over once, on the first contact, and --check does not "
                            "store keys. Run oco-agent --once (or start the service), then --check again"));
        return {};
    }
    if (seen == ServerEra::Unknown) {
        line(false, QStringLiteral("hello"), QStringLiteral("not tried: no OCO server found"));
        return {};
    }
    const DialectNegotiator::Contact c = negotiator.dryHello(seen, [this] { return m_agent->helloData(); });
    const auto *current = dynamic_cast<const DialectCurrent *>(c.dialect.get());
    if (!c.hello.ok()) {
        line(false, QStringLiteral("hello"), c.hello.failure.message);
    } else {
        line(true, QStringLiteral("hello"),
             QStringLiteral("the server accepted '%1' (%2 dialect, %3); %4 job(s) waiting (not run by --check)")
                 .arg(id.hostname, c.dialect->name(),
                      current ? QStringLiteral("signature and timestamp verified")
                              : QStringLiteral("server key matches"))
                 .arg(c.hello.value->jobs.size()));
    }
    if (!current)
        return {};
    return {current->lastServerTime(), current->lastLocalTime()};
}

void Check::checkClock(Times times, const HttpResponse &probeReply)
{
    // The server's result.timestamp when we have one, else the Date header of the probe's reply.
    if (!times.server.isValid()) {
        times.server = QLocale::c().toDateTime(QString::fromLatin1(probeReply.header("Date")).trimmed(),
                                               QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        times.server.setTimeZone(QTimeZone::utc());
        times.local = Clock::system().nowUtc();
    }
    if (!times.server.isValid()) {
        line(false, QStringLiteral("clock"), QStringLiteral("the server sent no time to compare with"));
        return;
    }
    const double offset =
        static_cast<double>(times.local.toMSecsSinceEpoch() - times.server.toMSecsSinceEpoch()) / 1000.0;
    const bool ok = std::fabs(offset) <= 60;
    line(ok, QStringLiteral("clock"),
         QStringLiteral("this computer %1, server %2: offset %3 s%4")
             .arg(clockText(times.local), clockText(times.server))
             .arg(offset, 0, 'f', 1)
             .arg(ok ? QString() : QStringLiteral(" (more than 60 s: fix the time with NTP)")));
}

} // namespace oco
