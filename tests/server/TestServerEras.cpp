// The plaintext-key servers between the 2021 and the signed dialect, as read from their api-agent.php:
// v0.16.3 (Era016: the 2021 names and the dotted ones) and v1.1.6 (Era11: dotted names only, uid in params,
// oco.agent.passwords since v1.1.3). Errors are a status with a reason phrase and an empty body; every
// reply echoes the server key. Packages: GET api-agent.php?id=&hostname=&agent-key= without Content-Type.
#include "TestServer.h"

#include "FeatureServer.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace oco::test {

namespace {

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::number(static_cast<qint64>(v.toDouble()));
}

QJsonObject eraEnvelope(const QJsonObject &params, bool success = true)
{
    return QJsonObject{{QStringLiteral("id"), 1},
                       {QStringLiteral("error"), QJsonValue::Null},
                       {QStringLiteral("result"),
                        QJsonObject{{QStringLiteral("success"), success}, {QStringLiteral("params"), params}}}};
}

} // namespace

HttpReply TestServer::handleEraRpc(RecordedRequest &req)
{
    if (req.header("Content-Type") != "application/json")
        return errorReply(400, "Content Type Mismatch");
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
    const QJsonObject o = doc.object();
    req.json = o;
    req.rpcMethod = o.value(QStringLiteral("method")).toString();
    if (perr.error != QJsonParseError::NoError || !doc.isObject() ||
        o.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0") ||
        !o.contains(QStringLiteral("method")) || !o.contains(QStringLiteral("params")) ||
        !o.contains(QStringLiteral("id")) || o.value(QStringLiteral("id")).isNull())
        return errorReply(400, "Payload Corrupt");
    if (forcedReplies.contains(req.rpcMethod))
        return forcedReplies.value(req.rpcMethod);
    const QJsonObject params = o.value(QStringLiteral("params")).toObject();
    const QString m = req.rpcMethod;
    const bool old = dialect == Generation::Era016; // the 2021 names were removed in v1.0.2
    if (m == QLatin1String("oco.agent.hello") || (old && m == QLatin1String("oco.agent_hello")))
        return eraHello(params);
    if (m == QLatin1String("oco.agent.update") || (old && m == QLatin1String("oco.agent_update")))
        return eraUpdate(params);
    if (m == QLatin1String("oco.agent.update_job_state") ||
        (old &&
         (m == QLatin1String("oco.agent.update_deploy_status") || m == QLatin1String("oco.update_deploy_status"))))
        return eraJobState(params);
    if (m == QLatin1String("oco.agent.events") ||
        (m == QLatin1String("oco.agent.passwords") && dialect == Generation::Era11 && plainPasswords))
        return eraFeature(m, params);
    return errorReply(400, "Unknown Method");
}

