#include "TestCa.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace oco::test {

bool TestCa::openssl(const QStringList &args, QByteArray *out, const QByteArray &input)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start openssl (install the openssl package)");
        return false;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (out)
        *out = p.readAllStandardOutput();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1: %2")
                      .arg(args.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()));
        return false;
    }
    return true;
}

TestCa::TestCa(const QString &name)
{
    const QString d = m_dir.path();
    QFile(d + QStringLiteral("/index.txt")).open(QIODevice::WriteOnly);
    QFile cnf(d + QStringLiteral("/ca.cnf"));
    cnf.open(QIODevice::WriteOnly);
    cnf.write(QStringLiteral(
                  "[ca]\ndefault_ca = ca_default\n[ca_default]\ndir = %1\ndatabase = %1/index.txt\n"
                  "new_certs_dir = %1\ncertificate = %1/ca.pem\nprivate_key = %1/ca.key\n"
                  "default_md = sha256\npolicy = policy_any\ncopy_extensions = copy\n"
                  "unique_subject = no\ndefault_days = 30\nserial = %1/serial\n[policy_any]\ncommonName = supplied\n")
                  .arg(d)
                  .toUtf8());
    cnf.close();
    m_ok = openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    QStringLiteral("ca.key"), QStringLiteral("-out"), QStringLiteral("ca.pem"), QStringLiteral("-days"),
                    QStringLiteral("30"), QStringLiteral("-subj"), QStringLiteral("/CN=%1").arg(name),
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
}

QString TestCa::caFile() const
{
    return m_dir.filePath(QStringLiteral("ca.pem"));
}

TestCa::Issued TestCa::issue(const QString &name, const QString &san, const QString &startDate, const QString &endDate)
{
    Issued out;
    const QString base = QStringLiteral("srv%1").arg(++m_serial);
    QByteArray serialHex = QByteArray::number(1000 + m_serial, 16);
    if (serialHex.size() % 2)
        serialHex.prepend('0');
    QFile serial(m_dir.filePath(QStringLiteral("serial")));
    serial.open(QIODevice::WriteOnly | QIODevice::Truncate);
    serial.write(serialHex + "\n");
    serial.close();
    if (!openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                  QStringLiteral("-nodes"), QStringLiteral("-keyout"), base + QStringLiteral(".key"),
                  QStringLiteral("-out"), base + QStringLiteral(".csr"), QStringLiteral("-subj"),
                  QStringLiteral("/CN=%1").arg(name), QStringLiteral("-addext"),
                  QStringLiteral("subjectAltName=%1").arg(san)}))
        return out;
    QStringList args{QStringLiteral("ca"),          QStringLiteral("-batch"),  QStringLiteral("-config"),
                     QStringLiteral("ca.cnf"),      QStringLiteral("-notext"), QStringLiteral("-in"),
                     base + QStringLiteral(".csr"), QStringLiteral("-out"),    base + QStringLiteral(".pem")};
    if (!startDate.isEmpty())
        args << QStringLiteral("-startdate") << startDate;
    if (!endDate.isEmpty())
        args << QStringLiteral("-enddate") << endDate;
    if (!openssl(args))
        return out;
    out.certFile = m_dir.filePath(base + QStringLiteral(".pem"));
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(out.certFile);
    if (!certs.isEmpty())
        out.cert = certs.first();
    QFile k(m_dir.filePath(base + QStringLiteral(".key")));
    k.open(QIODevice::ReadOnly);
    out.key = QSslKey(k.readAll(), QSsl::Rsa, QSsl::Pem);
    QByteArray spki;
    if (openssl({QStringLiteral("pkey"), QStringLiteral("-in"), base + QStringLiteral(".key"),
                 QStringLiteral("-pubout"), QStringLiteral("-outform"), QStringLiteral("DER")},
                &spki))
        out.pinBase64 = QString::fromLatin1(QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toBase64());
    return out;
}

} // namespace oco::test
