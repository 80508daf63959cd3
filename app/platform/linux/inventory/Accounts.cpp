#include "Accounts.h"

#include "SysRoot.h"
#include "core/LazyLibrary.h"
#include "core/Log.h"

#include <QFile>
#include <QJsonObject>
#include <QSet>
#include <QtEndian>

#include <algorithm>
#include <pwd.h>
#include <sqlite3.h> // declarations only: loaded at run time (LibSqlite below)
#include <stdexcept>

namespace oco::platform {

namespace {
constexpr qint16 kUserProcess = 7;

QString cString(const char *p, int max)
{
    return QString::fromUtf8(p, static_cast<int>(qstrnlen(p, static_cast<uint>(max))));
}
} // namespace

QList<LoginRecord> parseWtmp(const QByteArray &data)
{
    QList<LoginRecord> out;
    const char *base = data.constData();
    for (qsizetype off = 0; off + kUtmpRecordSize <= data.size(); off += kUtmpRecordSize) {
        const char *r = base + off;
        if (qFromLittleEndian<qint16>(r) != kUserProcess)
            continue;
        LoginRecord rec;
        rec.line = cString(r + 8, 32);
        rec.user = cString(r + 44, 32);
        const qint64 sec = qFromLittleEndian<qint32>(r + 340);
        rec.time = QDateTime::fromSecsSinceEpoch(sec, Qt::UTC);
        if (!rec.user.isEmpty())
            out.append(rec);
    }
    return out;
}

namespace {
// SQLite is needed only where the login database is wtmpdb (Debian 13 and later), and only while the
// inventory is collected: loaded then (core/LazyLibrary.h), not part of the idle service.
struct LibSqlite
{
    decltype(&::sqlite3_open_v2) open = nullptr;
    decltype(&::sqlite3_errmsg) errmsg = nullptr;
    decltype(&::sqlite3_close) close = nullptr;
    decltype(&::sqlite3_busy_timeout) busyTimeout = nullptr;
    decltype(&::sqlite3_prepare_v2) prepare = nullptr;
    decltype(&::sqlite3_step) step = nullptr;
    decltype(&::sqlite3_column_text) columnText = nullptr;
    decltype(&::sqlite3_column_int64) columnInt64 = nullptr;
    decltype(&::sqlite3_finalize) finalize = nullptr;
    QString error;

