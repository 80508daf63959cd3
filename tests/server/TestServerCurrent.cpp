// The current dialect of the test server: OCO server v1.2.2, docs/server-protocol.md §4 (HMAC both ways, rolling
// timestamps, keys sent once, dynamic jobs, oco.agent.download, the errors of §4.11).
#include "TestServer.h"

#include "FeatureServer.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <openssl/evp.h>

namespace oco::test {

namespace {

// PHP version_compare for the plain dotted versions agents send ("1.2.0" vs "1.1.7").
bool versionLess(const QString &a, const QString &b)
{
    const QStringList pa = a.split(QLatin1Char('.'));
    const QStringList pb = b.split(QLatin1Char('.'));
    for (int i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        if (i >= pa.size())
            return true;
        if (i >= pb.size())
            return false;
        const int x = pa.at(i).toInt(), y = pb.at(i).toInt();
        if (x != y)
            return x < y;
    }
    return false;
}

QString idText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::number(static_cast<qint64>(v.toDouble()));
}

HttpReply textError(int status, const QByteArray &text)
{
    HttpReply r = errorReply(status, status == 401 ? "Unauthorized" : (status == 400 ? "Bad Request" : "Error"), text);
    r.contentType = "text/html; charset=UTF-8";
    return r;
}

QByteArray guillemets(const QString &id)
{
    return QStringLiteral("\u00bb%1\u00ab").arg(id).toUtf8();
}

// The header exactly as PHP's getallheaders() + case-sensitive lookup sees it (docs/server-protocol.md §4.2).
QByteArray exactHeader(const RecordedRequest &req, const QByteArray &name)
{
    for (const auto &h : req.headers)
        if (h.first == name)
            return h.second;
    return {};
}

} // namespace

bool TestServer::decryptPassword(const QJsonObject &encrypted, const QString &agentKey, QString *plain)
{
    const QByteArray iv = QByteArray::fromBase64(encrypted.value(QStringLiteral("iv")).toString().toLatin1());
    const QByteArray ct = QByteArray::fromBase64(encrypted.value(QStringLiteral("data")).toString().toLatin1());
    if (iv.size() != 16 || ct.isEmpty())
        return false;
    // The key is the agent key's bytes, cut or NUL-padded to 32 bytes.
    QByteArray key = agentKey.toUtf8().left(32);
    key.append(QByteArray(32 - key.size(), '\0'));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    QByteArray out(ct.size() + 16, '\0');
    int n1 = 0, n2 = 0;
    const bool ok =
        EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                           reinterpret_cast<const unsigned char *>(iv.constData())) == 1 &&
        EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &n1,
                          reinterpret_cast<const unsigned char *>(ct.constData()), static_cast<int>(ct.size())) == 1 &&
        EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char *>(out.data()) + n1, &n2) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return false;
    *plain = QString::fromUtf8(out.left(n1 + n2));
    return true;
}

double TestServer::serverNow() const
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0 + clockOffsetSecs;
}

QByteArray TestServer::hmacHex(const QByteArray &key, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, key, QCryptographicHash::Sha256).toHex();
}

bool TestServer::plaintextAgent(const Computer *c, const QJsonObject &data) const
{
    const QJsonValue v = data.value(QStringLiteral("agent_version"));
    if (!c) // unknown computer: HMAC unless a version < 1.1.7 is given
        return v.isString() && versionLess(v.toString(), QStringLiteral("1.1.7"));
    const QString reported = v.isString() ? v.toString() : QStringLiteral("1.0.0");
    const QString stored = c->agentVersion.isEmpty() ? QStringLiteral("1.0.0") : c->agentVersion;
    return versionLess(stored, QStringLiteral("1.1.7")) && versionLess(reported, QStringLiteral("1.1.7"));
}

HttpReply TestServer::currentAuth(const RecordedRequest &req, const QString &key, bool plaintext, bool registration)
{
    if (plaintext) {
        if (req.json.value(QStringLiteral("params")).toObject().value(QStringLiteral("agent-key")).toString() == key)
            return HttpReply{0, {}, {}, {}, {}, {}, true, false};
        return textError(401, registration ? "Agent registration key mismatch" : "Agent key mismatch");
    }
    const QByteArray sig = exactHeader(req, "x-oco-agent-signature");
    if (sig.isEmpty())
        return textError(401, "Signature header missing");
    if (sig != hmacHex(key.toUtf8(), req.body))
        return textError(401, "Invalid agent signature");
    return HttpReply{0, {}, {}, {}, {}, {}, true, false};
}

