// The control socket of the real oco-agent service: permissions by peer credentials (a real second uid via
// setpriv), the handshake, pushes, malformed/oversized input, a stalled client, 100 clients, restarts.
#include "AgentHarness.h"
#include "TestServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace oco::test;

namespace {

// An in-process client that records every message.
class LineClient : public QObject
{
public:
    QLocalSocket socket;
    QList<QJsonObject> received;
    QByteArray buffer;
    bool closed = false;

    explicit LineClient(const QString &path)
    {
        connect(&socket, &QLocalSocket::readyRead, this, [this] {
            buffer += socket.readAll();
            int nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                received << QJsonDocument::fromJson(buffer.left(nl)).object();
                buffer.remove(0, nl + 1);
            }
        });
        connect(&socket, &QLocalSocket::disconnected, this, [this] { closed = true; });
        // With many clients at once the connection may complete later: what is sent meanwhile waits.
        // (After a delayed connect Qt 6.4 opens the device only after emitting connected.)
        connect(&socket, &QLocalSocket::connected, this, [this] {
            QTimer::singleShot(0, this, [this] {
                socket.write(queued);
                queued.clear();
            });
        });
        socket.connectToServer(path);
    }
    QByteArray queued;
    void send(const QByteArray &raw)
    {
        if (socket.isOpen())
            socket.write(raw);
        else
            queued += raw;
    }
    void send(const QJsonObject &o) { socket.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n'); }
    void hello(int version = 1)
    {
        send(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                         {QStringLiteral("version"), version},
                         {QStringLiteral("client"), QStringLiteral("tst_control")}});
    }
    QJsonObject find(const QString &type, const QJsonValue &id = QJsonValue::Undefined) const
    {
        for (const QJsonObject &o : received)
            if (o.value(QStringLiteral("type")).toString() == type &&
                (id.isUndefined() || o.value(QStringLiteral("id")) == id))
                return o;
        return {};
    }
    bool waitFor(const QString &type, const QJsonValue &id = QJsonValue::Undefined, int ms = 15000)
    {
        return QTest::qWaitFor([&] { return !find(type, id).isEmpty(); }, ms);
    }
};

struct ClientRun
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json;
};

} // namespace

constexpr int kBusyLogBurst = 6; // ControlService::kBusyLogBurst
const QByteArray kLogo("\x89PNG\r\n\x1a\nnot really a picture", 28);

