#include "platform/SecureFile.h"

#include "platform/Platform.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace oco::platform {

namespace {
// Owner, group and others bits of a Unix mode as Qt's permissions.
QFileDevice::Permissions permissionsOf(int mode)
{
    QFileDevice::Permissions p;
    const QFileDevice::Permission bits[9] = {QFileDevice::ReadOwner, QFileDevice::WriteOwner, QFileDevice::ExeOwner,
                                             QFileDevice::ReadGroup, QFileDevice::WriteGroup, QFileDevice::ExeGroup,
                                             QFileDevice::ReadOther, QFileDevice::WriteOther, QFileDevice::ExeOther};
    for (int i = 0; i < 9; ++i)
        if (mode & (0400 >> i))
            p |= bits[i];
    return p;
}
} // namespace

// Qt's own atomic replacement; it cannot flush the directory.
bool writeFileAtomic(const QString &path, const QByteArray &data, int mode, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.setPermissions(permissionsOf(mode)) ||
        !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot replace %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool makeDirectoryPrivate(const QString &dir, QString *reason)
{
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (QFileInfo(dir).isWritable())
        return true;
    *reason = QStringLiteral("not writable");
    return false;
}

TrustedDir::~TrustedDir() = default;

bool TrustedDir::open(const QString &, bool, QString *error)
{
    *error = notAvailable(QStringLiteral("checking that no other user can change a directory"));
    return false;
}

bool TrustedDir::ownedByUs(unsigned)
{
    return false;
}

bool TrustedFile::read(const QString &path, QByteArray *, QString *error)
{
    *error = QStringLiteral("%1 is not written: %2")
                 .arg(path, notAvailable(QStringLiteral("writing a file no other user can redirect")));
    return false;
}

bool TrustedFile::replace(const QByteArray &, QString *error)
{
    *error = notAvailable(QStringLiteral("writing a file no other user can redirect"));
    return false;
}

} // namespace oco::platform
