#include "Notifier.h"

#include "core/Helpers.h"
#include "core/Log.h"
#include "core/TestHooks.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace oco {

SystemNotifier::SystemNotifier(QString program, QObject *parent)
    : QObject(parent)
    , m_program(program.isEmpty()
                    ? helperProgram(QStringLiteral("oco-agent-session"), TestHooks::active().sessionHelper)
                    : std::move(program))
{}

void SystemNotifier::notify(const Session &session, const Notice &notice, bool desktop)
{
    if (session.graphical) {
        if (desktop && !session.busAddress.isEmpty())
            sendDesktop(session, notice);
        else if (desktop)
            qCInfo(lcAgent).noquote() << "session" << session.id << "of" << session.user
                                      << "has no known session bus: no desktop notification";
        return;
    }
    if (session.tty.isEmpty())
        return;
    QString error;
    const QString text = QStringLiteral("\r\n*** %1 ***\r\n%2\r\n").arg(notice.title, notice.body);
    if (!writeToTerminal(session.tty, text, &error))
        qCWarning(lcAgent).noquote() << "cannot tell" << session.user << "on" << session.tty << ":" << error;
}

bool SystemNotifier::writeToTerminal(const QString &tty, const QString &text, QString *error)
{
    static const QRegularExpression valid(QStringLiteral("^(pts/[0-9]+|tty[A-Za-z0-9]+|console)$"));
    if (!valid.match(tty).hasMatch()) {
        *error = QStringLiteral("'%1' is not a terminal name").arg(tty);
        return false;
    }
    const QByteArray path = QFile::encodeName(QStringLiteral("/dev/") + tty);
    const int fd = ::open(path.constData(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) || !::isatty(fd)) {
        ::close(fd);
        *error = QStringLiteral("%1 is not a terminal").arg(QString::fromLocal8Bit(path));
        return false;
    }
    const QByteArray bytes = text.toUtf8();
    // Non-blocking: a terminal nobody reads must not stall the service; what does not fit is lost.
    const ssize_t n = ::write(fd, bytes.constData(), static_cast<size_t>(bytes.size()));
    ::close(fd);
    if (n < 0) {
        *error = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    return true;
}

void SystemNotifier::sendDesktop(const Session &session, const Notice &notice)
{
    // Everything the child needs is looked up here: after fork only async-signal-safe calls are allowed.
    struct passwd pw
    {
    };
    struct passwd *res = nullptr;
    char buf[4096];
    if (::getpwuid_r(session.uid, &pw, buf, sizeof buf, &res) != 0 || !res) {
        qCWarning(lcAgent).noquote() << "no user account for uid" << session.uid << ": no desktop notification";
        return;
    }
    const uid_t uid = res->pw_uid;
    const gid_t gid = res->pw_gid;
    const QString home = QFile::decodeName(res->pw_dir);
    const QString user = QString::fromLocal8Bit(res->pw_name);
    int ngroups = 64;
    std::vector<gid_t> groups(static_cast<size_t>(ngroups));
    if (::getgrouplist(res->pw_name, gid, groups.data(), &ngroups) < 0) {
        groups.resize(static_cast<size_t>(ngroups));
        if (::getgrouplist(res->pw_name, gid, groups.data(), &ngroups) < 0)
            ngroups = 0;
    }
    groups.resize(static_cast<size_t>(std::max(ngroups, 0)));
    if (groups.empty())
        groups.push_back(gid);

    auto *p = new QProcess(this);
    QProcessEnvironment env;
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), session.busAddress);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("USER"), user);
    env.insert(QStringLiteral("LOGNAME"), user);
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), QStringLiteral("/run/user/%1").arg(uid));
    if (!session.display.isEmpty())
        env.insert(QStringLiteral("DISPLAY"), session.display);
    p->setProcessEnvironment(env);
    p->setWorkingDirectory(QStringLiteral("/"));
    p->setChildProcessModifier([uid, gid, groups] {
        if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
            ::_exit(126);
        if (::setuid(0) == 0 && uid != 0)
            ::_exit(126); // the drop must be permanent
    });
    const QJsonObject n{{QStringLiteral("title"), notice.title},
                        {QStringLiteral("body"), notice.body},
                        {QStringLiteral("critical"), notice.critical}};
    p->setProgram(m_program);
    p->setArguments({QStringLiteral("notify"), QString::fromUtf8(QJsonDocument(n).toJson(QJsonDocument::Compact))});
    p->setProcessChannelMode(QProcess::MergedChannels);
    const QString sessionId = session.id;
    auto *timeout = new QTimer(p);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, p, [p] { p->kill(); });
    connect(p, &QProcess::finished, this, [this, p, sessionId, user](int code, QProcess::ExitStatus status) {
        const bool ok = status == QProcess::NormalExit && code == 0;
        if (!ok)
            qCWarning(lcAgent).noquote() << "desktop notification for" << user << "in session" << sessionId
                                         << "failed:" << QString::fromUtf8(p->readAll()).trimmed();
        else
            qCDebug(lcAgent).noquote() << "desktop notification shown to" << user << "in session" << sessionId;
        Q_EMIT desktopNotificationDone(sessionId, ok);
        p->deleteLater();
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, sessionId](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        qCWarning(lcAgent).noquote() << "cannot start the notification helper:" << p->errorString();
        Q_EMIT desktopNotificationDone(sessionId, false);
        p->deleteLater();
    });
    timeout->start(15000);
    p->start();
}

} // namespace oco
