#include "PasswordChange.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <crypt.h>

#include <cstring>

namespace oco::platform {

namespace {

bool validUsername(const QString &name)
{
    // Local account names as useradd accepts them; never starting with '-' (it would be an option).
    static const QRegularExpression re(QStringLiteral(R"(^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}\$?$)"));
    return re.match(name).hasMatch();
}

} // namespace

void wipe(QByteArray &secret)
{
    if (!secret.isEmpty())
        ::explicit_bzero(secret.data(), static_cast<size_t>(secret.size()));
    secret.clear();
}

void wipe(QString &secret)
{
    if (!secret.isEmpty())
        ::explicit_bzero(secret.data(), static_cast<size_t>(secret.size()) * sizeof(QChar));
    secret.clear();
}

QByteArray sha512Crypt(const QByteArray &password)
{
    // A NULL random source lets libxcrypt take the salt from the kernel's CSPRNG.
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$6$", 0, nullptr, 0, setting, sizeof setting))
        return {};
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char *hash = crypt_r(password.constData(), setting, data.get());
    QByteArray out;
    if (hash && hash[0] == '$') // failures return NULL or a string starting with '*'
        out = QByteArray(hash);
    ::explicit_bzero(data.get(), sizeof(crypt_data));
    return out;
}

QString ChpasswdPasswordChanger::defaultProgram()
{
    const QString usr = QStringLiteral("/usr/sbin/chpasswd");
    return QFileInfo(usr).isExecutable() || !QFileInfo(QStringLiteral("/sbin/chpasswd")).isExecutable()
               ? usr
               : QStringLiteral("/sbin/chpasswd");
}

bool ChpasswdPasswordChanger::change(const QString &username, const QString &password, QString *error)
{
    if (!validUsername(username)) {
        *error = QStringLiteral("'%1' is not a valid local user name").arg(username);
        return false;
    }
    // By absolute path only: the service's PATH decides nothing about what runs as root.
    if (!QFileInfo(m_program).isAbsolute() || !QFileInfo(m_program).isExecutable()) {
        *error = QStringLiteral("%1 was not found (it is in the Debian package passwd)").arg(m_program);
        return false;
    }
    QByteArray plain = password.toUtf8();
    QByteArray hash = sha512Crypt(plain);
    wipe(plain);
    if (hash.isEmpty()) {
        *error = QStringLiteral("libcrypt could not compute a SHA-512 hash");
        return false;
    }
    QProcess proc;
    proc.setProcessEnvironment(m_environment);
    proc.setProcessChannelMode(QProcess::MergedChannels);
    // The hash goes through stdin, not the argument list, which every local user can read in /proc.
    proc.start(m_program, {QStringLiteral("-e")});
    const QString hashText = QString::fromLatin1(hash);
    QByteArray line = username.toUtf8() + ':' + hash + '\n';
    wipe(hash);
    if (!proc.waitForStarted(10000)) {
        wipe(line);
        *error = QStringLiteral("%1 could not be started: %2").arg(m_program, proc.errorString());
        return false;
    }
    proc.write(line);
    wipe(line);
    proc.closeWriteChannel();
    if (!proc.waitForFinished(static_cast<int>(m_timeoutSecs * 1000))) {
        proc.kill();
        proc.waitForFinished(5000);
        *error = QStringLiteral("%1 did not finish within %2 s").arg(m_program).arg(m_timeoutSecs);
        return false;
    }
    QString out = QString::fromLocal8Bit(proc.readAll()).trimmed().left(500);
    out.replace(hashText, QStringLiteral("***"));
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        *error = QStringLiteral("%1 failed (exit code %2)%3")
                     .arg(m_program)
                     .arg(proc.exitCode())
                     .arg(out.isEmpty() ? QString() : QStringLiteral(": ") + out);
        return false;
    }
    return true;
}

std::unique_ptr<LocalPasswordChanger> systemPasswordChanger(const QProcessEnvironment &environment)
{
    return std::make_unique<ChpasswdPasswordChanger>(environment);
}

} // namespace oco::platform
