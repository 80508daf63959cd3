#include "DialectNegotiator.h"

#include "Dialect2021.h"
#include "DialectCurrent.h"
#include "DialectPlain.h"
#include "core/Log.h"
#include "core/StateStore.h"

#include <QJsonDocument>

namespace oco {

namespace {

const QString kDetected = QStringLiteral("protocol-detected");

bool transportFailure(const Failure &f)
{
    return f.kind == FailureKind::Unreachable || f.kind == FailureKind::Timeout || f.kind == FailureKind::Tls ||
           f.kind == FailureKind::Local;
}

int rank(ProtocolChoice p)
{
    switch (p) {
    case ProtocolChoice::Legacy2021:
        return 1;
    case ProtocolChoice::Plain:
        return 2;
    case ProtocolChoice::Current:
        return 3;
    case ProtocolChoice::Auto:
        break;
    }
    return 0;
}

// The dialect a server of `era` is moved up to (Auto when the era names none).
ProtocolChoice upgradeFor(ServerEra era)
{
    if (era == ServerEra::Current)
        return ProtocolChoice::Current;
    if (era == ServerEra::Transitional)
        return ProtocolChoice::Plain;
    return ProtocolChoice::Auto;
}

} // namespace

QString serverEraText(ServerEra era)
{
    switch (era) {
    case ServerEra::Legacy2021:
        return QStringLiteral("OCO server v0.12-v0.13.1 (2021 dialect)");
    case ServerEra::Transitional:
        return QStringLiteral("OCO server v0.13.2-v1.1.6 (plaintext keys: 2021 dialect up to v1.0.1, plain from "
                              "v1.0.2)");
    case ServerEra::Current:
        return QStringLiteral("OCO server v1.1.7 or newer (current, signed dialect)");
    case ServerEra::Unknown:
        break;
    }
    return QStringLiteral("no OCO server");
}

std::unique_ptr<Dialect> makeDialectFor(ProtocolChoice choice, Config &config, StateStore &state, HttpClient &http,
                                        const AgentIdentity &identity)
{
    switch (choice) {
    case ProtocolChoice::Legacy2021:
        return std::make_unique<Dialect2021>(config, state, http, identity);
    case ProtocolChoice::Plain:
        return std::make_unique<DialectPlain>(config, state, http, identity);
    case ProtocolChoice::Current:
    case ProtocolChoice::Auto:
        break;
    }
    return std::make_unique<DialectCurrent>(config, state, http, identity);
}

DialectNegotiator::DialectNegotiator(Config &config, StateStore &state, HttpClient &http, AgentIdentity identity)
    : m_config(config)
    , m_state(state)
    , m_http(http)
    , m_identity(std::move(identity))
{}

ServerProbe DialectNegotiator::probe()
{
    // No key, no known method: nothing to authenticate, nothing to change. (Servers v0.13.2-v0.16.3 write
    // every refused request into the log fail2ban reads, this one too; later ones only real 401s.)
    const QByteArray body = Dialect::requestBody(QStringLiteral("oco.agent.check"),
                                                 QJsonObject{{QStringLiteral("hostname"), m_identity.hostname}});
    ServerProbe p;
    p.response = m_http.post(QUrl(m_config.apiUrl), body, {{"Content-Type", "application/json"}});
    const HttpResponse &res = p.response;
    if (!res.failure.ok()) {
        p.answer = res.failure.message;
        return p;
    }
    const QByteArray text = res.body.trimmed();
    p.answer = QStringLiteral("HTTP %1%2")
                   .arg(res.status)
                   .arg(res.reason.isEmpty() ? QString() : QStringLiteral(" ") + QString::fromLatin1(res.reason));
    if (!text.isEmpty())
        p.answer += QStringLiteral(", \"%1\"").arg(QString::fromUtf8(text.left(80)).simplified());
    qCDebug(lcProtocol).noquote() << "dialect probe:" << p.answer;
    if (res.status == 200 && QJsonDocument::fromJson(res.body)
                                     .object()
                                     .value(QStringLiteral("error"))
                                     .toString()
                                     .compare(QLatin1String("Unknown Method"), Qt::CaseInsensitive) == 0)
        p.era = ServerEra::Legacy2021;
    else if (res.status == 400 && text.startsWith("Unknown method"))
        p.era = ServerEra::Current;
    else if (res.status == 400 && text.isEmpty()) // the reason phrase may be rewritten by a proxy or HTTP/2
        p.era = ServerEra::Transitional;
    return p;
}

bool DialectNegotiator::pinnedAutomatically() const
{
    return m_config.protocol != ProtocolChoice::Auto &&
           m_state.value(kDetected).toString() == protocolChoiceName(m_config.protocol);
}

bool DialectNegotiator::fits(ServerEra era, ProtocolChoice choice)
{
    switch (era) {
    case ServerEra::Legacy2021:
        return choice == ProtocolChoice::Legacy2021;
    case ServerEra::Transitional:
        return choice == ProtocolChoice::Legacy2021 || choice == ProtocolChoice::Plain;
    case ServerEra::Current:
        return choice == ProtocolChoice::Current;
    case ServerEra::Unknown:
        break;
    }
    return false;
}

bool DialectNegotiator::movesUpFor(ServerEra era) const
{
    return pinnedAutomatically() && rank(upgradeFor(era)) > rank(m_config.protocol);
}

DialectNegotiator::Contact DialectNegotiator::dryHello(ServerEra era, const HelloData &data)
{
    m_dryRun = true;
    if (m_config.protocol == ProtocolChoice::Auto)
        return hello(data);
    ProtocolChoice choice = m_config.protocol;
    if (!fits(era, choice) && era == ServerEra::Legacy2021)
        choice = ProtocolChoice::Legacy2021;
    else if (!fits(era, choice) && era == ServerEra::Current)
        choice = ProtocolChoice::Current;
    return attempt(choice, data);
}

bool DialectNegotiator::pin(ProtocolChoice choice, const QString &why)
{
    if (m_dryRun) {
        qCInfo(lcAgent).noquote()
            << QStringLiteral("%1: would store [server] protocol = %2 (dry run)").arg(why, protocolChoiceName(choice));
        m_config.protocol = choice;
        return true;
    }
    QString err;
    if (!m_config.storeProtocol(choice, &err) || !m_state.setValue(kDetected, protocolChoiceName(choice), &err)) {
        qCWarning(lcAgent).noquote() << "cannot pin the detected protocol in the config:" << err;
        m_config.protocol = choice; // use it for this run anyway
        return false;
    }
    qCInfo(lcAgent).noquote()
        << QStringLiteral("%1: stored [server] protocol = %2").arg(why, protocolChoiceName(choice));
    return true;
}

DialectNegotiator::Contact DialectNegotiator::attempt(ProtocolChoice choice, const HelloData &data)
{
    Contact c;
    c.dialect = makeDialectFor(choice, m_config, m_state, m_http, m_identity);
    if (auto *current = dynamic_cast<DialectCurrent *>(c.dialect.get()))
        current->setProbeOnly(m_dryRun);
    c.hello = c.dialect->hello(data());
    return c;
}

DialectNegotiator::Contact DialectNegotiator::hello(const HelloData &data)
{
    if (m_config.protocol == ProtocolChoice::Auto)
        return detectAndHello(data);
    Contact c = attempt(m_config.protocol, data);
    if (c.hello.ok() || !pinnedAutomatically())
        return c;
    // A server refusing the pinned dialect may have been upgraded. 2021 servers answer hellos with 400 only
    // when they no longer know the method; a plain hello is refused by v1.1.7+ with a text body (up to
    // v1.1.6 there is none, so a wrong key there costs no probe).
    const auto *plain = dynamic_cast<const DialectPlain *>(c.dialect.get());
    if ((m_config.protocol == ProtocolChoice::Legacy2021 && c.hello.failure.httpStatus == 400) ||
        (plain && plain->refusedByNewerServer()))
        return moveUp(std::move(c), data);
    return c;
}

DialectNegotiator::Contact DialectNegotiator::moveUp(Contact refused, const HelloData &data)
{
    const ServerProbe p = probe();
    const ProtocolChoice next = upgradeFor(p.era);
    if (rank(next) <= rank(m_config.protocol)) // never down, and not sideways
        return refused;
    qCInfo(lcAgent).noquote() << QStringLiteral("the server refused the %1 dialect (%2) and now answers like %3")
                                     .arg(protocolChoiceName(m_config.protocol), refused.hello.failure.message,
                                          serverEraText(p.era));
    pin(next, QStringLiteral("the server was upgraded"));
    return attempt(next, data);
}

DialectNegotiator::Contact DialectNegotiator::detectAndHello(const HelloData &data)
{
    const ServerProbe p = probe();
    switch (p.era) {
    case ServerEra::Legacy2021:
        pin(ProtocolChoice::Legacy2021, QStringLiteral("the server answers like ") + serverEraText(p.era));
        return attempt(ProtocolChoice::Legacy2021, data);
    case ServerEra::Current:
        pin(ProtocolChoice::Current, QStringLiteral("the server answers like ") + serverEraText(p.era));
        return attempt(ProtocolChoice::Current, data);
    case ServerEra::Transitional: {
        // The 2021 hello tells v0.13.2-v1.0.1 (they take it) from v1.0.2+ (they refuse the method before
        // looking at the key, so no key is spent and no hand-over can be lost).
        m_config.protocol = ProtocolChoice::Legacy2021; // for `data`: no service checks for a 2021 hello
        Contact c = attempt(ProtocolChoice::Legacy2021, data);
        m_config.protocol = ProtocolChoice::Auto;
        const Failure &f = c.hello.failure;
        if (!c.hello.ok() && transportFailure(f))
            return c; // nothing learnt: the next cycle asks again
        if (c.hello.ok() || f.httpStatus != 400) {
            pin(ProtocolChoice::Legacy2021, QStringLiteral("the server (v0.13.2-v1.0.1) takes the 2021 method names"));
            return c;
        }
        pin(ProtocolChoice::Plain,
            QStringLiteral("the server (v1.0.2-v1.1.6) refused the 2021 method names (%1)").arg(f.message));
        return attempt(ProtocolChoice::Plain, data);
    }
    case ServerEra::Unknown:
        break;
    }
    // No OCO answer to the probe: a signed hello (it carries no key) says what went wrong, and pins the
    // dialect if its reply tells one.
    qCInfo(lcAgent).noquote() << "the dialect probe got no OCO answer (" + p.answer + "): trying the current dialect";
    Contact c = attempt(ProtocolChoice::Current, data);
    const ServerDialect seen = static_cast<DialectCurrent *>(c.dialect.get())->lastServerDialect();
    if (seen == ServerDialect::Current) {
        pin(ProtocolChoice::Current, QStringLiteral("the server speaks the current dialect"));
    } else if (seen == ServerDialect::Legacy2021) {
        pin(ProtocolChoice::Legacy2021, QStringLiteral("the server speaks the 2021 dialect"));
        return attempt(ProtocolChoice::Legacy2021, data);
    }
    return c;
}

} // namespace oco
