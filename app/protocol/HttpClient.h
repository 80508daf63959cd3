#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QIODevice;
class QNetworkAccessManager;

namespace oco {

// Why a request failed, so the agent can react per class (retry, back off, warn about clocks...).
enum class FailureKind
{
    None,
    Unreachable, // DNS, refused, reset: retry next cycle
    Timeout,     // connect or read timeout
    Tls,         // certificate or handshake problem
    Http,        // the server answered with a non-200 status
    Auth,        // HTTP 401: key or signature problem
    Malformed,   // the reply is not what the protocol says
    Security,    // the reply failed a key, signature or timestamp check: nothing in it is used
    ClockSkew,   // the server rejected our timestamp or its own went backwards
    Local,       // a local problem: disk, config, archive
};

QString failureKindName(FailureKind k);

struct Failure
{
    FailureKind kind = FailureKind::None;
    int httpStatus = 0;
    QString message;
    bool ok() const { return kind == FailureKind::None; }
};

struct HttpResponse
{
    int status = 0;
    QByteArray reason;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    Failure failure; // transport level failure; kind None when an HTTP answer arrived
    QByteArray header(const QByteArray &name) const;
    bool bodyTooLarge = false;
};

struct HttpOptions
{
    double connectTimeoutSecs = 3.05;
    double readTimeoutSecs = 150;
    QString caFile;                           // extra trust anchors (PEM)
    QString pinSha256;                        // base64 or hex of the SHA-256 of the server's SubjectPublicKeyInfo
    QString proxy = QStringLiteral("system"); // system | none | URL
    qint64 maxBodyBytes = 64 * 1024 * 1024;
};

// Certificate problems in plain words (expired, unknown issuer, name mismatch, ...).
QString describeSslErrors(const QList<QSslError> &errors);
// SHA-256 of the certificate's SubjectPublicKeyInfo (what [server] pin-sha256 holds, base64 or hex).
QByteArray spkiSha256(const QSslCertificate &cert);

// Blocking HTTP(S) on top of QNetworkAccessManager: each call runs a local event loop until the reply
// finishes or a timeout fires. The agent's cycle is sequential by protocol, so blocking keeps it simple;
// other event sources (signals, the control socket) are still served while a call waits.
class HttpClient
{
public:
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient();

    void setOptions(const HttpOptions &options);
    const HttpOptions &options() const { return m_options; }

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    HttpResponse post(const QUrl &url, const QByteArray &body, const Headers &headers);

    // Streams the response body of a GET (empty body) or POST into `sink` in bounded memory.
    // `progress(received, total)` is called as data arrives; total is -1 when unknown.
    // `rangeStart` > 0 asks for the rest of a partially downloaded file.
    using Progress = std::function<void(qint64 received, qint64 total)>;
    HttpResponse download(const QUrl &url, const QByteArray &verb, const QByteArray &body, const Headers &headers,
                          QIODevice *sink, const Progress &progress, qint64 rangeStart = 0);

    // Streams a package into `filePath` in bounded memory. With `resumeFrom` > 0 the file already holds that
    // many bytes of an earlier attempt: the rest is asked for with a Range header and appended when the
    // server answers 206 with a matching Content-Range; a plain 200 rewrites the file from the start.
    // `progress` counts the whole file. The body of a non-2xx answer is kept in `body` (bounded), not written.
    HttpResponse downloadToFile(const QUrl &url, const QByteArray &verb, const QByteArray &body, const Headers &headers,
                                const QString &filePath, const Progress &progress, qint64 resumeFrom = 0);

    // Aborts the request under way (called from a timer or signal handler while a call waits); the call
    // returns a Local failure with `reason`.
    void abortCurrent(const QString &reason);

    // The certificate chain of the last TLS connection (for --check).
    QList<QSslCertificate> lastPeerChain() const { return m_lastChain; }

private:
    // `onHeaders` (optional) runs once the status and headers are known: it returns an error to abort, and
    // sets *writeBody to false to keep the body out of the sink.
    using HeadersCheck = std::function<QString(QNetworkReply *reply, bool *writeBody)>;
    HttpResponse run(QNetworkReply *reply, QIODevice *sink, const Progress &progress,
                     const HeadersCheck &onHeaders = {});
    QNetworkRequest makeRequest(const QUrl &url, const Headers &headers) const;
    void applyProxy();

    HttpOptions m_options;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QList<QSslCertificate> m_lastChain;
    QNetworkReply *m_current = nullptr;
    QString m_abortReason;
};

} // namespace oco
