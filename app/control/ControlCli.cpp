#include "ControlCli.h"

#include "ControlClient.h"
#include "agent/CommandLine.h"
#include "agent/ExitCode.h"
#include "core/Helpers.h"
#include "core/Version.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace oco {

namespace {

QString localTimeText(const QJsonValue &iso)
{
    const QDateTime t = QDateTime::fromString(iso.toString(), Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("never");
}

// `oco-agent --status`: what the running service reports, through the control socket.
int printStatus(ControlClient &client, bool json)
{
    const QJsonObject status = client.pushes.value(QStringLiteral("status"));
    const QJsonObject power = client.pushes.value(QStringLiteral("power"));
    const QJsonObject jobs = client.pushes.value(QStringLiteral("jobs"));
    if (json) {
        const QJsonObject all{{QStringLiteral("agent_version"), client.welcome.value(QStringLiteral("agent_version"))},
                              {QStringLiteral("peer"), client.welcome.value(QStringLiteral("peer"))},
                              {QStringLiteral("status"), status},
                              {QStringLiteral("power"), power},
                              {QStringLiteral("jobs"), jobs},
                              {QStringLiteral("log"), client.pushes.value(QStringLiteral("log"))}};
        printLine(stdout, QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Compact)));
        return ExitOk;
    }
    const QString error = status.value(QStringLiteral("last_error")).toString();
    printLine(stdout, QStringLiteral("Service:       running (oco-agent %1), %2")
                          .arg(client.welcome.value(QStringLiteral("agent_version")).toString(),
                               status.value(QStringLiteral("state")).toString()));
    printLine(stdout, QStringLiteral("Server:        %1 (protocol %2)")
                          .arg(status.value(QStringLiteral("server")).toString(),
                               status.value(QStringLiteral("dialect")).toString(QStringLiteral("-"))));
    printLine(stdout, QStringLiteral("Last contact:  %1 (last success %2)")
                          .arg(localTimeText(status.value(QStringLiteral("last_contact"))),
                               localTimeText(status.value(QStringLiteral("last_success")))));
    printLine(stdout,
              QStringLiteral("Next contact:  %1").arg(localTimeText(status.value(QStringLiteral("next_contact")))));
    printLine(stdout, QStringLiteral("Last error:    %1").arg(error.isEmpty() ? QStringLiteral("none") : error));
    const QJsonObject p = power.value(QStringLiteral("pending")).toObject();
    if (p.isEmpty()) {
        printLine(stdout, QStringLiteral("Power action:  none pending"));
    } else {
        printLine(stdout, QStringLiteral("Power action:  %1 at %2 (in %3 min; %4)")
                              .arg(p.value(QStringLiteral("action")).toString(),
                                   p.value(QStringLiteral("deadline_local")).toString())
                              .arg(p.value(QStringLiteral("seconds_left")).toInt() / 60)
                              .arg(p.value(QStringLiteral("reason")).toString()));
        printLine(stdout, QStringLiteral("               %1 of %2 postponements used%3%4")
                              .arg(p.value(QStringLiteral("postponements_used")).toInt())
                              .arg(p.value(QStringLiteral("postponements_used")).toInt() +
                                   p.value(QStringLiteral("postponements_left")).toInt())
                              .arg(p.value(QStringLiteral("final_countdown")).toBool()
                                       ? QStringLiteral(", final countdown running")
                                       : QString())
                              .arg(p.value(QStringLiteral("last_error")).toString().isEmpty()
                                       ? QString()
                                       : QStringLiteral(", last attempt failed: ") +
                                             p.value(QStringLiteral("last_error")).toString()));
    }
    const QJsonObject running = jobs.value(QStringLiteral("running")).toObject();
    if (!running.isEmpty())
        printLine(stdout, QStringLiteral("Running job:   %1 (package %2), %3 %4%")
                              .arg(running.value(QStringLiteral("id")).toVariant().toString(),
                                   running.value(QStringLiteral("package_id")).toVariant().toString(),
                                   running.value(QStringLiteral("phase")).toString())
                              .arg(running.value(QStringLiteral("progress")).toDouble(), 0, 'f', 0));
    const QJsonArray history = jobs.value(QStringLiteral("history")).toArray();
    for (int i = 0; i < std::min<qsizetype>(5, history.size()); ++i) {
        const QJsonObject h = history.at(i).toObject();
        printLine(stdout, QStringLiteral("Recent job:    %1 (package %2) %3, return code %4, %5")
                              .arg(h.value(QStringLiteral("id")).toVariant().toString(),
                                   h.value(QStringLiteral("package_id")).toVariant().toString(),
                                   h.value(QStringLiteral("state")).toString())
                              .arg(h.value(QStringLiteral("return_code")).toInt())
                              .arg(localTimeText(h.value(QStringLiteral("finished")))));
    }
    return ExitOk;
}

} // namespace

int runControlCli(const CommandLine &commandLine, const QString &defaultSocket)
{
    // Users can run these without reading the (root-only) config: the default socket is used then.
    const QString socketPath = commandLine.hasSocket ? commandLine.socket : defaultSocket;
    QString error;
    ControlClient client;
    if (!client.open(socketPath, QStringLiteral("oco-agent-cli/%1").arg(QStringLiteral(OCO_VERSION)), &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitUnavailable;
    }
    if (commandLine.status)
        return printStatus(client, commandLine.json);
    QJsonObject request{{QStringLiteral("type"), control::wireName(control::RequestType::CancelPower)}};
    if (commandLine.hasControlRequest) {
        const QJsonDocument doc = QJsonDocument::fromJson(commandLine.controlRequest.toUtf8());
        if (!doc.isObject()) {
            printLine(stderr, QStringLiteral("oco-agent: --control-request needs a JSON object"));
            return ExitUsage;
        }
        request = doc.object();
    }
    QJsonObject reply;
    if (!client.request(request, &reply, &error)) {
        printLine(stderr, QStringLiteral("oco-agent: %1").arg(error));
        return ExitUnavailable;
    }
    const bool ok = reply.value(QStringLiteral("ok")).toBool();
    if (commandLine.hasControlRequest)
        printLine(stdout, QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact)));
    else
        printLine(ok ? stdout : stderr,
                  ok ? reply.value(QStringLiteral("message")).toString()
                     : QStringLiteral("oco-agent: refused: %1").arg(reply.value(QStringLiteral("reason")).toString()));
    return ok ? ExitOk : ExitRefused;
}

} // namespace oco
