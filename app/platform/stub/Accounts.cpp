#include "platform/Accounts.h"

#include "platform/Platform.h"

namespace oco::platform {

namespace {
class UnavailablePasswordChanger : public LocalPasswordChanger
{
public:
    bool change(const QString &, const QString &, QString *error) override
    {
        *error = notAvailable(QStringLiteral("setting the password of a local account"));
        return false;
    }
};

// Volatile stores are not optimised away, unlike a memset before the memory is freed.
void overwrite(void *data, size_t size)
{
    volatile unsigned char *p = static_cast<volatile unsigned char *>(data);
    while (size-- > 0)
        *p++ = 0;
}
} // namespace

std::unique_ptr<LocalPasswordChanger> systemPasswordChanger(const QProcessEnvironment &)
{
    return std::make_unique<UnavailablePasswordChanger>();
}

QByteArray sha512Crypt(const QByteArray &)
{
    return {};
}

void wipe(QByteArray &secret)
{
    if (!secret.isEmpty())
        overwrite(secret.data(), static_cast<size_t>(secret.size()));
    secret.clear();
}

void wipe(QString &secret)
{
    if (!secret.isEmpty())
        overwrite(secret.data(), static_cast<size_t>(secret.size()) * sizeof(QChar));
    secret.clear();
}

} // namespace oco::platform