class TestControl : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AgentHarness> m_h;
    std::unique_ptr<QProcess> m_service;
    QString m_sockDir;
    QString m_group;
    uint m_groupId = 0;
    QString m_serviceLog;

    void writeSessions(const QByteArray &json)
    {
        QFile f(m_h->dir() + QStringLiteral("/sessions.json"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(json);
    }

    QString socketPath() const { return m_sockDir + QStringLiteral("/run/control.sock"); }

    void startService()
    {
        m_service = m_h->start({QStringLiteral("--daemon")});
        QVERIFY(m_service->waitForStarted(10000));
        const bool up = QTest::qWaitFor(
            [&] {
                QLocalSocket probe;
                probe.connectToServer(socketPath());
                return probe.waitForConnected(200);
            },
            15000);
        QVERIFY2(up, qPrintable(QString::fromUtf8(m_service->readAllStandardError())));
    }

    void stopService(bool hard = false)
    {
        if (!m_service)
            return;
        if (hard)
            m_service->kill();
        else
            m_service->terminate();
        m_service->waitForFinished(15000);
        m_serviceLog += QString::fromUtf8(m_service->readAllStandardError());
        m_service.reset();
    }

    QString serviceLog()
    {
        if (m_service)
            m_serviceLog += QString::fromUtf8(m_service->readAllStandardError());
        return m_serviceLog;
    }

    // Runs oco-agent as a client, optionally through setpriv as another user.
    ClientRun client(const QStringList &args, const QStringList &setpriv = {})
    {
        QProcess p;
        QStringList argv = QStringList{QStringLiteral("--socket"), socketPath()} + args;
        if (setpriv.isEmpty()) {
            p.start(QStringLiteral(OCO_AGENT_BIN), argv);
        } else {
            p.start(QStringLiteral("setpriv"), setpriv + QStringList{QStringLiteral(OCO_AGENT_BIN)} + argv);
        }
        ClientRun r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        return r;
    }
    ClientRun request(const QJsonObject &req, const QStringList &setpriv = {})
    {
        return client(
            {QStringLiteral("--control-request"), QString::fromUtf8(QJsonDocument(req).toJson(QJsonDocument::Compact))},
            setpriv);
    }
    ClientRun clientOn(const QString &sock, const QStringList &args, const QStringList &setpriv = {})
    {
        QProcess p;
        const QStringList argv = QStringList{QStringLiteral("--socket"), sock} + args;
        if (setpriv.isEmpty())
            p.start(QStringLiteral(OCO_AGENT_BIN), argv);
        else
            p.start(QStringLiteral("setpriv"), setpriv + QStringList{QStringLiteral(OCO_AGENT_BIN)} + argv);
        ClientRun r;
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        return r;
    }
    // The log of a service started by a test function (stderr, collected as it comes).
    QHash<QProcess *, QString> m_logs;
    QString serviceLogOf(QProcess &p)
    {
        m_logs[&p] += QString::fromUtf8(p.readAllStandardError());
        return m_logs[&p];
    }

    QStringList nobody() const
    {
        return {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups")};
    }
    QStringList nobodyInAdminGroup() const
    {
        return {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                QStringLiteral("--groups=%1").arg(m_groupId)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        ::signal(SIGPIPE, SIG_IGN);
        if (::geteuid() != 0)
            QSKIP("needs root: a second user id (setpriv) and a temporary group");
        // The socket lives in a directory other users can reach (a QTemporaryDir is 0700).
        QByteArray tmpl = QDir::tempPath().toLocal8Bit() + "/oco-ctl-XXXXXX";
        QVERIFY(::mkdtemp(tmpl.data()));
        m_sockDir = QString::fromLocal8Bit(tmpl);
        ::chmod(tmpl.constData(), 0755);
        m_group = QStringLiteral("ocot%1").arg(::getpid());
        QCOMPARE(QProcess::execute(QStringLiteral("groupadd"), {m_group}), 0);
        struct group *g = ::getgrnam(m_group.toLocal8Bit().constData());
        QVERIFY(g);
        m_groupId = g->gr_gid;

        m_h = std::make_unique<AgentHarness>(QStringLiteral(OCO_AGENT_BIN));
        QFile sessions(m_h->dir() + QStringLiteral("/sessions.json"));
        QVERIFY(sessions.open(QIODevice::WriteOnly));
        sessions.write("[]");
        sessions.close();
        m_h->environment.insert(QStringLiteral("OCO_TEST_SESSIONS_FILE"), sessions.fileName());
        QFile logo(m_h->dir() + QStringLiteral("/logo.png"));
        QVERIFY(logo.open(QIODevice::WriteOnly));
        logo.write(kLogo);
        logo.close();
        m_h->writeConfig(
            QStringLiteral("[agent]\nagent-key = SECRETAGENTKEY42\nquery-interval = 3600\n"
                           "connection-timeout = 2\ncontrol-socket = %1\n"
                           "[server]\napi-url = http://127.0.0.1:9/api-agent.php\nprotocol = 2021\n"
                           "server-key = SECRETSERVERKEY42\nproxy = http://proxyuser:PROXYPASS42@127.0.0.1:9\n"
                           "[power]\nadmin-group = %2\n"
                           "[ui]\norganisation = Example IT\nmessage = Save your work.\n"
                           "message[de] = Bitte speichern Sie.\nhelpdesk-url = mailto:it@example.org\nlogo = %3\n")
                .arg(socketPath(), m_group, logo.fileName()));
        startService();
    }

    void cleanupTestCase()
    {
        stopService();
        if (!m_group.isEmpty())
            QProcess::execute(QStringLiteral("groupdel"), {m_group});
        if (!m_sockDir.isEmpty())
            QDir(m_sockDir).removeRecursively();
    }

    void socketIsReachableByEveryone()
    {
        const QFileInfo fi(socketPath());
        QVERIFY(fi.exists());
        QCOMPARE(fi.permissions() & QFile::WriteOther, QFile::WriteOther);
        QCOMPARE(QFileInfo(fi.path()).permissions() & QFile::ExeOther, QFile::ExeOther);
    }

    void statusCommand()
    {
        ClientRun r = client({QStringLiteral("--status"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject status = r.json.value(QStringLiteral("status")).toObject();
        QCOMPARE(status.value(QStringLiteral("server")).toString(), QStringLiteral("http://127.0.0.1:9/api-agent.php"));
        QVERIFY(!status.value(QStringLiteral("state")).toString().isEmpty());
        QVERIFY(r.json.value(QStringLiteral("power")).toObject().contains(QStringLiteral("pending")));
        r = client({QStringLiteral("--status")}, nobody());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("Server:        http://127.0.0.1:9/api-agent.php")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("Power action:  none pending")));
    }

    void statusWithoutService()
    {
        QProcess p;
        p.start(QStringLiteral(OCO_AGENT_BIN),
                {QStringLiteral("--socket"), m_sockDir + QStringLiteral("/none.sock"), QStringLiteral("--status")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 69);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("is oco-agent running?")));
    }

    void unprivilegedUserReadsButCannotChange()
    {
        const QString before = m_h->readConfig();
        ClientRun r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobody());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(r.json.value(QStringLiteral("can_change")).toBool(), false);
        QVERIFY(r.json.value(QStringLiteral("reason")).toString().contains(m_group));
        const QJsonObject s = r.json.value(QStringLiteral("settings")).toObject();
        QCOMPARE(s.value(QStringLiteral("agent_key_set")).toBool(), true);
        QCOMPARE(s.value(QStringLiteral("server_key_set")).toBool(), true);
        QVERIFY(!r.out.contains(QStringLiteral("SECRET")));

        r = request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                     {QStringLiteral("settings"), QJsonObject{{QStringLiteral("query-interval"), 5}}}},
                    nobody());
        QCOMPARE(r.exitCode, 4);
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(r.json.value(QStringLiteral("reason")).toString(),
                 QStringLiteral("only root or members of group '%1' may do this").arg(m_group));

        r = client({QStringLiteral("--cancel-power-action")}, nobody());
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(QStringLiteral("only root or members of group")), qPrintable(r.err));

        for (const char *type : {"postpone", "power_now"}) {
            r = request({{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("minutes"), 60}}, nobody());
            QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
            QVERIFY(r.json.value(QStringLiteral("reason")).toString().contains(QStringLiteral("logged in")));
        }
        r = request({{QStringLiteral("type"), QStringLiteral("check_now")}}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(m_h->readConfig(), before);

        // Once logged in on this machine the same user may postpone (there is just nothing pending).
        writeSessions(R"([{"id":"7","uid":65534,"type":"tty","tty":""}])");
        r = request({{QStringLiteral("type"), QStringLiteral("postpone")}, {QStringLiteral("minutes"), 60}}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("reason")).toString(),
                 QStringLiteral("no restart or shutdown is pending"));
        r = client({QStringLiteral("--status"), QStringLiteral("--json")}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("peer")).toObject().value(QStringLiteral("has_session")).toBool(), true);
        QCOMPARE(r.json.value(QStringLiteral("peer")).toObject().value(QStringLiteral("admin")).toBool(), false);
        r = request({{QStringLiteral("type"), QStringLiteral("cancel_power")}}, nobody());
        QVERIFY(r.json.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("only root")));
        writeSessions("[]");
    }

    void adminGroupMemberCanChange()
    {
        ClientRun r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobodyInAdminGroup());
        QCOMPARE(r.json.value(QStringLiteral("can_change")).toBool(), true);

        // Refusals first: nothing of a refused change is written.
        const QString before = m_h->readConfig();
        r = request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                     {QStringLiteral("settings"), QJsonObject{{QStringLiteral("query-interval"), 1800},
                                                              {QStringLiteral("max-postponements"), -1}}}},
                    nobodyInAdminGroup());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(r.json.value(QStringLiteral("reason")).toString().contains(QStringLiteral("max-postponements")),
                 qPrintable(r.out));
        r = request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                     {QStringLiteral("settings"), QJsonObject{{QStringLiteral("query-interval"),
                                                               QStringLiteral("60\n[agent]\nagent-key = evil")}}}},
                    nobodyInAdminGroup());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY(r.json.value(QStringLiteral("reason")).toString().contains(QStringLiteral("single line")));
        r = request(
            {{QStringLiteral("type"), QStringLiteral("set_settings")},
             {QStringLiteral("settings"), QJsonObject{{QStringLiteral("control-socket"), QStringLiteral("/x")}}}},
            nobodyInAdminGroup());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(m_h->readConfig(), before);

        r = request(
            {{QStringLiteral("type"), QStringLiteral("set_settings")},
             {QStringLiteral("settings"), QJsonObject{{QStringLiteral("query-interval"), 1800},
                                                      {QStringLiteral("postpone-choices"), QJsonArray{30, 90}}}}},
            nobodyInAdminGroup());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.json.value(QStringLiteral("ok")).toBool(), qPrintable(r.out));
        QCOMPARE(m_h->configValue(QStringLiteral("agent"), QStringLiteral("query-interval")), QStringLiteral("1800"));
        QCOMPARE(m_h->configValue(QStringLiteral("power"), QStringLiteral("postpone-choices")),
                 QStringLiteral("30,90"));
        QCOMPARE(m_h->configValue(QStringLiteral("agent"), QStringLiteral("agent-key")),
                 QStringLiteral("SECRETAGENTKEY42"));
        r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("query-interval")).toInt(),
                 1800);

        // Allowed to cancel; there is just nothing to cancel.
        r = client({QStringLiteral("--cancel-power-action")}, nobodyInAdminGroup());
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(QStringLiteral("no restart or shutdown is pending")), qPrintable(r.err));
    }

    // Whatever amounts to running code as root or to trusting another server is refused through the socket,
    // for admins and for root alike: root edits the file.
    void rootSettingsStayInTheFile()
    {
        const QString before = m_h->readConfig();
        const QJsonObject attempts{
            {QStringLiteral("restart-command"),
             QJsonArray{QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("id > /tmp/oco-pwned")}},
            {QStringLiteral("shutdown-command"), QJsonArray{QStringLiteral("/tmp/evil")}},
            {QStringLiteral("api-url"), QStringLiteral("http://127.0.0.1:1/api-agent.php")},
            {QStringLiteral("payload-url"), QStringLiteral("http://127.0.0.1:1/payloadprovider.php")},
            {QStringLiteral("protocol"), QStringLiteral("current")},
            {QStringLiteral("ca-file"), QStringLiteral("/tmp/evil-ca.pem")},
            {QStringLiteral("pin-sha256"), QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")},
            {QStringLiteral("proxy"), QStringLiteral("http://127.0.0.1:3128")},
            {QStringLiteral("server-key"), QStringLiteral("evil")},
            {QStringLiteral("agent-key"), QStringLiteral("evil")},
            {QStringLiteral("admin-group"), QStringLiteral("users")},
            {QStringLiteral("hostname-remove-domain"), false},
            {QStringLiteral("control-socket"), QStringLiteral("/tmp/evil.sock")},
        };
        for (const QStringList &who : {nobodyInAdminGroup(), QStringList()}) {
            for (auto it = attempts.begin(); it != attempts.end(); ++it) {
                const ClientRun r = request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                                             {QStringLiteral("settings"), QJsonObject{{it.key(), it.value()}}}},
                                            who);
                QCOMPARE(r.exitCode, 4);
                QVERIFY2(
                    r.json.value(QStringLiteral("reason"))
                        .toString()
                        .startsWith(
                            QStringLiteral("%1 can be changed only by root, in %2: ").arg(it.key(), m_h->configPath())),
                    qPrintable(it.key() + QLatin1Char(' ') + r.out));
            }
            // Settings of ours the socket never offered stay out too.
            const ClientRun r = request(
                {{QStringLiteral("type"), QStringLiteral("set_settings")},
                 {QStringLiteral("settings"), QJsonObject{{QStringLiteral("service-checks"), QStringLiteral("/tmp")}}}},
                who);
            QCOMPARE(r.json.value(QStringLiteral("reason")).toString(),
                     QStringLiteral("'service-checks' is not a setting that can be changed here"));
        }
        QCOMPARE(m_h->readConfig(), before);
        const ClientRun r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobodyInAdminGroup());
        const QJsonObject fileOnly = r.json.value(QStringLiteral("file_only")).toObject();
        for (auto it = attempts.begin(); it != attempts.end(); ++it)
            QVERIFY2(fileOnly.contains(it.key()), qPrintable(it.key()));
        QVERIFY(!fileOnly.contains(QStringLiteral("query-interval")));
        // The desk settings stay with the admins and root.
        for (const QStringList &who : {nobodyInAdminGroup(), QStringList()}) {
            const ClientRun ok =
                request({{QStringLiteral("type"), QStringLiteral("set_settings")},
                         {QStringLiteral("settings"), QJsonObject{{QStringLiteral("debug"), false},
                                                                  {QStringLiteral("reminder-interval-minutes"), 30},
                                                                  {QStringLiteral("read-timeout"), 100}}}},
                        who);
            QVERIFY2(ok.json.value(QStringLiteral("ok")).toBool(), qPrintable(ok.out));
        }
    }

    // Passwords inside URLs are root's; job output and the history's messages are for admins and root; debug
    // lines (whole server replies, procedures included) for root only.
    void plainUsersSeeNoSecrets()
    {
        // get_settings and the status push of the main service: its proxy and server carry no password.
        ClientRun r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("proxy")).toString(),
                 QStringLiteral("http://proxyuser:***@127.0.0.1:9"));
        QVERIFY2(!r.out.contains(QStringLiteral("PROXYPASS42")), qPrintable(r.out));
        r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobodyInAdminGroup());
        QVERIFY2(!r.out.contains(QStringLiteral("PROXYPASS42")), qPrintable(r.out));
        r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}});
        QVERIFY(r.out.contains(QStringLiteral("PROXYPASS42")));

        TestServer server;
        QVERIFY(server.listen());
        server.addComputer(QStringLiteral("secretpc"), QStringLiteral("secretkey"));
        server.addJob(QStringLiteral("secretpc"), 91, 1, 7, QStringLiteral("echo JOBOUTPUTSECRET42"), false);
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("secretpc"));
        const QString sock = m_sockDir + QStringLiteral("/secrets.sock");
        QString api = server.apiUrl().toString();
        api.replace(QStringLiteral("http://"), QStringLiteral("http://apiuser:APIPASS42@"));
        // writeLegacyConfig sets debug = 1: every request and reply is logged.
        h.writeLegacyConfig(
            api, QStringLiteral("secretkey"), server.payloadUrl().toString(),
            QStringLiteral("[agent]\nquery-interval = 3600\ncontrol-socket = %1\n[power]\nadmin-group = %2\n")
                .arg(sock, m_group));
        auto svc = h.start({QStringLiteral("--daemon")});
        QVERIFY(QTest::qWaitFor([&] { return server.job(91)->state == 3; }, 30000));
        auto statusAs = [&](const QStringList &who) {
            QProcess p;
            p.start(who.isEmpty() ? QStringLiteral(OCO_AGENT_BIN) : QStringLiteral("setpriv"),
                    (who.isEmpty() ? QStringList() : who + QStringList{QStringLiteral(OCO_AGENT_BIN)}) +
                        QStringList{QStringLiteral("--socket"), sock, QStringLiteral("--status"),
                                    QStringLiteral("--json")});
            [&] { QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000)); }();
            return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        };
        auto history = [](const QJsonObject &all) {
            return all.value(QStringLiteral("jobs"))
                .toObject()
                .value(QStringLiteral("history"))
                .toArray()
                .at(0)
                .toObject();
        };
        auto debugLines = [](const QJsonObject &all) {
            int n = 0;
            for (const QJsonValue &l :
                 all.value(QStringLiteral("log")).toObject().value(QStringLiteral("lines")).toArray())
                n += l.toObject().value(QStringLiteral("level")).toString() == QLatin1String("debug") ? 1 : 0;
            return n;
        };
        // Wait until the history holds the job (the push follows the report).
        QVERIFY(QTest::qWaitFor([&] { return !history(statusAs({})).isEmpty(); }, 20000));

        const QJsonObject user = statusAs(nobody());
        const QByteArray userText = QJsonDocument(user).toJson();
        QVERIFY2(!userText.contains("JOBOUTPUTSECRET42") && !userText.contains("APIPASS42"), userText.constData());
        QCOMPARE(history(user).value(QStringLiteral("package_id")).toInt(), 7);
        QCOMPARE(history(user).value(QStringLiteral("return_code")).toInt(), 0);
        QCOMPARE(history(user).value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(!history(user).contains(QStringLiteral("message")));
        QVERIFY(user.value(QStringLiteral("status"))
                    .toObject()
                    .value(QStringLiteral("server"))
                    .toString()
                    .contains(QStringLiteral("apiuser:***@")));
        QCOMPARE(debugLines(user), 0);
        QVERIFY(!user.value(QStringLiteral("log")).toObject().value(QStringLiteral("lines")).toArray().isEmpty());

        const QJsonObject admin = statusAs(nobodyInAdminGroup());
        const QByteArray adminText = QJsonDocument(admin).toJson();
        QVERIFY(
            history(admin).value(QStringLiteral("message")).toString().contains(QStringLiteral("JOBOUTPUTSECRET42")));
        QVERIFY2(!adminText.contains("APIPASS42"), adminText.constData());
        QCOMPARE(debugLines(admin), 0);

        const QJsonObject root = statusAs({});
        QVERIFY(QJsonDocument(root).toJson().contains("APIPASS42"));
        QVERIFY(debugLines(root) > 0);
        svc->terminate();
        QVERIFY(QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000));
    }

    // check_now and test_connection from a local user: at most one contact a minute, and none while the server
    // refuses the key (its fail2ban counts every refusal). Counted at the test server.
    void localRequestsAreRateLimited()
    {
        TestServer server;
        QVERIFY(server.listen());
        TestServer::Computer &pc = server.addComputer(QStringLiteral("ratepc"), QStringLiteral("ratekey"));
        pc.lastUpdate = QDateTime::currentDateTimeUtc();
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("ratepc"));
        const QString sock = m_sockDir + QStringLiteral("/rate.sock");
        h.writeLegacyConfig(server.apiUrl().toString(), QStringLiteral("ratekey"), server.payloadUrl().toString(),
                            QStringLiteral("[agent]\nquery-interval = 3600\ncontrol-socket = %1\n").arg(sock));
        auto svc = h.start({QStringLiteral("--daemon")});
        QVERIFY(QTest::qWaitFor([&] { return server.countRequests(QStringLiteral("oco.agent_hello")) == 1; }, 20000));
        QVERIFY(QTest::qWaitFor(
            [&] { return !h.configValue(QStringLiteral("server"), QStringLiteral("server-key")).isEmpty(); }, 10000));
        auto contacts = [&] { return server.requests.size(); };
        // One shell loop as uid 65534: every request its own client process, as a script would do it.
        auto loop = [&](const QStringList &who, int rounds) {
            const QString one =
                QStringLiteral("'%1' --socket '%2' --control-request").arg(QStringLiteral(OCO_AGENT_BIN), sock);
            const QString script =
                QStringLiteral("for i in $(seq %1); do for t in check_now test_connection; do "
                               "%2 \"{\\\"type\\\":\\\"$t\\\"}\"; r=$?; [ $r = 0 ] || [ $r = 4 ] || exit $r; "
                               "done; done >/dev/null")
                    .arg(rounds)
                    .arg(one);
            QProcess p;
            if (who.isEmpty())
                p.start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
            else
                p.start(QStringLiteral("setpriv"),
                        who + QStringList{QStringLiteral("sh"), QStringLiteral("-c"), script});
            // Refusals (exit 4) are fine here; a client that cannot reach the service (69) is not.
            QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 200000));
            QCOMPARE(p.exitCode(), 0);
        };
        QElapsedTimer elapsed;
        elapsed.start();
        const qsizetype before = contacts();
        loop(nobody(), 15);
        // The first cycle's contact started the minute; each further minute may bring one contact.
        const qint64 minutes = elapsed.elapsed() / 60000;
        QVERIFY2(
            contacts() - before <= minutes + 1,
            qPrintable(QStringLiteral("%1 requests in %2 s").arg(contacts() - before).arg(elapsed.elapsed() / 1000)));
        QVERIFY(QTest::qWaitFor([&] { return serviceLogOf(*svc).contains(QStringLiteral("planned for")); }, 10000));

        // The server refuses the key: a root check_now meets the refusal once, then nobody's requests and root's
        // wait for the back-off.
        server.computer(QStringLiteral("ratepc"))->agentKey = QStringLiteral("changed-on-the-server");
        const int hellos = server.countRequests(QStringLiteral("oco.agent_hello"));
        ClientRun r = clientOn(sock, {QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"check_now\"}")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QTest::qWaitFor([&] { return serviceLogOf(*svc).contains(QStringLiteral("backing off")); }, 20000));
        QCOMPARE(server.countRequests(QStringLiteral("oco.agent_hello")), hellos + 1);
        const qsizetype refused = contacts();
        loop(nobody(), 5);
        loop({}, 3);
        r = clientOn(sock, {QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"test_connection\"}")});
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(
            r.json.value(QStringLiteral("result")).toString().contains(QStringLiteral("refused this computer's key")),
            qPrintable(r.out));
        QCOMPARE(contacts(), refused);
        svc->terminate();
        QVERIFY(QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000));
    }

    // Before the first successful contact a connection test must not register the computer: the key the server
    // hands over once would stay in the test's copy and the real agent be refused ever after.
    void testConnectionBeforeFirstContactRegistersNothing()
    {
        TestServer server;
        server.dialect = TestServer::Generation::Current;
        server.selfRegistration = true;
        QVERIFY(server.listen());
        bool down = true; // the first contact fails: the service starts before the server is ready
        server.interceptor = [&](const RecordedRequest &req, HttpReply *reply) {
            if (!down || req.rpcMethod != QLatin1String("oco.agent.hello"))
                return false;
            reply->status = 503;
            reply->reason = "Service Unavailable";
            reply->contentType = "text/plain";
            reply->body = "maintenance";
            return true;
        };
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("newpc"));
        const QString sock = h.dir() + QStringLiteral("/ctl.sock");
        h.writeConfig(QStringLiteral("[agent]\nagent-key = %1\nquery-interval = 3600\nconnection-timeout = 5\n"
                                     "control-socket = %2\n[server]\napi-url = %3\nprotocol = current\n")
                          .arg(server.registrationKey, sock, server.apiUrl().toString()));
        auto svc = h.start({QStringLiteral("--daemon")});
        QVERIFY(QTest::qWaitFor([&] { return server.countRequests(QStringLiteral("oco.agent.hello")) == 1; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return serviceLogOf(*svc).contains(QStringLiteral("contact failed")); }, 20000));
        down = false;

        const ClientRun r =
            clientOn(sock, {QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"test_connection\"}")});
        QVERIFY2(r.json.value(QStringLiteral("ok")).toBool(), qPrintable(r.out));
        QVERIFY2(r.json.value(QStringLiteral("result")).toString().contains(QStringLiteral("not been registered")),
                 qPrintable(r.out));
        QCOMPARE(server.countRequests(QStringLiteral("oco.agent.hello")), 1);
        QVERIFY(server.computers.isEmpty());
        QCOMPARE(h.configValue(QStringLiteral("agent"), QStringLiteral("agent-key")), server.registrationKey);

        // The real first contact registers the computer and keeps its key; the next contact is accepted.
        clientOn(sock, {QStringLiteral("--control-request"), QStringLiteral("{\"type\":\"check_now\"}")});
        QVERIFY(QTest::qWaitFor([&] { return server.computer(QStringLiteral("newpc")) != nullptr; }, 20000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return h.configValue(QStringLiteral("agent"), QStringLiteral("agent-key")) != server.registrationKey;
            },
            20000));
        QCOMPARE(h.configValue(QStringLiteral("agent"), QStringLiteral("agent-key")),
                 server.computer(QStringLiteral("newpc"))->agentKey);
        svc->terminate();
        QVERIFY(QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000));
    }

    void handshake()
    {
        LineClient early(socketPath());
        early.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), 1}});
        QVERIFY(early.waitFor(QStringLiteral("refused")));
        QCOMPARE(early.find(QStringLiteral("refused")).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("the first message must be a hello"));
        QVERIFY(QTest::qWaitFor([&] { return early.closed; }, 10000));

        LineClient future(socketPath());
        future.hello(2);
        QVERIFY(future.waitFor(QStringLiteral("refused")));
        QCOMPARE(future.find(QStringLiteral("refused")).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("protocol version 2 is not supported; this service speaks 1"));
        QVERIFY(QTest::qWaitFor([&] { return future.closed; }, 10000));

        LineClient good(socketPath());
        good.hello();
        QVERIFY(good.waitFor(QStringLiteral("welcome")));
        const QJsonObject peer = good.find(QStringLiteral("welcome")).value(QStringLiteral("peer")).toObject();
        QCOMPARE(peer.value(QStringLiteral("uid")).toInt(), 0);
        QCOMPARE(peer.value(QStringLiteral("admin")).toBool(), true);
        QCOMPARE(peer.value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());
        // The current state follows the welcome.
        for (const char *type : {"status", "jobs", "power", "log", "inventory"})
            QVERIFY2(good.waitFor(QLatin1String(type)), type);
        QVERIFY(!good.find(QStringLiteral("log")).value(QStringLiteral("lines")).toArray().isEmpty());
    }

    void malformedAndOversizedCloseOnlyThatConnection()
    {
        LineClient bystander(socketPath());
        bystander.hello();
        QVERIFY(bystander.waitFor(QStringLiteral("welcome")));

        const QList<QByteArray> bad{"{not json\n", "[1,2]\n", QByteArray(70 * 1024, 'x'),
                                    "{\"type\":\"ping\",\"pad\":\"" + QByteArray(70 * 1024, 'y') + "\"}\n"};
        for (const QByteArray &raw : bad) {
            LineClient c(socketPath());
            c.hello();
            QVERIFY(c.waitFor(QStringLiteral("welcome")));
            c.send(raw);
            QVERIFY(c.waitFor(QStringLiteral("refused")));
            QVERIFY(QTest::qWaitFor([&] { return c.closed; }, 10000));
        }
        static int id = 100;
        bystander.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), ++id}});
        QVERIFY(bystander.waitFor(QStringLiteral("reply"), id));
        QVERIFY(!bystander.closed);
        // Unknown requests are refused with a reason, and the connection stays.
        bystander.send(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("format_disk")}, {QStringLiteral("id"), ++id}});
        QVERIFY(bystander.waitFor(QStringLiteral("reply"), id));
        QCOMPARE(bystander.find(QStringLiteral("reply"), id).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("unknown request type 'format_disk'"));
        QVERIFY(!bystander.closed);
    }

    void adminVoiceIsPushed()
    {
        LineClient c(socketPath());
        c.hello();
        QVERIFY(c.waitFor(QStringLiteral("ui")));
        const QJsonObject ui = c.find(QStringLiteral("ui"));
        QCOMPARE(ui.value(QStringLiteral("organisation")).toObject().value(QString()).toString(),
                 QStringLiteral("Example IT"));
        QCOMPARE(ui.value(QStringLiteral("message")).toObject().value(QStringLiteral("de")).toString(),
                 QStringLiteral("Bitte speichern Sie."));
        QCOMPARE(ui.value(QStringLiteral("helpdesk_url")).toObject().value(QString()).toString(),
                 QStringLiteral("mailto:it@example.org"));
        // The logo's bytes, read by the service: the tray never needs to read root's files.
        QCOMPARE(QByteArray::fromBase64(ui.value(QStringLiteral("logo")).toString().toLatin1()), kLogo);
        // The settings dialog shows them, translations too, as root's to change in the file.
        const ClientRun r = request({{QStringLiteral("type"), QStringLiteral("get_settings")}}, nobody());
        const QJsonObject settings = r.json.value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("message[de]")).toString(), QStringLiteral("Bitte speichern Sie."));
        QCOMPARE(settings.value(QStringLiteral("organisation")).toString(), QStringLiteral("Example IT"));
        const QJsonObject fileOnly = r.json.value(QStringLiteral("file_only")).toObject();
        for (const char *key : {"organisation", "message", "message[de]", "logo", "helpdesk-url", "info-url"})
            QVERIFY2(fileOnly.contains(QLatin1String(key)), key);
    }

    void busySessionsAreLoggedWithinBounds()
    {
        // Anyone may say so (the tray runs as the user); the service only logs it, a bounded number of times.
        ClientRun r = request({{QStringLiteral("type"), QStringLiteral("session_busy")},
                               {QStringLiteral("busy"), true},
                               {QStringLiteral("why"), QStringLiteral("the camera is in use by zoom\nFAKE LINE")}},
                              nobody());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), true);
        QVERIFY2(QTest::qWaitFor([&] { return serviceLog().contains(QStringLiteral("FAKE LINE")); }, 10000) &&
                     serviceLog().contains(QStringLiteral("is busy: the camera is in use by zoom FAKE LINE")),
                 qPrintable(serviceLog().right(2000)));
        r = request({{QStringLiteral("type"), QStringLiteral("session_busy")}}, nobody());
        QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), false);

        LineClient c(socketPath());
        c.hello();
        QVERIFY(c.waitFor(QStringLiteral("welcome")));
        const int flaps = 2 * kBusyLogBurst;
        for (int i = 0; i < flaps; ++i)
            c.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("session_busy")},
                               {QStringLiteral("id"), i},
                               {QStringLiteral("busy"), i % 2 == 0},
                               {QStringLiteral("why"), QStringLiteral("presenting")}});
        QVERIFY(c.waitFor(QStringLiteral("reply"), flaps - 1));
        for (int i = 0; i < flaps; ++i)
            QCOMPARE(c.find(QStringLiteral("reply"), i).value(QStringLiteral("ok")).toBool(), true);
        c.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), 100}});
        QVERIFY(c.waitFor(QStringLiteral("reply"), 100));
        QVERIFY(QTest::qWaitFor([&] { return serviceLog().count(QStringLiteral("(uid 0, pid ")) >= kBusyLogBurst; },
                                10000));
        QCOMPARE(serviceLog().count(QStringLiteral("(uid 0, pid ")), kBusyLogBurst);
    }

    void pushesFollowChanges()
    {
        LineClient c(socketPath());
        c.hello();
        QVERIFY(c.waitFor(QStringLiteral("status")));
        c.received.clear();
        c.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("check_now")}, {QStringLiteral("id"), 1}});
        QVERIFY(c.waitFor(QStringLiteral("reply"), 1));
        // The contact fails (nothing listens on port 9): pushes show it starting, then the error.
        const bool pushed = QTest::qWaitFor(
            [&] {
                bool contacting = false;
                for (const QJsonObject &o : qAsConst(c.received)) {
                    if (o.value(QStringLiteral("type")) != QLatin1String("status"))
                        continue;
                    if (o.value(QStringLiteral("state")) == QLatin1String("contacting"))
                        contacting = true;
                    else if (contacting && o.value(QStringLiteral("state")) == QLatin1String("error") &&
                             !o.value(QStringLiteral("last_contact")).toString().isEmpty())
                        return true;
                }
                return false;
            },
            20000);
        if (!pushed)
            for (const QJsonObject &o : qAsConst(c.received))
                qWarning() << o;
        QVERIFY(pushed);
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QJsonObject &o : qAsConst(c.received))
                    if (o.value(QStringLiteral("type")) == QLatin1String("log"))
                        for (const QJsonValue &l : o.value(QStringLiteral("lines")).toArray())
                            if (l.toObject()
                                    .value(QStringLiteral("message"))
                                    .toString()
                                    .contains(QStringLiteral("asked for a contact now")))
                                return true;
                return false;
            },
            10000));
        const QJsonObject status = c.find(QStringLiteral("status"));
        QCOMPARE(status.value(QStringLiteral("error_kind")).toString(), QStringLiteral("unreachable"));
    }

    void stalledClientIsDropped()
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
        struct sockaddr_un addr
        {
        };
        addr.sun_family = AF_UNIX;
        const QByteArray path = QFile::encodeName(socketPath());
        std::memcpy(addr.sun_path, path.constData(), static_cast<size_t>(path.size()));
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        const QByteArray hello = "{\"type\":\"hello\",\"version\":1,\"client\":\"stalled\"}\n";
        QCOMPARE(::send(fd, hello.constData(), static_cast<size_t>(hello.size()), MSG_NOSIGNAL), hello.size());
        // Ask for a lot and never read a byte.
        QByteArray burst;
        for (int i = 0; i < 200; ++i)
            burst += "{\"type\":\"get_settings\",\"id\":1}\n";
        bool dropped = false;
        QDeadlineTimer deadline(60000);
        qint64 sent = 0;
        while (!deadline.hasExpired() && !dropped) {
            const ssize_t n = ::send(fd, burst.constData(), static_cast<size_t>(burst.size()), MSG_NOSIGNAL);
            if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
                dropped = true;
            } else if (n < 0 && errno == EAGAIN) {
                struct pollfd p
                {
                    fd, POLLOUT, 0
                };
                ::poll(&p, 1, 100);
                if (p.revents & (POLLHUP | POLLERR))
                    dropped = true;
            } else if (n > 0) {
                sent += n;
            }
        }
        ::close(fd);
        QVERIFY2(dropped, qPrintable(QStringLiteral("sent %1 bytes").arg(sent)));
        // The service goes on serving others.
        const ClientRun r = client({QStringLiteral("--status"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QTest::qWaitFor(
            [&] { return serviceLog().contains(QStringLiteral("does not read what the service sends")); }, 10000));
    }

    // 64 clients that never read, each asking for more than it takes: the service's memory stays bounded by the
    // limit for all clients together, not 64 times the limit for one.
    void nonReadingClientsAreCappedTogether()
    {
        // A service of its own: under AddressSanitizer freed memory waits in a quarantine (256 MB) and would
        // count as peak memory; only what is held matters here.
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        const QString sock = m_sockDir + QStringLiteral("/flood.sock");
        h.writeConfig(QStringLiteral("[agent]\nagent-key = k\nquery-interval = 3600\nconnection-timeout = 2\n"
                                     "control-socket = %1\n[server]\napi-url = http://127.0.0.1:9/api-agent.php\n"
                                     "protocol = 2021\n")
                          .arg(sock));
        const QString asan = h.environment.value(QStringLiteral("ASAN_OPTIONS"));
        h.environment.insert(QStringLiteral("ASAN_OPTIONS"), (asan.isEmpty() ? QString() : asan + QLatin1Char(':')) +
                                                                 QStringLiteral("quarantine_size_mb=0"));
        auto svc = h.start({QStringLiteral("--daemon")});
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(sock); }, 15000));
        QCOMPARE(clientOn(sock, {QStringLiteral("--status")}).exitCode, 0);
        auto peakKiB = [&] {
            QFile f(QStringLiteral("/proc/%1/status").arg(svc->processId()));
            [&] { QVERIFY(f.open(QIODevice::ReadOnly)); }();
            for (const QByteArray &line : f.readAll().split('\n'))
                if (line.startsWith("VmHWM:"))
                    return line.mid(6).trimmed().split(' ').first().toLongLong();
            return -1LL;
        };
        const qint64 before = peakKiB();
        QVERIFY(before > 0);
        const QByteArray path = QFile::encodeName(sock);
        std::vector<int> fds;
        for (int i = 0; i < 64; ++i) {
            const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            QVERIFY(fd >= 0);
            struct sockaddr_un addr
            {
            };
            addr.sun_family = AF_UNIX;
            std::memcpy(addr.sun_path, path.constData(), static_cast<size_t>(path.size()));
            QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
            ::fcntl(fd, F_SETFL, O_NONBLOCK);
            const QByteArray hello = "{\"type\":\"hello\",\"version\":1,\"client\":\"flood\"}\n";
            QCOMPARE(::send(fd, hello.constData(), static_cast<size_t>(hello.size()), MSG_NOSIGNAL), hello.size());
            fds.push_back(fd);
        }
        // Round by round every client asks for about 300 KB more, until each is dropped or has asked for 6 MiB.
        QByteArray burst;
        for (int i = 0; i < 200; ++i)
            burst += "{\"type\":\"get_settings\",\"id\":1}\n";
        std::vector<bool> dropped(fds.size(), false);
        for (int round = 0; round < 20; ++round) {
            for (size_t i = 0; i < fds.size(); ++i) {
                if (dropped[i])
                    continue;
                const ssize_t n = ::send(fds[i], burst.constData(), static_cast<size_t>(burst.size()), MSG_NOSIGNAL);
                if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
                    dropped[i] = true;
            }
            // The service answers a status request only after it handled what came before on its loop. Under
            // AddressSanitizer that can outlast the client's 10 s to connect: ask again, within a bound.
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return clientOn(sock, {QStringLiteral("--status"), QStringLiteral("--json")}).exitCode == 0;
                },
                120000));
        }
        const qint64 after = peakKiB();
        for (int fd : fds)
            ::close(fd);
        // 64 clients at 4 MiB each would be 256 MiB; all together may hold 16 MiB (plus the allocator's slack).
        QVERIFY2(after - before < 64 * 1024,
                 qPrintable(QStringLiteral("peak RSS %1 KiB -> %2 KiB").arg(before).arg(after)));
        QVERIFY(QTest::qWaitFor(
            [&] { return serviceLogOf(*svc).contains(QStringLiteral("all clients together have more than")); }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return clientOn(sock, {QStringLiteral("--status")}).exitCode == 0; }, 120000));
        svc->terminate();
        QVERIFY(QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000));
    }

    // The socket's directory must be the service's own and writable by nobody else: whoever can write there
    // can take the socket's name.
    void socketDirectoryMustBeTheServices()
    {
        for (const bool othersOwnIt : {true, false}) {
            const QString dir = m_sockDir + (othersOwnIt ? QStringLiteral("/squatted") : QStringLiteral("/open"));
            QVERIFY(QDir().mkpath(dir));
            if (othersOwnIt)
                QCOMPARE(::chown(QFile::encodeName(dir).constData(), 65534, 65534), 0);
            QCOMPARE(::chmod(QFile::encodeName(dir).constData(), othersOwnIt ? 0755 : 0777), 0);
            AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
            h.writeConfig(QStringLiteral("[agent]\nagent-key = k\nquery-interval = 3600\nconnection-timeout = 2\n"
                                         "control-socket = %1/control.sock\n[server]\n"
                                         "api-url = http://127.0.0.1:9/api-agent.php\nprotocol = 2021\n")
                              .arg(dir));
            auto p = h.start({QStringLiteral("--daemon")});
            QString log;
            const bool refused = QTest::qWaitFor(
                [&] {
                    log += QString::fromUtf8(p->readAllStandardError());
                    return log.contains(QStringLiteral("no control socket"));
                },
                15000);
            p->terminate();
            p->waitForFinished(15000);
            QVERIFY2(refused, qPrintable(log));
            QVERIFY2(log.contains(othersOwnIt ? QStringLiteral("belongs to uid 65534")
                                              : QStringLiteral("writable by others")),
                     qPrintable(log));
            QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/control.sock")));
        }
    }

    // The CLI talks only to root or to its own user: a socket served by anyone else is an impostor.
    void clientRefusesAnImpostor()
    {
        const QString dir = m_sockDir + QStringLiteral("/impostor");
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/state")));
        const QString sock = dir + QStringLiteral("/control.sock");
        QFile config(dir + QStringLiteral("/oco-agent.ini"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("[agent]\nagent-key = k\nquery-interval = 3600\nconnection-timeout = 2\n"
                                    "control-socket = %1\n[server]\napi-url = http://127.0.0.1:9/api-agent.php\n"
                                    "protocol = 2021\n")
                         .arg(sock)
                         .toUtf8());
        config.close();
        for (const QString &f : {dir, dir + QStringLiteral("/state"), config.fileName()})
            QCOMPARE(::chown(QFile::encodeName(f).constData(), 65534, 65534), 0);
        // The real service, run by uid 65534 in its own directory, plays the impostor.
        QProcess impostor;
        impostor.start(QStringLiteral("setpriv"),
                       nobody() + QStringList{QStringLiteral(OCO_AGENT_BIN), QStringLiteral("--daemon"),
                                              QStringLiteral("--config"), config.fileName(),
                                              QStringLiteral("--state-dir"), dir + QStringLiteral("/state")});
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(sock); }, 15000));
        ClientRun r = clientOn(sock, {QStringLiteral("--status")});
        QCOMPARE(r.exitCode, 69);
        QVERIFY2(r.err.contains(QStringLiteral("is served by uid 65534, not by root")), qPrintable(r.err));
        // Its own user may talk to it: nothing is gained by impersonating oneself.
        r = clientOn(sock, {QStringLiteral("--status")}, nobody());
        QCOMPARE(r.exitCode, 0);
        impostor.terminate();
        QVERIFY(impostor.waitForFinished(15000));
    }

    void hundredClientsAtOnce()
    {
        std::vector<std::unique_ptr<LineClient>> clients;
        for (int i = 0; i < 100; ++i) {
            clients.push_back(std::make_unique<LineClient>(socketPath()));
            clients.back()->hello();
            clients.back()->send(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("id"), i}});
        }
        const bool all = QTest::qWaitFor(
            [&] {
                for (int i = 0; i < 100; ++i)
                    if (clients[static_cast<size_t>(i)]->find(QStringLiteral("reply"), i).isEmpty())
                        return false;
                return true;
            },
            60000);
        if (!all)
            for (const auto &c : clients)
                if (c->find(QStringLiteral("reply")).isEmpty())
                    qWarning() << c->socket.state() << c->socket.errorString() << c->closed << c->received;
        QVERIFY(all);
        for (const auto &c : clients) {
            QVERIFY(!c->closed);
            QVERIFY(!c->find(QStringLiteral("status")).isEmpty());
        }
        clients.clear();
        QCOMPARE(client({QStringLiteral("--status")}).exitCode, 0);
    }

    void testConnectionIsADryHello()
    {
        TestServer server;
        QVERIFY(server.listen());
        TestServer::Computer &pc =
            server.addComputer(QStringLiteral("drypc"), QStringLiteral("drykey"), QStringLiteral("dryserverkey"));
        pc.lastUpdate = QDateTime::currentDateTimeUtc();
        AgentHarness h(QStringLiteral(OCO_AGENT_BIN));
        h.environment.insert(QStringLiteral("OCO_HOSTNAME"), QStringLiteral("drypc"));
        const QString sock = h.dir() + QStringLiteral("/ctl.sock");
        h.writeLegacyConfig(server.apiUrl().toString(), QStringLiteral("drykey"), server.payloadUrl().toString(),
                            QStringLiteral("[agent]\nquery-interval = 3600\ncontrol-socket = %1\n").arg(sock));
        auto svc = h.start({QStringLiteral("--daemon")});
        // The first cycle stores the server key (trust on first use); the job arrives after it.
        QVERIFY(QTest::qWaitFor([&] { return server.countRequests(QStringLiteral("oco.agent_hello")) == 1; }, 20000));
        QVERIFY(QTest::qWaitFor(
            [&] { return !h.configValue(QStringLiteral("server"), QStringLiteral("server-key")).isEmpty(); }, 10000));
        server.addJob(QStringLiteral("drypc"), 81, 1, 1, QStringLiteral("true"), false);
        const QString config = h.readConfig();
        QProcess c;
        c.start(QStringLiteral(OCO_AGENT_BIN), {QStringLiteral("--socket"), sock, QStringLiteral("--control-request"),
                                                QStringLiteral("{\"type\":\"test_connection\"}")});
        QVERIFY(QTest::qWaitFor([&] { return c.state() == QProcess::NotRunning; }, 30000));
        const QJsonObject reply = QJsonDocument::fromJson(c.readAllStandardOutput()).object();
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(reply.value(QStringLiteral("result")).toString(),
                 QStringLiteral("the server answered (protocol 2021): 1 job(s) waiting, inventory up to date"));
        QCOMPARE(server.countRequests(QStringLiteral("oco.agent_hello")), 2);
        QCOMPARE(server.countRequests(QStringLiteral("oco.update_deploy_status")), 0); // no job was touched
        QCOMPARE(server.job(81)->state, 0);
        QCOMPARE(h.readConfig(), config);

        // A server that answers with a different key fails the test and changes nothing either.
        server.serverKeyOverride = QStringLiteral("impostor");
        c.start(QStringLiteral(OCO_AGENT_BIN), {QStringLiteral("--socket"), sock, QStringLiteral("--control-request"),
                                                QStringLiteral("{\"type\":\"test_connection\"}")});
        QVERIFY(QTest::qWaitFor([&] { return c.state() == QProcess::NotRunning; }, 30000));
        const QJsonObject bad = QJsonDocument::fromJson(c.readAllStandardOutput()).object();
        QCOMPARE(bad.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(bad.value(QStringLiteral("reason")).toString().contains(QStringLiteral("server key")),
                 qPrintable(bad.value(QStringLiteral("reason")).toString()));
        QCOMPARE(h.readConfig(), config);
        svc->terminate();
        QVERIFY(QTest::qWaitFor([&] { return svc->state() == QProcess::NotRunning; }, 20000));
    }

    void reconnectAfterServiceRestart()
    {
        LineClient c(socketPath());
        c.hello();
        QVERIFY(c.waitFor(QStringLiteral("welcome")));
        stopService(true); // SIGKILL: the socket file stays behind
        QVERIFY(QTest::qWaitFor([&] { return c.closed; }, 10000));
        QVERIFY(QFileInfo::exists(socketPath()));
        startService();
        LineClient again(socketPath());
        again.hello();
        QVERIFY(again.waitFor(QStringLiteral("welcome")));
        QVERIFY(again.waitFor(QStringLiteral("status")));
        // A second service on the same socket refuses to steal it (and goes on with its other work).
        AgentHarness second(QStringLiteral(OCO_AGENT_BIN));
        second.writeConfig(m_h->readConfig());
        auto p = second.start({QStringLiteral("--daemon")});
        QString out;
        const bool refused = QTest::qWaitFor(
            [&] {
                out += QString::fromUtf8(p->readAllStandardError());
                return out.contains(QStringLiteral("another service already listens"));
            },
            15000);
        p->kill();
        p->waitForFinished();
        QVERIFY2(refused, qPrintable(out));
        QVERIFY(!again.closed);
    }
};

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
