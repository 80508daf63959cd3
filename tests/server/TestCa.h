#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTemporaryDir>

namespace oco::test {

// A private CA made at test time with the `openssl` command line, and server certificates signed by it:
// valid for 127.0.0.1/localhost, expired, or for another name.
class TestCa
{
public:
    // Creates the CA; `name` becomes its common name.
    explicit TestCa(const QString &name = QStringLiteral("OCO Test CA"));
    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    QString caFile() const; // PEM of the CA certificate

    struct Issued
    {
        QSslCertificate cert;
        QSslKey key;
        QString certFile;
        QString pinBase64; // SHA-256 of the SubjectPublicKeyInfo, as openssl computes it
    };
    // `san` like "IP:127.0.0.1,DNS:localhost"; dates as YYYYMMDDHHMMSSZ (empty: valid from now for 30 days).
    Issued issue(const QString &name, const QString &san, const QString &startDate = {}, const QString &endDate = {});

private:
    bool openssl(const QStringList &args, QByteArray *out = nullptr, const QByteArray &input = {});
    QTemporaryDir m_dir;
    bool m_ok = false;
    QString m_error;
    int m_serial = 0;
};

} // namespace oco::test
