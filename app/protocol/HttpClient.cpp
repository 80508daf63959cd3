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

#include <cerrno>
#include <cstring>

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

// QFile often says only "Unknown error" for a failed write; errno still tells why (e.g. disk full).
QString writeError(QIODevice *sink, int err)
{
    const QString qt = sink->errorString();
    if (err != 0 && (qt.isEmpty() || qt == QLatin1String("Unknown error")))
        return QString::fromLocal8Bit(std::strerror(err));
    return qt;
}

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

namespace {

// What went wrong on the transport for a reply without an HTTP status.
Failure transportFailure(QNetworkReply *reply, const QString &where)
{
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
    return {kind, 0, QStringLiteral("%1: %2").arg(where, text)};
}

// One request under way: its timers, where its body goes and what went wrong. Lives on the stack of
// HttpClient::run while the reply's signals call into it.
class Transfer
{
public:
    using HeadersCheck = std::function<QString(QNetworkReply *reply, bool *writeBody)>;

    Transfer(QNetworkReply *reply, QIODevice *sink, const HttpOptions &options, HttpResponse &res,
             HeadersCheck onHeaders)
        : m_reply(reply)
        , m_sink(sink)
        , m_options(options)
        , m_res(res)
        , m_onHeaders(std::move(onHeaders))
        , m_headersChecked(!m_onHeaders)
        , m_readMs(static_cast<int>(options.readTimeoutSecs * 1000))
    {
        // Bounded buffering: with a sink, data is moved to disk as it arrives.
        reply->setReadBufferSize(sink ? 1024 * 1024 : 0);
    }

    void watchTimeouts();
    void watchTls(QList<QSslCertificate> *lastChain);
    void watchBody(const HttpClient::Progress &progress);
    // After the reply finished: the status, headers and the rest of the body.
    void finish(const QString &abortReason);
    Failure failure() const;

private:
    void abortWith(QString *why, const QString &text)
    {
        *why = text;
        m_reply->abort();
    }
    void checkHeaders();
    void readChunk();

    QNetworkReply *m_reply;
    QIODevice *m_sink;
    const HttpOptions &m_options;
    HttpResponse &m_res;
    HeadersCheck m_onHeaders;
    bool m_headersChecked;
    bool m_writeBody = true;
    int m_readMs;
    QTimer m_connectTimer, m_readTimer, m_replyTimer;
    QString m_timeoutWhat, m_sslProblem, m_localError;
};

void Transfer::watchTimeouts()
{
    for (QTimer *t : {&m_connectTimer, &m_readTimer, &m_replyTimer})
        t->setSingleShot(true);
    QObject::connect(&m_connectTimer, &QTimer::timeout, m_reply, [this] {
        abortWith(&m_timeoutWhat,
                  QStringLiteral("no connection within %1 s (connection-timeout)").arg(m_options.connectTimeoutSecs));
    });
    QObject::connect(&m_readTimer, &QTimer::timeout, m_reply, [this] {
        abortWith(&m_timeoutWhat,
                  QStringLiteral("the server sent nothing for %1 s (read-timeout)").arg(m_options.readTimeoutSecs));
    });
    // A JSON reply must be complete within twice read-timeout of the request: a server trickling a byte now
    // and then (slow loris) would otherwise hold the agent forever, as each byte restarts the idle timer.
    QObject::connect(&m_replyTimer, &QTimer::timeout, m_reply, [this] {
        abortWith(&m_timeoutWhat, QStringLiteral("the reply was not complete within %1 s (twice read-timeout): the "
                                                 "server sends too slowly")
                                      .arg(2 * m_options.readTimeoutSecs));
    });
    m_connectTimer.start(static_cast<int>(m_options.connectTimeoutSecs * 1000));
    QObject::connect(m_reply, &QNetworkReply::requestSent, m_reply, [this] {
        m_connectTimer.stop();
        m_readTimer.start(m_readMs);
        if (!m_sink)
            m_replyTimer.start(2 * m_readMs);
    });
}

void Transfer::watchTls(QList<QSslCertificate> *lastChain)
{
    QObject::connect(m_reply, &QNetworkReply::encrypted, m_reply, [this, lastChain] {
        *lastChain = m_reply->sslConfiguration().peerCertificateChain();
        if (m_options.pinSha256.isEmpty())
            return;
        const QByteArray spki = spkiSha256(m_reply->sslConfiguration().peerCertificate());
        if (normalizePin(m_options.pinSha256) != spki)
            abortWith(&m_sslProblem, QStringLiteral("the server's public key does not match [server] pin-sha256 "
                                                    "(server key sha256 is %1)")
                                         .arg(QString::fromLatin1(spki.toBase64())));
    });
    QObject::connect(m_reply, &QNetworkReply::sslErrors, m_reply,
                     [this](const QList<QSslError> &errors) { m_sslProblem = describeSslErrors(errors); });
}

void Transfer::watchBody(const HttpClient::Progress &progress)
{
    // A JSON reply announcing more than maxBodyBytes is refused before any of it is buffered.
    QObject::connect(m_reply, &QNetworkReply::metaDataChanged, m_reply, [this] {
        bool ok = false;
        const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
        if (!m_sink && ok && length > m_options.maxBodyBytes) {
            m_res.bodyTooLarge = true;
            m_reply->abort();
        }
    });
    QObject::connect(m_reply, &QNetworkReply::metaDataChanged, m_reply, [this] { checkHeaders(); });
    QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply, [this] { readChunk(); });
    QObject::connect(m_reply, &QNetworkReply::downloadProgress, m_reply, [this, progress](qint64 rec, qint64 total) {
        m_readTimer.start(m_readMs);
        if (progress)
            progress(rec, total);
    });
}

