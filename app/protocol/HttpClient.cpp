#include "HttpClient.h"

#include "core/Log.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslKey>
#include <QTimer>

namespace oco {

QString failureKindName(FailureKind k)
{
    switch (k) {
    case FailureKind::None:
        return QStringLiteral("ok");
    case FailureKind::Unreachable:
        return QStringLiteral("unreachable");
    case FailureKind::Timeout:
        return QStringLiteral("timeout");
    case FailureKind::Tls:
        return QStringLiteral("tls");
    case FailureKind::Http:
        return QStringLiteral("http");
    case FailureKind::Auth:
        return QStringLiteral("auth");
    case FailureKind::Malformed:
        return QStringLiteral("malformed");
    case FailureKind::Security:
        return QStringLiteral("security");
    case FailureKind::ClockSkew:
        return QStringLiteral("clock-skew");
    case FailureKind::Local:
        return QStringLiteral("local");
    }
    return QStringLiteral("unknown");
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

HttpClient::HttpClient(HttpOptions options)
    : m_nam(std::make_unique<QNetworkAccessManager>())
{
    setOptions(options);
}

HttpClient::~HttpClient() = default;

void HttpClient::setOptions(const HttpOptions &options)
{
    m_options = options;
    m_nam->setAutoDeleteReplies(false);
    m_nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    m_nam->setStrictTransportSecurityEnabled(false);
    applyProxy();
}

namespace {

QNetworkProxy proxyFromUrl(const QUrl &u)
{
    return QNetworkProxy(u.scheme().startsWith(QLatin1String("socks")) ? QNetworkProxy::Socks5Proxy
                                                                       : QNetworkProxy::HttpProxy,
                         u.host(), static_cast<quint16>(u.port(3128)), u.userName(), u.password());
}

// `proxy = system`: the usual environment variables first (https_proxy / http_proxy / all_proxy, either
// case, and no_proxy), decided here because Qt's libproxy backend does not apply them to every host (it
// skips loopback, for one); without them, the desktop/system settings Qt knows.
class EnvironmentProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        auto env = [](const char *name) {
            QByteArray v = qgetenv(name);
            if (v.isEmpty())
                v = qgetenv(QByteArray(name).toUpper().constData());
            return v.trimmed();
        };
        QByteArray value;
        if (query.protocolTag() == QLatin1String("https"))
            value = env("https_proxy");
        if (value.isEmpty())
            value = env("http_proxy");
        if (value.isEmpty())
            value = env("all_proxy");
        if (value.isEmpty())
            return QNetworkProxyFactory::systemProxyForQuery(query);
        const QString host = query.peerHostName().toLower();
        const QList<QByteArray> skip = env("no_proxy").split(',');
        for (QByteArray entry : skip) {
            entry = entry.trimmed().toLower();
            if (entry.isEmpty())
                continue;
            if (entry == "*")
                return {QNetworkProxy::NoProxy};
            QString e = QString::fromLatin1(entry);
            if (e.contains(QLatin1Char(':')) && !e.contains(QLatin1String("::")))
                e = e.section(QLatin1Char(':'), 0, 0); // "host:port"
            if (e.startsWith(QLatin1Char('.')))
                e = e.mid(1);
            if (host == e || host.endsWith(QLatin1Char('.') + e))
                return {QNetworkProxy::NoProxy};
        }
        QUrl u = QUrl::fromUserInput(QString::fromLocal8Bit(value));
        return {proxyFromUrl(u)};
    }
};

} // namespace

void HttpClient::applyProxy()
{
    const QString p = m_options.proxy.trimmed();
    if (p.isEmpty() || p == QLatin1String("system")) {
        m_nam->setProxyFactory(new EnvironmentProxyFactory); // the manager owns it
    } else if (p == QLatin1String("none")) {
        m_nam->setProxy(QNetworkProxy::NoProxy);
    } else {
        m_nam->setProxy(proxyFromUrl(QUrl(p)));
    }
}

QNetworkRequest HttpClient::makeRequest(const QUrl &url, const Headers &headers) const
{
    QNetworkRequest req(url);
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!m_options.caFile.isEmpty()) {
            const QList<QSslCertificate> extra = QSslCertificate::fromPath(m_options.caFile, QSsl::Pem);
            if (extra.isEmpty())
                qCWarning(lcProtocol).noquote() << "ca-file" << m_options.caFile << "holds no PEM certificate";
            ssl.addCaCertificates(extra);
        }
        req.setSslConfiguration(ssl);
    }
    return req;
}