HttpReply TestServer::eraHello(const QJsonObject &params)
{
    if (!params.contains(QStringLiteral("hostname")) || !params.contains(QStringLiteral("agent-key")))
        return errorReply(400, "Parameter Mismatch");
    const QString hostname = params.value(QStringLiteral("hostname")).toString();
    const QString key = params.value(QStringLiteral("agent-key")).toString();
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    Computer *c = computer(hostname);
    QJsonValue newAgentKey = QJsonValue::Null;
    bool update = false;
    if (!c) {
        if (key != registrationKey)
            return errorReply(401, "Client Not Authorized");
        if (!selfRegistration)
            return errorReply(403, "Client Self-Registration Disabled");
        c = &addComputer(hostname, randomKey(), randomKey());
        c->networks = data.value(QStringLiteral("networks")).toArray();
        newAgentKey = agentKeyOverride.isEmpty() ? c->agentKey : agentKeyOverride;
        update = true;
    } else {
        if (c->agentKey.isEmpty()) {
            if (key != registrationKey)
                return errorReply(401, "Client Not Authorized");
            c->agentKey = randomKey();
            newAgentKey = c->agentKey;
        } else if (key != c->agentKey) {
            return errorReply(401, "Client Not Authorized");
        }
        if (!agentKeyOverride.isEmpty())
            newAgentKey = agentKeyOverride;
        if (c->serverKey.isEmpty())
            c->serverKey = randomKey();
        // What the real one keeps of a hello: version, networks and (v0.16+) the service states.
        c->agentVersion = data.value(QStringLiteral("agent_version")).toString(QStringLiteral("?"));
        c->networks = data.value(QStringLiteral("networks")).toArray();
        update = c->forceUpdate || !c->lastUpdate.isValid() ||
                 c->lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) > updateIntervalSecs;
    }
    c->lastPing = QDateTime::currentDateTimeUtc();
    c->lastHello = data;
    ++c->helloCount;
    QJsonArray list;
    for (const Job &j : qAsConst(jobs))
        if (j.hostname.compare(c->hostname, Qt::CaseInsensitive) == 0 && j.state >= 0 && j.state <= 2)
            list.append(jobJson(j));
    QJsonObject p{{QStringLiteral("server-key"), outgoingServerKey(*c)},
                  {QStringLiteral("agent-key"), newAgentKey},
                  {QStringLiteral("update"), update ? 1 : 0},
                  {QStringLiteral("logins-since"), QStringLiteral("1970-01-01 00:00:00")},
                  {QStringLiteral("software-jobs"), list},
                  {QStringLiteral("events"), c->eventRules}};
    if (dialect == Generation::Era11 && plainPasswords)
        p.insert(QStringLiteral("update-passwords"), c->updatePasswords);
    return jsonReply(eraEnvelope(p));
}

HttpReply TestServer::eraUpdate(const QJsonObject &params)
{
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    if (!params.contains(QStringLiteral("hostname")) || !params.contains(QStringLiteral("agent-key")) || data.isEmpty())
        return errorReply(400, "Parameter Mismatch");
    Computer *c = computer(params.value(QStringLiteral("hostname")).toString());
    if (!c)
        return errorReply(404, "Computer Not Found");
    if (params.value(QStringLiteral("agent-key")).toString() != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    c->lastPing = QDateTime::currentDateTimeUtc();
    const bool due = c->forceUpdate || !c->lastUpdate.isValid() ||
                     c->lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) > updateIntervalSecs;
    if (!due)
        return errorReply(400, "Update Not Necessary");
    if (params.contains(QStringLiteral("uid")))
        c->uid = params.value(QStringLiteral("uid")).toString();
    c->inventory = data;
    c->lastUpdate = QDateTime::currentDateTimeUtc();
    c->forceUpdate = false;
    ++c->inventoryUploads;
    return jsonReply(eraEnvelope(QJsonObject{{QStringLiteral("server-key"), outgoingServerKey(*c)}}));
}

