#include "SysRoot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace oco::platform {

SysRoot::SysRoot(QString root)
    : m_root(root.isEmpty() ? QStringLiteral("/") : QDir::cleanPath(root))
    , m_hostRoot(m_root == QLatin1String("/"))
{}

QString SysRoot::path(const QString &absolute) const
{
    if (m_hostRoot)
        return absolute;
    return absolute.startsWith(QLatin1Char('/')) ? m_root + absolute : m_root + QLatin1Char('/') + absolute;
}

QByteArray SysRoot::read(const QString &absolute, bool *ok) const
{
    QFile f(path(absolute));
    const bool opened = f.open(QIODevice::ReadOnly);
    if (ok)
        *ok = opened;
    return opened ? f.readAll() : QByteArray();
}

QString SysRoot::readLine(const QString &absolute, bool *ok) const
{
    QByteArray b = read(absolute, ok);
    while (!b.isEmpty() && (b.endsWith('\n') || b.endsWith('\0')))
        b.chop(1);
    return QString::fromUtf8(b);
}

bool SysRoot::exists(const QString &absolute) const
{
    return QFileInfo::exists(path(absolute));
}

bool SysRoot::isDir(const QString &absolute) const
{
    return QFileInfo(path(absolute)).isDir();
}

QStringList SysRoot::list(const QString &absolute) const
{
    return QDir(path(absolute)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
}

QString SysRoot::linkTarget(const QString &absolute) const
{
    char buf[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path(absolute)).constData(), buf, sizeof buf);
    if (n <= 0 || n >= static_cast<ssize_t>(sizeof buf))
        return QString();
    return QFile::decodeName(QByteArray(buf, static_cast<int>(n)));
}

} // namespace oco::platform