void Transfer::checkHeaders()
{
    if (m_headersChecked)
        return;
    m_headersChecked = true;
    const QString problem = m_onHeaders(m_reply, &m_writeBody);
    if (!problem.isEmpty())
        abortWith(&m_localError, problem);
}

void Transfer::readChunk()
{
    m_readTimer.start(m_readMs);
    checkHeaders();
    if (!m_localError.isEmpty())
        return;
    if (m_sink && !m_writeBody) {
        // An error page instead of the package: keep its start for the message, drop the rest.
        const QByteArray chunk = m_reply->readAll();
        m_res.body += chunk.left(std::max<qsizetype>(0, 64 * 1024 - m_res.body.size()));
    } else if (m_sink) {
        const QByteArray chunk = m_reply->readAll();
        if (m_sink->write(chunk) != chunk.size())
            abortWith(&m_localError, QStringLiteral("cannot write the download: %1").arg(writeError(m_sink, errno)));
    } else if (m_reply->bytesAvailable() > m_options.maxBodyBytes) {
        m_res.bodyTooLarge = true;
        m_reply->abort();
    }
}

void Transfer::finish(const QString &abortReason)
{
    m_res.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_res.reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    for (const auto &pair : m_reply->rawHeaderPairs())
        m_res.headers.append(pair);
    if (m_sink && !m_headersChecked && m_reply->error() == QNetworkReply::NoError)
        checkHeaders();
    if (m_sink && !m_writeBody) {
        m_res.body += m_reply->readAll().left(std::max<qsizetype>(0, 64 * 1024 - m_res.body.size()));
    } else if (m_sink && m_localError.isEmpty()) {
        const QByteArray rest = m_reply->readAll();
        if (!rest.isEmpty() && m_sink->write(rest) != rest.size())
            m_localError = QStringLiteral("cannot write the download: %1").arg(writeError(m_sink, errno));
        // A buffered file writes its last bytes here; a full disk must not pass as a complete download.
        auto *file = qobject_cast<QFileDevice *>(m_sink);
        if (file && !file->flush() && m_localError.isEmpty())
            m_localError = QStringLiteral("cannot write the download: %1").arg(writeError(m_sink, errno));
    } else if (!m_res.bodyTooLarge) {
        m_res.body = m_reply->readAll();
    }
    if (!abortReason.isEmpty() && m_localError.isEmpty())
        m_localError = abortReason;
}

Failure Transfer::failure() const
{
    const QString where = m_reply->url().adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString();
    if (!m_localError.isEmpty())
        return {FailureKind::Local, m_res.status, m_localError};
    if (m_res.bodyTooLarge)
        return {FailureKind::Malformed, m_res.status,
                QStringLiteral("the reply of %1 is larger than %2 MiB: refused")
                    .arg(where)
                    .arg(m_options.maxBodyBytes / (1024 * 1024))};
    if (!m_timeoutWhat.isEmpty())
        return {FailureKind::Timeout, 0, QStringLiteral("%1: %2").arg(where, m_timeoutWhat)};
    if (!m_sslProblem.isEmpty())
        return {FailureKind::Tls, 0, QStringLiteral("TLS with %1 failed: %2").arg(where, m_sslProblem)};
    if (m_reply->error() != QNetworkReply::NoError && m_res.status == 0)
        return transportFailure(m_reply, where);
    if (m_reply->error() != QNetworkReply::NoError && m_res.status == 200)
        // A 200 whose body broke off (connection reset mid-body, truncated chunked encoding).
        return {FailureKind::Unreachable, m_res.status,
                QStringLiteral("%1: the reply broke off: %2").arg(where, m_reply->errorString())};
    return {};
}

} // namespace

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

    Transfer transfer(reply, sink, m_options, res, onHeaders);
    transfer.watchTimeouts();
    transfer.watchTls(&m_lastChain);
    transfer.watchBody(progress);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    transfer.finish(m_abortReason);
    res.failure = transfer.failure();
    return res;
}

} // namespace oco