HttpReply TestServer::currentReply(const QJsonValue &params, const QString &signingKey, bool success)
{
    QJsonObject result{{QStringLiteral("success"), success}, {QStringLiteral("params"), params}};
    if (sendTimestamps) {
        // microtime(true): strictly increasing unless the clock was stepped back on purpose.
        double ts = serverNow();
        if (ts <= m_lastServerTs && ts > m_lastServerTs - 1.0)
            ts = m_lastServerTs + 0.0001;
        m_lastServerTs = ts;
        result.insert(QStringLiteral("timestamp"), ts);
    }
    HttpReply r = jsonReply(QJsonObject{
        {QStringLiteral("id"), 1}, {QStringLiteral("error"), QJsonValue::Null}, {QStringLiteral("result"), result}});
    const QString key = serverKeyOverride.isEmpty() ? signingKey : serverKeyOverride;
    if (signReplies && !key.isEmpty())
        r.extraHeaders.append({"x-oco-server-signature", hmacHex(key.toUtf8(), r.body)});
    return r;
}

HttpReply TestServer::handleCurrentRpc(RecordedRequest &req)
{
    if (req.header("Content-Type") != "application/json")
        return textError(400, "Content type mismatch");
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
    const QJsonObject o = doc.object();
    req.json = o;
    req.rpcMethod = o.value(QStringLiteral("method")).toString();
    if (perr.error != QJsonParseError::NoError || !doc.isObject() ||
        o.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0") ||
        !o.value(QStringLiteral("method")).isString() || !o.value(QStringLiteral("params")).isObject() ||
        !o.contains(QStringLiteral("id")) || o.value(QStringLiteral("id")).isNull())
        return textError(400, "Invalid JSON data");
    if (forcedReplies.contains(req.rpcMethod))
        return forcedReplies.value(req.rpcMethod);
    static const QStringList known{QStringLiteral("oco.agent.hello"),
                                   QStringLiteral("oco.agent.update"),
                                   QStringLiteral("oco.agent.update_job_state"),
                                   QStringLiteral("oco.agent.events"),
                                   QStringLiteral("oco.agent.passwords"),
                                   QStringLiteral("oco.agent.download")};
    if (!known.contains(req.rpcMethod))
        return textError(400, "Unknown method");
    const QJsonObject params = o.value(QStringLiteral("params")).toObject();
    const QString hostname = params.value(QStringLiteral("hostname")).toString();
    if (hostname.isEmpty())
        return textError(400, "Invalid JSON data");
    if (req.rpcMethod == QLatin1String("oco.agent.hello"))
        return currentHello(req);
    if (req.rpcMethod == QLatin1String("oco.agent.download") && forcedReplies.contains(QStringLiteral("download")))
        return forcedReplies.value(QStringLiteral("download"));
    Computer *c = computer(hostname);
    if (!c)
        return textError(401, "Computer not found");
    const HttpReply auth =
        currentAuth(req, c->agentKey, plaintextAgent(c, params.value(QStringLiteral("data")).toObject()), false);
    if (auth.status != 0)
        return auth;
    c->lastPing = QDateTime::currentDateTimeUtc();
    if (req.rpcMethod == QLatin1String("oco.agent.update"))
        return currentUpdate(req, *c);
    if (req.rpcMethod == QLatin1String("oco.agent.update_job_state"))
        return currentJobState(req, *c);
    if (req.rpcMethod == QLatin1String("oco.agent.download"))
        return currentDownload(req, *c);
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    if (c->features) {
        c->features->agentKey = c->agentKey.toUtf8();
        c->features->now = QDateTime::currentDateTimeUtc();
        const FeatureServer::Reply r = c->features->handle(req.rpcMethod, data);
        if (r.status != 200)
            return textError(r.status, r.error.toUtf8());
        return currentReply(r.result.value(QStringLiteral("params")), c->serverKey,
                            r.result.value(QStringLiteral("success")).toBool());
    }
    if (req.rpcMethod == QLatin1String("oco.agent.events")) {
        if (!data.value(QStringLiteral("events")).isArray())
            return textError(400, "Invalid JSON data");
        for (const QJsonValue &e : data.value(QStringLiteral("events")).toArray())
            c->events.append(e);
        return currentReply(QJsonArray(), c->serverKey);
    }
    // oco.agent.passwords: plaintext, or {iv, data} encrypted with the agent key (decrypted here as the server
    // does); the stored entries hold the plaintext password.
    if (!data.value(QStringLiteral("passwords")).isArray())
        return textError(400, "Invalid JSON data");
    for (const QJsonValue &p : data.value(QStringLiteral("passwords")).toArray()) {
        QJsonObject entry = p.toObject();
        const QJsonValue pw = entry.value(QStringLiteral("password"));
        if (pw.isObject()) {
            QString plain;
            if (!decryptPassword(pw.toObject(), c->agentKey, &plain))
                return textError(400, "Invalid password data");
            entry.insert(QStringLiteral("password"), plain);
        }
        c->passwords.append(entry);
    }
    return currentReply(QJsonArray(), c->serverKey);
}

