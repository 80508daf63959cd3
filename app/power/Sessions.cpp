#include "Sessions.h"

#include "core/Helpers.h"
#include "core/Log.h"
#include "core/TestHooks.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace oco {

QList<Session> UtmpSessions::sessions()
{
    QList<Session> out;
    const QList<platform::SessionRecord> records = platform::loginRecords(m_file);
    for (const platform::SessionRecord &r : records) {
        const std::optional<uint> uid = platform::userId(r.user);
        if (!uid)
            continue;
        Session s;
        s.user = r.user;
        s.uid = *uid;
        s.id = QStringLiteral("utmp-%1").arg(r.pid);
        if (r.line.startsWith(QLatin1Char(':')) || r.host.startsWith(QLatin1Char(':'))) {
            s.graphical = true;
            s.display = r.line.startsWith(QLatin1Char(':')) ? r.line : r.host;
        } else {
            s.tty = r.line;
        }
        s.busAddress = platform::userBusAddress(s.uid);
        out << s;
    }
    return out;
}

QList<Session> FileSessions::sessions()
{
    QList<Session> out;
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray list = QJsonDocument::fromJson(f.readAll()).array();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        Session s;
        s.id = o.value(QStringLiteral("id")).toString();
        s.uid = static_cast<uint>(o.value(QStringLiteral("uid")).toInt());
        s.user = o.value(QStringLiteral("user")).toString(userName(s.uid));
        const QString type = o.value(QStringLiteral("type")).toString();
        s.graphical = type == QLatin1String("x11") || type == QLatin1String("wayland");
        s.tty = o.value(QStringLiteral("tty")).toString();
        s.display = o.value(QStringLiteral("display")).toString();
        s.busAddress = o.value(QStringLiteral("bus")).toString();
        out << s;
    }
    return out;
}

std::unique_ptr<SessionLister> makeSystemSessionLister()
{
    const QString file = TestHooks::active().sessionsFile;
    if (!file.isEmpty())
        return std::make_unique<FileSessions>(file);
    return std::make_unique<SystemSessions>();
}

QJsonObject sessionToJson(const Session &s)
{
    return {{QStringLiteral("id"), s.id},         {QStringLiteral("uid"), static_cast<double>(s.uid)},
            {QStringLiteral("user"), s.user},     {QStringLiteral("graphical"), s.graphical},
            {QStringLiteral("tty"), s.tty},       {QStringLiteral("display"), s.display},
            {QStringLiteral("bus"), s.busAddress}};
}

Session sessionFromJson(const QJsonObject &o)
{
    Session s;
    s.id = o.value(QStringLiteral("id")).toString();
    s.uid = static_cast<uint>(o.value(QStringLiteral("uid")).toDouble());
    s.user = o.value(QStringLiteral("user")).toString();
    s.graphical = o.value(QStringLiteral("graphical")).toBool();
    s.tty = o.value(QStringLiteral("tty")).toString();
    s.display = o.value(QStringLiteral("display")).toString();
    s.busAddress = o.value(QStringLiteral("bus")).toString();
    return s;
}

QList<Session> SystemSessions::sessions()
{
    // logind is asked by oco-agent-session (the service links no D-Bus); without logind, utmp.
    const QString program = helperProgram(QStringLiteral("oco-agent-session"), TestHooks::active().sessionHelper);
    QProcess helper;
    helper.setStandardInputFile(QProcess::nullDevice());
    helper.start(program, {QStringLiteral("list")});
    if (!helper.waitForFinished(15000)) {
        qCWarning(lcAgent).noquote() << "cannot list the sessions with" << program << ":"
                                     << (helper.error() == QProcess::Timedout ? QStringLiteral("no answer in 15 s")
                                                                              : helper.errorString());
        helper.kill();
        helper.waitForFinished(1000);
        return UtmpSessions().sessions();
    }
    const QByteArray problems = helper.readAllStandardError().trimmed();
    if (!problems.isEmpty())
        qCWarning(lcAgent).noquote() << QString::fromUtf8(problems);
    const QJsonObject answer = QJsonDocument::fromJson(helper.readAllStandardOutput()).object();
    if (helper.exitStatus() != QProcess::NormalExit || helper.exitCode() != 0) {
        qCWarning(lcAgent).noquote() << program << "failed (exit status" << helper.exitCode()
                                     << "): the sessions are read from utmp";
        return UtmpSessions().sessions();
    }
    if (!answer.value(QStringLiteral("logind")).toBool())
        return UtmpSessions().sessions();
    QList<Session> out;
    for (const QJsonValue &v : answer.value(QStringLiteral("sessions")).toArray())
        out << sessionFromJson(v.toObject());
    return out;
}

} // namespace oco
