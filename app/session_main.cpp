// oco-agent-session: the service's D-Bus side, so the service itself links no D-Bus.
//   oco-agent-session list           (as root) who is logged in, from logind on the system bus; prints
//                                    {"logind":true,"sessions":[...]} or {"logind":false} when logind is not there
//   oco-agent-session notify JSON    (as the session's user) shows {title, body, critical} as a desktop
//                                    notification on the bus in DBUS_SESSION_BUS_ADDRESS
// Exit status: 0 done, 1 failed (the reason on stderr), 2 wrong arguments.
#include "power/SessionNotifier.h"
#include "power/Sessions.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace {

int print(const QJsonObject &o)
{
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 1 && args.first() == QLatin1String("list")) {
        if (!oco::LogindSessions::available())
            return print({{QStringLiteral("logind"), false}});
        QJsonArray list;
        for (const oco::Session &s : oco::LogindSessions().sessions())
            list.append(oco::sessionToJson(s));
        return print({{QStringLiteral("logind"), true}, {QStringLiteral("sessions"), list}});
    }
    if (args.size() == 2 && args.first() == QLatin1String("notify")) {
        QString why;
        const int rc = oco::sendDesktopNotification(QJsonDocument::fromJson(args.at(1).toUtf8()).object(), &why);
        if (rc != 0)
            std::fprintf(stderr, "oco-agent-session: %s\n", qPrintable(why));
        return rc;
    }
    std::fprintf(stderr, "usage: oco-agent-session list | notify JSON\n");
    return 2;
}
