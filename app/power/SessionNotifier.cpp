#include "SessionNotifier.h"

#include "core/Helpers.h"
#include "core/Log.h"
#include "core/TestHooks.h"
#include "platform/SessionNotify.h"
#include "platform/Sessions.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTimer>

namespace oco {

SystemSessionNotifier::SystemSessionNotifier(QString program, QObject *parent)
    : QObject(parent)
    , m_program(program.isEmpty()
                    ? helperProgram(QStringLiteral("oco-agent-session"), TestHooks::active().sessionHelper)
                    : std::move(program))
{}

void SystemSessionNotifier::notify(const Session &session, const Notice &notice, bool desktop)
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
    if (!platform::writeToTerminal(session.tty, text, &error))
        qCWarning(lcAgent).noquote() << "cannot tell" << session.user << "on" << session.tty << ":" << error;
}

void SystemSessionNotifier::sendDesktop(const Session &session, const Notice &notice)
{
    auto *p = new QProcess(this);
    platform::UserAccount account;
    QString error;
    if (!platform::runAsUser(*p, session.uid, &account, &error)) {
        qCWarning(lcAgent).noquote() << error << ": no desktop notification";
        delete p;
        return;
    }
    const QString user = account.name;
    QProcessEnvironment env;
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), session.busAddress);
    env.insert(QStringLiteral("HOME"), account.home);
    env.insert(QStringLiteral("USER"), user);
    env.insert(QStringLiteral("LOGNAME"), user);
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), platform::userRuntimeDir(session.uid));
    if (!session.display.isEmpty())
        env.insert(QStringLiteral("DISPLAY"), session.display);
    p->setProcessEnvironment(env);
    p->setWorkingDirectory(QStringLiteral("/"));
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
