#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

#include <memory>

namespace oco::platform {

// Changes the password of a local account. systemPasswordChanger() is the system's way; tests also use a
// recording fake.
class LocalPasswordChanger
{
public:
    virtual ~LocalPasswordChanger() = default;
    // Returns false with a reason (never containing the password) when the change did not happen.
    virtual bool change(const QString &username, const QString &password, QString *error) = 0;
};

// The system's way to set a local password. A program it starts for that gets `environment` and nothing
// of the service's own (Linux: chpasswd -e by absolute path, the hash on its stdin).
std::unique_ptr<LocalPasswordChanger> systemPasswordChanger(const QProcessEnvironment &environment);

// SHA-512 crypt hash ("$6$<salt>$...") with a random salt, the form /etc/shadow keeps; empty when the
// system cannot compute it.
QByteArray sha512Crypt(const QByteArray &password);

// Overwrites the memory of a secret (a password, a hash) in a way the compiler keeps, then empties it.
void wipe(QByteArray &secret);
void wipe(QString &secret);

} // namespace oco::platform