HttpReply TestServer::eraJobState(const QJsonObject &params)
{
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    // v0.16.3 wants a non-null return-code; v1.0.4+ only the member (null allowed).
    const bool rcMissing = dialect == Generation::Era016 ? data.value(QStringLiteral("return-code")).isNull() ||
                                                               data.value(QStringLiteral("return-code")).isUndefined()
                                                         : !data.contains(QStringLiteral("return-code"));
    if (!params.contains(QStringLiteral("hostname")) || !params.contains(QStringLiteral("agent-key")) ||
        !data.contains(QStringLiteral("job-id")) || !data.contains(QStringLiteral("state")) || rcMissing ||
        !data.value(QStringLiteral("message")).isString())
        return errorReply(400, "Parameter Mismatch");
    Computer *c = computer(params.value(QStringLiteral("hostname")).toString());
    if (!c)
        return errorReply(404, "Computer Not Found");
    if (params.value(QStringLiteral("agent-key")).toString() != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    Job *j = job(data.value(QStringLiteral("job-id")));
    if (!j)
        return errorReply(404, "Job Not Found");
    if (j->hostname.compare(c->hostname, Qt::CaseInsensitive) != 0)
        return errorReply(403, "Forbidden");
    j->reports.append(data);
    const QJsonValue stateValue = data.value(QStringLiteral("state"));
    int state = stateValue.isString() ? stateValue.toString().toInt() : stateValue.toInt();
    const QJsonValue rcValue = data.value(QStringLiteral("return-code"));
    const int rc = rcValue.isString() ? rcValue.toString().toInt() : rcValue.toInt();
    if (state == 3 && !j->successCodes.isEmpty() && !j->successCodes.contains(rc))
        state = -1;
    j->state = state;
    j->returnCode = rcValue;
    j->message = data.value(QStringLiteral("message")).toString();
    c->lastPing = QDateTime::currentDateTimeUtc();
    if (state == -1 && j->sequenceMode == 1) {
        for (Job &other : jobs) {
            if (textOf(other.containerId) == textOf(j->containerId) && other.state == 0) {
                other.state = -1;
                other.returnCode = -8888;
                other.message = QStringLiteral("aborted after failed");
            }
        }
    }
    return jsonReply(eraEnvelope(QJsonObject{{QStringLiteral("server-key"), outgoingServerKey(*c)},
                                             {QStringLiteral("job-succeeded"), state == 3}}));
}

HttpReply TestServer::eraFeature(const QString &method, const QJsonObject &params)
{
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    const QString list =
        method == QLatin1String("oco.agent.events") ? QStringLiteral("events") : QStringLiteral("passwords");
    if (!params.contains(QStringLiteral("hostname")) || !params.contains(QStringLiteral("agent-key")) ||
        data.isEmpty() || !data.value(list).isArray())
        return errorReply(400, "Parameter Mismatch");
    Computer *c = computer(params.value(QStringLiteral("hostname")).toString());
    if (!c)
        return errorReply(404, "Computer Not Found");
    if (params.value(QStringLiteral("agent-key")).toString() != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    bool success = true;
    if (list == QLatin1String("events")) {
        for (const QJsonValue &e : data.value(list).toArray())
            c->events.append(e);
    } else {
        // Stored as received: these servers know no encrypted form (an object would fail in the database).
        success = false;
        for (const QJsonValue &p : data.value(list).toArray()) {
            if (!p.toObject().value(QStringLiteral("password")).isString())
                return errorReply(500, "Internal Server Error");
            c->passwords.append(p);
            success = true;
        }
    }
    return jsonReply(eraEnvelope(QJsonObject{{QStringLiteral("server-key"), outgoingServerKey(*c)}}, success));
}

HttpReply TestServer::eraDownload(RecordedRequest &req)
{
    if (forcedReplies.contains(QStringLiteral("download")))
        return forcedReplies.value(QStringLiteral("download"));
    const QUrlQuery q(QString::fromLatin1(req.path.mid(req.path.indexOf('?') + 1)));
    const QString id = q.queryItemValue(QStringLiteral("id"), QUrl::FullyDecoded);
    // The package is looked up before the key.
    if (!packages.contains(id))
        return errorReply(404, "Not Found");
    Computer *c = computer(q.queryItemValue(QStringLiteral("hostname"), QUrl::FullyDecoded));
    if (!c || q.queryItemValue(QStringLiteral("agent-key"), QUrl::FullyDecoded) != c->agentKey)
        return errorReply(401, "Client Not Authorized");
    bool active = false;
    for (const Job &j : qAsConst(jobs))
        if (j.hostname.compare(c->hostname, Qt::CaseInsensitive) == 0 && textOf(j.packageId) == id && j.state >= 0 &&
            j.state <= 2)
            active = true;
    if (!active)
        return errorReply(401, "No Active Job");
    const Package &p = packages.value(id);
    HttpReply r;
    r.contentType = "application/octet-stream";
    r.extraHeaders.append({"Content-Disposition", "attachment; filename=\"" + id.toLatin1() + ".zip\""});
    if (!downloadFaults.isEmpty()) {
        const DownloadFault f = downloadFaults.takeFirst();
        r.dropAfterBytes = f.dropAfterBytes;
        r.stallAfterBytes = f.stallAfterBytes;
    }
    if (!p.filePath.isEmpty())
        r.filePath = p.filePath;
    else
        r.body = p.zip;
    return r;
}

} // namespace oco::test