    static const LibSqlite &get()
    {
        static const LibSqlite loaded = [] {
            LibSqlite l;
            QLibrary lib(QStringLiteral("sqlite3"), 0);
            if (!lib.load()) {
                l.error = QStringLiteral("cannot load libsqlite3.so.0: %1").arg(lib.errorString());
                return l;
            }
            auto resolve = [&lib](auto &fn, const char *name) { return resolveInto(lib, fn, name); };
            if (!(resolve(l.open, "sqlite3_open_v2") && resolve(l.errmsg, "sqlite3_errmsg") &&
                  resolve(l.close, "sqlite3_close") && resolve(l.busyTimeout, "sqlite3_busy_timeout") &&
                  resolve(l.prepare, "sqlite3_prepare_v2") && resolve(l.step, "sqlite3_step") &&
                  resolve(l.columnText, "sqlite3_column_text") && resolve(l.columnInt64, "sqlite3_column_int64") &&
                  resolve(l.finalize, "sqlite3_finalize")))
                l.error = QStringLiteral("libsqlite3.so.0 is incomplete: %1").arg(lib.errorString());
            return l;
        }();
        return loaded;
    }
};
} // namespace

QList<LoginRecord> readWtmpdb(const QString &file)
{
    const LibSqlite &sq = LibSqlite::get();
    if (!sq.error.isEmpty())
        throw std::runtime_error(QStringLiteral("%1: %2").arg(file, sq.error).toStdString());
    sqlite3 *db = nullptr;
    const QByteArray path = QFile::encodeName(file);
    // Read-only: the agent must never create or lock the login database.
    if (sq.open(path.constData(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const QString why = QString::fromUtf8(db ? sq.errmsg(db) : "out of memory");
        sq.close(db);
        throw std::runtime_error(QStringLiteral("%1: %2").arg(file, why).toStdString());
    }
    sq.busyTimeout(db, 1000);
    QList<LoginRecord> out;
    sqlite3_stmt *stmt = nullptr;
    const char *sql = "SELECT User, Login, TTY FROM wtmp WHERE Type = 3 ORDER BY Login";
    int rc = sq.prepare(db, sql, -1, &stmt, nullptr);
    while (stmt && rc != SQLITE_DONE && (rc = sq.step(stmt)) == SQLITE_ROW) {
        LoginRecord r;
        r.user = QString::fromUtf8(reinterpret_cast<const char *>(sq.columnText(stmt, 0)));
        // Login is in microseconds; the server works in whole seconds.
        r.time = QDateTime::fromSecsSinceEpoch(sq.columnInt64(stmt, 1) / 1000000, Qt::UTC);
        r.line = QString::fromUtf8(reinterpret_cast<const char *>(sq.columnText(stmt, 2)));
        if (!r.user.isEmpty())
            out.append(r);
    }
    const QString why = QString::fromUtf8(sq.errmsg(db));
    sq.finalize(stmt);
    sq.close(db);
    if (rc != SQLITE_DONE)
        throw std::runtime_error(QStringLiteral("%1: %2").arg(file, why).toStdString());
    return out;
}

QList<PasswdEntry> parsePasswd(const QByteArray &data)
{
    QList<PasswdEntry> out;
    for (const QByteArray &raw : data.split('\n')) {
        const QList<QByteArray> f = raw.split(':');
        if (f.size() < 7 || f.at(0).isEmpty() || f.at(0).startsWith('#') || f.at(0).startsWith('+') ||
            f.at(0).startsWith('-'))
            continue;
        PasswdEntry e;
        bool uidOk = false, gidOk = false;
        e.name = QString::fromUtf8(f.at(0));
        e.password = QString::fromUtf8(f.at(1));
        e.uid = f.at(2).toLongLong(&uidOk);
        e.gid = f.at(3).toLongLong(&gidOk);
        e.gecos = QString::fromUtf8(f.at(4));
        e.home = QString::fromUtf8(f.at(5));
        e.shell = QString::fromUtf8(f.at(6)).trimmed();
        if (uidOk && gidOk)
            out.append(e);
    }
    return out;
}

QString fullName(const QString &gecos)
{
    return gecos.section(QLatin1Char(','), 0, 0).trimmed();
}

QJsonArray collectLogins(const SysRoot &root, const QDateTime &since, bool legacy)
{
    QHash<QString, QString> names;
    for (const PasswdEntry &p : parsePasswd(root.read(QStringLiteral("/etc/passwd"))))
        names.insert(p.name, fullName(p.gecos));

    QList<LoginRecord> records;
    QStringList unreadable;
    bool anyRead = false;
    for (const char *file : {"/var/log/wtmp.1", "/var/log/wtmp"}) {
        bool ok = false;
        const QByteArray data = root.read(QLatin1String(file), &ok);
        if (!ok) {
            if (root.exists(QLatin1String(file)))
                unreadable << QLatin1String(file);
            continue;
        }
        anyRead = true;
        records += parseWtmp(data);
    }
    const QString wtmpdb = QStringLiteral("/var/lib/wtmpdb/wtmp.db");
    if (root.exists(wtmpdb)) {
        try {
            records += readWtmpdb(root.path(wtmpdb));
            anyRead = true;
        } catch (const std::exception &e) {
            unreadable << QString::fromUtf8(e.what());
        }
    }
    if (!unreadable.isEmpty()) {
        const QString why = QStringLiteral("not readable: %1").arg(unreadable.join(QStringLiteral(", ")));
        if (!anyRead)
            throw std::runtime_error(why.toStdString());
        qCWarning(lcInventory).noquote() << "logins:" << why;
    }
    std::stable_sort(records.begin(), records.end(),
                     [](const LoginRecord &a, const LoginRecord &b) { return a.time < b.time; });

    QJsonArray out;
    QSet<QString> seen;
    for (const LoginRecord &r : qAsConst(records)) {
        if (since.isValid() && r.time <= since)
            continue;
        const QString timestamp = r.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        const QString key = r.user + QLatin1Char('\n') + r.line + QLatin1Char('\n') + timestamp;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        QJsonObject o{{QStringLiteral("username"), r.user},
                      {QStringLiteral("console"), r.line},
                      {QStringLiteral("timestamp"), timestamp}};
        if (!legacy) {
            QString display = names.value(r.user);
            if (!names.contains(r.user) && root.isHostRoot()) {
                // Directory users (LDAP/SSSD) are not in /etc/passwd: ask NSS once per name.
                const struct passwd *pw = ::getpwnam(r.user.toUtf8().constData());
                display = pw ? fullName(QString::fromUtf8(pw->pw_gecos)) : QString();
                names.insert(r.user, display);
            }
            o.insert(QStringLiteral("display_name"), display);
            o.insert(QStringLiteral("guid"), QJsonValue::Null);
        }
        out.append(o);
    }
    return out;
}

QJsonArray collectUsers(const SysRoot &root, qint64 minUid, qint64 maxUid, const QDate &today)
{
    bool ok = false;
    const QByteArray passwd = root.read(QStringLiteral("/etc/passwd"), &ok);
    if (!ok)
        throw std::runtime_error("/etc/passwd is not readable");
    bool shadowOk = false;
    const QByteArray shadowText = root.read(QStringLiteral("/etc/shadow"), &shadowOk);
    QHash<QString, QList<QByteArray>> shadow;
    if (shadowOk) {
        for (const QByteArray &raw : shadowText.split('\n')) {
            const QList<QByteArray> f = raw.split(':');
            if (f.size() >= 2 && !f.at(0).isEmpty())
                shadow.insert(QString::fromUtf8(f.at(0)), f);
        }
    }
    const qint64 daysSinceEpoch = QDate(1970, 1, 1).daysTo(today);
    QJsonArray out;
    for (const PasswdEntry &p : parsePasswd(passwd)) {
        if (p.uid < minUid || p.uid > maxUid)
            continue;
        bool disabled = p.shell.endsWith(QLatin1String("/nologin")) || p.shell.endsWith(QLatin1String("/false"));
        QString hash = p.password;
        const auto s = shadow.constFind(p.name);
        if (s != shadow.constEnd()) {
            const QList<QByteArray> &f = *s;
            hash = QString::fromUtf8(f.at(1));
            bool expOk = false;
            const qint64 expire = f.value(7).toLongLong(&expOk); // account expiry, days since epoch
            if (expOk && expire >= 0 && expire <= daysSinceEpoch)
                disabled = true;
        }
        if (hash.startsWith(QLatin1Char('!')) || hash.startsWith(QLatin1Char('*')))
            disabled = true;
        out.append(QJsonObject{{QStringLiteral("username"), p.name},
                               {QStringLiteral("display_name"), fullName(p.gecos)},
                               {QStringLiteral("uid"), p.uid},
                               {QStringLiteral("gid"), p.gid},
                               {QStringLiteral("home"), p.home},
                               {QStringLiteral("shell"), p.shell},
                               {QStringLiteral("disabled"), disabled}});
    }
    return out;
}

} // namespace oco::platform