HttpReply TestServer::currentHello(const RecordedRequest &req)
{
    const QJsonObject params = req.json.value(QStringLiteral("params")).toObject();
    const QString hostname = params.value(QStringLiteral("hostname")).toString();
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    const double ts = params.value(QStringLiteral("timestamp")).toDouble();
    Computer *c = computer(hostname);
    const bool plaintext = plaintextAgent(c, data);
    if (!c) {
        // v1.2.2 checks the setting before the key.
        if (!selfRegistration)
            return textError(401, "Client self-registration is disabled");
        const HttpReply auth = currentAuth(req, registrationKey, plaintext, true);
        if (auth.status != 0)
            return auth;
        Computer &nc = addComputer(hostname, randomKey(), randomKey());
        nc.networks = data.value(QStringLiteral("networks")).toArray();
        nc.agentVersion = data.value(QStringLiteral("agent_version")).toString();
        nc.agentTimestamp = ts;
        nc.lastPing = QDateTime::currentDateTimeUtc();
        nc.lastHello = data;
        nc.helloCount = 1;
        const QJsonObject p{{QStringLiteral("server-key"), nc.serverKey},
                            {QStringLiteral("agent-key"), agentKeyOverride.isEmpty() ? nc.agentKey : agentKeyOverride},
                            {QStringLiteral("update"), 1},
                            {QStringLiteral("logins-since"), QStringLiteral("1970-01-01 00:00:00")},
                            {QStringLiteral("software-jobs"), QJsonArray()},
                            {QStringLiteral("events"), QJsonArray()},
                            {QStringLiteral("update-passwords"), QJsonArray()}};
        // Already signed with the new server key (docs/server-protocol.md §4.4).
        return currentReply(p, nc.serverKey);
    }
    const bool registration = c->agentKey.isEmpty();
    const HttpReply auth = currentAuth(req, registration ? registrationKey : c->agentKey, plaintext, registration);
    if (auth.status != 0)
        return auth;
    if (!versionLess(c->agentVersion.isEmpty() ? QStringLiteral("1.0.0") : c->agentVersion, QStringLiteral("1.1.7"))) {
        if (!(ts > c->agentTimestamp))
            return textError(401, "Agent timestamp too old");
    }
    c->agentTimestamp = ts;
    // Keys are generated when missing and sent only in that reply (agents >= 1.1.7).
    QJsonValue newAgentKey = QJsonValue::Null;
    QJsonValue newServerKey = QJsonValue::Null;
    if (c->agentKey.isEmpty()) {
        c->agentKey = randomKey();
        newAgentKey = c->agentKey;
    }
    if (c->serverKey.isEmpty()) {
        c->serverKey = randomKey();
        newServerKey = c->serverKey;
    }
    if (plaintext)
        newServerKey = c->serverKey;
    if (!agentKeyOverride.isEmpty())
        newAgentKey = agentKeyOverride;
    c->lastPing = QDateTime::currentDateTimeUtc();
    c->agentVersion = data.value(QStringLiteral("agent_version")).toString(c->agentVersion);
    c->networks = data.value(QStringLiteral("networks")).toArray();
    c->lastHello = data;
    ++c->helloCount;
    const bool update = data.value(QStringLiteral("force_update")).toBool() || c->forceUpdate ||
                        !c->lastUpdate.isValid() ||
                        c->lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) > updateIntervalSecs;
    QJsonArray list;
    for (const Job &j : qAsConst(jobs))
        if (j.hostname.compare(c->hostname, Qt::CaseInsensitive) == 0 && j.state >= 0 && j.state <= 2)
            list.append(jobJson(j));
    const QJsonObject p{{QStringLiteral("server-key"), newServerKey},
                        {QStringLiteral("agent-key"), newAgentKey},
                        {QStringLiteral("update"), update ? 1 : 0},
                        {QStringLiteral("logins-since"), QStringLiteral("2000-01-01 00:00:00")},
                        {QStringLiteral("software-jobs"), list},
                        {QStringLiteral("events"), c->eventRules},
                        {QStringLiteral("update-passwords"), c->updatePasswords}};
    return currentReply(p, c->serverKey);
}