QString describeSslErrors(const QList<QSslError> &errors)
{
    QStringList parts;
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::CertificateExpired:
            parts << QStringLiteral("the server certificate has expired (%1)")
                         .arg(e.certificate().expiryDate().toString(Qt::ISODate));
            break;
        case QSslError::CertificateNotYetValid:
            parts << QStringLiteral("the server certificate is not valid yet (from %1; check this machine's clock)")
                         .arg(e.certificate().effectiveDate().toString(Qt::ISODate));
            break;
        case QSslError::HostNameMismatch:
            parts << QStringLiteral("the server certificate is for %1, not for this host name")
                         .arg(e.certificate().subjectAlternativeNames().values().join(QStringLiteral(", ")));
            break;
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::CertificateUntrusted:
        case QSslError::UnableToVerifyFirstCertificate:
            parts << QStringLiteral("the server certificate is issued by an unknown authority (%1); "
                                    "set [server] ca-file to trust a private CA")
                         .arg(e.certificate().issuerDisplayName());
            break;
        default:
            parts << e.errorString();
        }
    }
    parts.removeDuplicates();
    return parts.join(QStringLiteral("; "));
}

QByteArray spkiSha256(const QSslCertificate &cert)
{
    return QCryptographicHash::hash(cert.publicKey().toDer(), QCryptographicHash::Sha256);
}

namespace {

QByteArray normalizePin(const QString &pin)
{
    const QString p = pin.trimmed();
    if (p.size() == 64 && QByteArray::fromHex(p.toLatin1()).size() == 32)
        return QByteArray::fromHex(p.toLatin1());
    QString b64 = p;
    if (b64.startsWith(QLatin1String("sha256/")))
        b64 = b64.mid(7);
    return QByteArray::fromBase64(b64.toLatin1());
}

} // namespace

HttpResponse HttpClient::post(const QUrl &url, const QByteArray &body, const Headers &headers)
{
    QNetworkReply *reply = m_nam->post(makeRequest(url, headers), body);
    return run(reply, nullptr, {});
}

HttpResponse HttpClient::download(const QUrl &url, const QByteArray &verb, const QByteArray &body,
                                  const Headers &headers, QIODevice *sink, const Progress &progress, qint64 rangeStart)
{
    Headers h = headers;
    if (rangeStart > 0)
        h.append({"Range", "bytes=" + QByteArray::number(rangeStart) + "-"});
    QNetworkRequest req = makeRequest(url, h);
    QNetworkReply *reply =
        body.isEmpty() && verb == "GET" ? m_nam->get(req) : m_nam->sendCustomRequest(req, verb, body);
    return run(reply, sink, progress);
}

void HttpClient::abortCurrent(const QString &reason)
{
    if (!m_current)
        return;
    m_abortReason = reason;
    m_current->abort();
}

HttpResponse HttpClient::downloadToFile(const QUrl &url, const QByteArray &verb, const QByteArray &body,
                                        const Headers &headers, const QString &filePath, const Progress &progress,
                                        qint64 resumeFrom)
{
    HttpResponse res;
    QFile file(filePath);
    if (!file.open(resumeFrom > 0 ? QIODevice::ReadWrite : (QIODevice::WriteOnly | QIODevice::Truncate))) {
        res.failure = {FailureKind::Local, 0, QStringLiteral("cannot write %1: %2").arg(filePath, file.errorString())};
        return res;
    }
    if (resumeFrom > file.size())
        resumeFrom = file.size();
    file.seek(resumeFrom);
    Headers h = headers;
    if (resumeFrom > 0)
        h.append({"Range", "bytes=" + QByteArray::number(resumeFrom) + "-"});
    QNetworkRequest req = makeRequest(url, h);
    QNetworkReply *reply =
        body.isEmpty() && verb == "GET" ? m_nam->get(req) : m_nam->sendCustomRequest(req, verb, body);
    qint64 base = 0;
    auto check = [&](QNetworkReply *r, bool *writeBody) -> QString {
        const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 206 && resumeFrom > 0) {
            // "bytes <first>-<last>/<total>": it must continue exactly where the file ends.
            const QByteArray range = r->rawHeader("Content-Range");
            const qint64 first = range.mid(6).split('-').value(0).trimmed().toLongLong();
            if (!range.startsWith("bytes ") || first != resumeFrom)
                return QStringLiteral("the server resumed the download at the wrong place (%1 instead of byte %2)")
                    .arg(QString::fromLatin1(range))
                    .arg(resumeFrom);
            base = resumeFrom;
            return {};
        }
        if (status >= 200 && status < 300) {
            // The whole file again (the server ignores ranges): start over.
            file.seek(0);
            file.resize(0);
            base = 0;
            return {};
        }
        *writeBody = false;
        return {};
    };
    auto absolute = [&](qint64 rec, qint64 total) {
        if (progress)
            progress(base + rec, total < 0 ? -1 : base + total);
    };
    res = run(reply, &file, absolute, check);
    // A connection closed early can look like a normal end: compare with the announced length.
    const qint64 announced = res.header("Content-Length").isEmpty() ? -1 : res.header("Content-Length").toLongLong();
    if (res.failure.ok() && res.status >= 200 && res.status < 300 && announced >= 0 && file.size() - base < announced)
        res.failure = {FailureKind::Unreachable, res.status,
                       QStringLiteral("%1: the download broke off after %2 of %3 bytes")
                           .arg(url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString())
                           .arg(file.size() - base)
                           .arg(announced)};
    if (!file.flush() && res.failure.ok())
        res.failure = {FailureKind::Local, 0, QStringLiteral("cannot write %1: %2").arg(filePath, file.errorString())};
    file.close();
    return res;
}

