#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace oco::platform {

class SysRoot;

// One USER_PROCESS record of wtmp.
struct LoginRecord
{
    QString user;
    QString line;   // tty2, pts/0, :0
    QDateTime time; // UTC
};

// glibc's struct utmp on x86_64/aarch64 (and every 64-bit glibc target with 32-bit ut_tv): 384 bytes.
constexpr int kUtmpRecordSize = 384;

// Records of type USER_PROCESS from a wtmp file, in file order. A trailing partial record is ignored.
QList<LoginRecord> parseWtmp(const QByteArray &data);

// USER_PROCESS rows (Type 3) of a wtmpdb database (/var/lib/wtmpdb/wtmp.db, the Y2038-safe successor of
// wtmp used by Debian 13 and others), oldest first. Throws std::runtime_error when it cannot be read.
QList<LoginRecord> readWtmpdb(const QString &file);

struct PasswdEntry
{
    QString name;
    QString password; // usually "x" (shadowed)
    qint64 uid = -1;
    qint64 gid = -1;
    QString gecos;
    QString home;
    QString shell;
};
QList<PasswdEntry> parsePasswd(const QByteArray &data);
// GECOS up to the first comma (the full name).
QString fullName(const QString &gecos);

// Logins strictly after `since` (invalid = all) from /var/log/wtmp.1, /var/log/wtmp and wtmpdb, oldest
// first, the same login recorded by two of them once. legacy = the 2021 keys only (username, console,
// timestamp).
QJsonArray collectLogins(const SysRoot &root, const QDateTime &since, bool legacy);

// Local accounts with minUid <= uid <= maxUid from /etc/passwd; `disabled` from /etc/shadow when readable
// (locked or expired password, expired account) and from a nologin/false shell.
QJsonArray collectUsers(const SysRoot &root, qint64 minUid, qint64 maxUid, const QDate &today);

} // namespace oco::platform