HttpReply TestServer::currentUpdate(const RecordedRequest &req, Computer &c)
{
    const QJsonObject params = req.json.value(QStringLiteral("params")).toObject();
    const QJsonObject data = params.value(QStringLiteral("data")).toObject();
    if (data.isEmpty())
        return textError(400, "Invalid JSON data");
    if (c.forceUpdate && c.lastUpdate.isValid() && c.lastUpdate.secsTo(QDateTime::currentDateTimeUtc()) < 25)
        return textError(400, "Update refused (too often or invalid data)");
    // computer.uid is UNIQUE: a second computer with the same uid makes the update fail (HTTP 500).
    const QString uid = params.value(QStringLiteral("uid")).toString();
    for (const Computer &other : qAsConst(computers))
        if (other.hostname.compare(c.hostname, Qt::CaseInsensitive) != 0 && other.uid == uid && !other.uid.isNull())
            return errorReply(500, "Internal Server Error");
    c.uid = uid;
    c.inventory = data;
    c.lastUpdate = QDateTime::currentDateTimeUtc();
    c.forceUpdate = false;
    ++c.inventoryUploads;
    // The policies are computed from the row before this update: empty on the first one.
    const QJsonValue policies =
        c.policies.isUndefined() ? QJsonValue(QJsonObject{{QStringLiteral("machine"), QJsonArray()}}) : c.policies;
    return currentReply(QJsonObject{{QStringLiteral("policies"), policies}}, c.serverKey);
}

HttpReply TestServer::currentJobState(const RecordedRequest &req, Computer &c)
{
    const QJsonObject data =
        req.json.value(QStringLiteral("params")).toObject().value(QStringLiteral("data")).toObject();
    if (!data.contains(QStringLiteral("job-id")) || !data.contains(QStringLiteral("state")) ||
        !data.contains(QStringLiteral("return-code")) || !data.value(QStringLiteral("message")).isString())
        return textError(400, "Invalid JSON data");
    const QJsonValue id = data.value(QStringLiteral("job-id"));
    Job *j = job(id);
    if (!j)
        return textError(400, "Job " + guillemets(idText(id)) + " not found");
    if (j->hostname.compare(c.hostname, Qt::CaseInsensitive) != 0)
        return textError(401, "Computer not allowed to update job " + guillemets(idText(id)));
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
    // Abort-after-failed cascades for static containers only, not for deployment rules.
    const bool dynamic = idText(j->containerId).startsWith(QLatin1String("deployment_rule::"));
    if (state == -1 && j->sequenceMode == 1 && !dynamic) {
        for (Job &other : jobs) {
            if (idText(other.containerId) == idText(j->containerId) && other.state == 0) {
                other.state = -1;
                other.returnCode = -8888;
                other.message = QStringLiteral("aborted after failed");
            }
        }
    }
    return currentReply(QJsonObject{{QStringLiteral("job-succeeded"), state == 3}}, c.serverKey);
}

HttpReply TestServer::currentDownload(const RecordedRequest &req, Computer &c)
{
    const QJsonObject params = req.json.value(QStringLiteral("params")).toObject();
    if (!params.contains(QStringLiteral("package-id")) || params.value(QStringLiteral("package-id")).isNull())
        return textError(400, "Invalid JSON data");
    const QString id = idText(params.value(QStringLiteral("package-id")));
    if (!packages.contains(id))
        return textError(400, "Package not found");
    bool active = false;
    for (const Job &j : qAsConst(jobs))
        if (j.hostname.compare(c.hostname, Qt::CaseInsensitive) == 0 && idText(j.packageId) == id && j.state >= 0 &&
            j.state <= 2)
            active = true;
    if (!active)
        return textError(400, "No active job for this package");
    const Package &p = packages.value(id);
    HttpReply r;
    r.contentType = "application/octet-stream";
    r.extraHeaders.append({"Content-Disposition", "attachment; filename=\"" + id.toLatin1() + ".zip\""});
    if (!p.filePath.isEmpty())
        r.filePath = p.filePath;
    else
        r.body = p.zip;
    return r;
}

} // namespace oco::test