HttpResponse HttpClient::run(QNetworkReply *reply, QIODevice *sink, const Progress &progress,
                             const HeadersCheck &onHeaders)
{
    HttpResponse res;
    std::unique_ptr<QNetworkReply> guard(reply);
    QNetworkReply *outer = m_current; // a report sent from inside a download's progress callback nests
    m_current = reply;
    m_abortReason.clear();
    struct Restore
    {
        QNetworkReply *&current;
        QNetworkReply *previous;
        ~Restore() { current = previous; }
    } restore{m_current, outer};
    // Bounded buffering: with a sink, data is moved to disk as it arrives.
    reply->setReadBufferSize(sink ? 1024 * 1024 : 0);

    QEventLoop loop;
    QTimer connectTimer, readTimer;
    connectTimer.setSingleShot(true);
    readTimer.setSingleShot(true);
    const int connectMs = static_cast<int>(m_options.connectTimeoutSecs * 1000);
    const int readMs = static_cast<int>(m_options.readTimeoutSecs * 1000);
    QString timeoutWhat;
    QString sslProblem;
    QString localError;

    QObject::connect(&connectTimer, &QTimer::timeout, reply, [&] {
        timeoutWhat =
            QStringLiteral("no connection within %1 s (connection-timeout)").arg(m_options.connectTimeoutSecs);
        reply->abort();
    });
    QObject::connect(&readTimer, &QTimer::timeout, reply, [&] {
        timeoutWhat = QStringLiteral("the server sent nothing for %1 s (read-timeout)").arg(m_options.readTimeoutSecs);
        reply->abort();
    });
    connectTimer.start(connectMs);
    QObject::connect(reply, &QNetworkReply::requestSent, reply, [&] {
        connectTimer.stop();
        readTimer.start(readMs);
    });
    QObject::connect(reply, &QNetworkReply::encrypted, reply, [&] {
        const QByteArray pin = normalizePin(m_options.pinSha256);
        const QList<QSslCertificate> chain = reply->sslConfiguration().peerCertificateChain();
        m_lastChain = chain;
        if (m_options.pinSha256.isEmpty())
            return;
        const QByteArray spki = spkiSha256(reply->sslConfiguration().peerCertificate());
        if (pin != spki) {
            sslProblem = QStringLiteral("the server's public key does not match [server] pin-sha256 (server key "
                                        "sha256 is %1)")
                             .arg(QString::fromLatin1(spki.toBase64()));
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                     [&](const QList<QSslError> &errors) { sslProblem = describeSslErrors(errors); });
    bool headersChecked = !onHeaders;
    bool writeBody = true;
    auto checkHeaders = [&] {
        if (headersChecked)
            return;
        headersChecked = true;
        const QString problem = onHeaders(reply, &writeBody);
        if (!problem.isEmpty()) {
            localError = problem;
            reply->abort();
        }
    };
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, checkHeaders);
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] {
        readTimer.start(readMs);
        checkHeaders();
        if (!localError.isEmpty())
            return;
        if (sink && !writeBody) {
            // An error page instead of the package: keep its start for the message, drop the rest.
            const QByteArray chunk = reply->readAll();
            res.body += chunk.left(std::max<qsizetype>(0, 64 * 1024 - res.body.size()));
        } else if (sink) {
            const QByteArray chunk = reply->readAll();
            if (sink->write(chunk) != chunk.size()) {
                localError = QStringLiteral("cannot write the download: %1").arg(sink->errorString());
                reply->abort();
            }
        } else if (reply->bytesAvailable() > m_options.maxBodyBytes) {
            res.bodyTooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [&](qint64 rec, qint64 total) {
        readTimer.start(readMs);
        if (progress)
            progress(rec, total);
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();

    res.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    res.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    for (const auto &pair : reply->rawHeaderPairs())
        res.headers.append(pair);
    if (sink && !headersChecked && reply->error() == QNetworkReply::NoError)
        checkHeaders();
    if (sink && !writeBody) {
        res.body += reply->readAll().left(std::max<qsizetype>(0, 64 * 1024 - res.body.size()));
    } else if (sink && localError.isEmpty()) {
        const QByteArray rest = reply->readAll();
        if (!rest.isEmpty() && sink->write(rest) != rest.size() && localError.isEmpty())
            localError = QStringLiteral("cannot write the download: %1").arg(sink->errorString());
    } else if (!res.bodyTooLarge) {
        res.body = reply->readAll();
    }

    const QString where = reply->url().adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString();
    if (!m_abortReason.isEmpty() && localError.isEmpty())
        localError = m_abortReason;
    if (!localError.isEmpty()) {
        res.failure = {FailureKind::Local, res.status, localError};
    } else if (res.bodyTooLarge) {
        res.failure = {FailureKind::Malformed, res.status,
                       QStringLiteral("the reply of %1 is larger than %2 MiB: refused")
                           .arg(where)
                           .arg(m_options.maxBodyBytes / (1024 * 1024))};
    } else if (!timeoutWhat.isEmpty()) {
        res.failure = {FailureKind::Timeout, 0, QStringLiteral("%1: %2").arg(where, timeoutWhat)};
    } else if (!sslProblem.isEmpty()) {
        res.failure = {FailureKind::Tls, 0, QStringLiteral("TLS with %1 failed: %2").arg(where, sslProblem)};
    } else if (reply->error() != QNetworkReply::NoError && res.status == 0) {
        FailureKind kind = FailureKind::Unreachable;
        QString text = reply->errorString();
        switch (reply->error()) {
        case QNetworkReply::SslHandshakeFailedError:
            kind = FailureKind::Tls;
            text = QStringLiteral("TLS handshake failed: %1").arg(reply->errorString());
            break;
        case QNetworkReply::TimeoutError:
            kind = FailureKind::Timeout;
            break;
        case QNetworkReply::HostNotFoundError:
            text = QStringLiteral("the server name cannot be resolved (%1)").arg(reply->errorString());
            break;
        case QNetworkReply::ConnectionRefusedError:
            text = QStringLiteral("the connection was refused (is the server running?)");
            break;
        case QNetworkReply::RemoteHostClosedError:
            text = QStringLiteral("the server closed the connection before the reply was complete");
            break;
        case QNetworkReply::ProxyConnectionRefusedError:
        case QNetworkReply::ProxyConnectionClosedError:
        case QNetworkReply::ProxyNotFoundError:
        case QNetworkReply::ProxyTimeoutError:
        case QNetworkReply::ProxyAuthenticationRequiredError:
            text = QStringLiteral("proxy problem: %1").arg(reply->errorString());
            break;
        default:
            break;
        }
        const int code = static_cast<int>(reply->error());
        if ((code >= 101 && code <= 199) || reply->errorString().contains(QLatin1String("proxy"), Qt::CaseInsensitive))
            text = QStringLiteral("the proxy failed: %1 (check [server] proxy and the https_proxy variable)")
                       .arg(reply->errorString());
        res.failure = {kind, 0, QStringLiteral("%1: %2").arg(where, text)};
    } else if (reply->error() != QNetworkReply::NoError && res.status == 200) {
        // A 200 whose body broke off (connection reset mid-body, truncated chunked encoding).
        res.failure = {FailureKind::Unreachable, res.status,
                       QStringLiteral("%1: the reply broke off: %2").arg(where, reply->errorString())};
    }
    return res;
}

} // namespace oco
