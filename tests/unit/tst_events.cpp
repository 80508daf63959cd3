// Journal events (docs/agent-behaviour.md §10, docs/server-protocol.md §4.8): rule parsing, filters, UTC, batching, and
// a real journal file read through journalctl.
#include "FeatureServer.h"
#include "features/Events.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <ctime>

using namespace oco;

namespace {

QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    g_log << msg;
}

// Journal entries as journalctl prints them; feeds the collector without journalctl.
class ListSource : public JournalSource
{
public:
    QList<QJsonObject> entries;
    int reads = 0;
    bool read(const EventRule &rule, const std::function<bool(const QJsonObject &)> &sink, QString *) override
    {
        ++reads;
        for (const QJsonObject &e : std::as_const(entries))
            if (EventCollector::entryTimeUtc(e) >= rule.since && !sink(e))
                break;
        return true;
    }
};

QJsonObject entry(qint64 epochSecs, const QString &message, const QString &unit = {}, int priority = 6,
                  const QString &ident = {})
{
    QJsonObject e{{QStringLiteral("__REALTIME_TIMESTAMP"), QString::number(epochSecs * 1000000 + 123456)},
                  {QStringLiteral("MESSAGE"), message},
                  {QStringLiteral("PRIORITY"), QString::number(priority)}};
    if (!unit.isEmpty())
        e.insert(QStringLiteral("_SYSTEMD_UNIT"), unit);
    if (!ident.isEmpty())
        e.insert(QStringLiteral("SYSLOG_IDENTIFIER"), ident);
    return e;
}

QJsonObject rule(const QString &since, const QJsonObject &query, const QString &log = QStringLiteral("journalctl"))
{
    return {{QStringLiteral("since"), since}, {QStringLiteral("log"), log}, {QStringLiteral("query"), query}};
}

QList<QJsonObject> flatten(const QList<QJsonArray> &batches)
{
    QList<QJsonObject> out;
    for (const QJsonArray &b : batches)
        for (const QJsonValue &v : b)
            out << v.toObject();
    return out;
}

// 1700000000 = 2023-11-14 22:13:20 UTC.
constexpr qint64 T0 = 1700000000;

} // namespace

class TestEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // A zone far from UTC, so any local-time slip shows in the timestamps.
        qputenv("TZ", "IST-5:30");
        tzset();
    }

    void parsesRules()
    {
        EventRule r;
        QString err;
        QVERIFY2(EventRule::fromJson(rule(QStringLiteral("2023-11-14 22:13:20"),
                                          {{QStringLiteral("unit"), QStringLiteral("ssh, cron.service")},
                                           {QStringLiteral("priority"), QStringLiteral("0..2,err,4")},
                                           {QStringLiteral("grep"), QStringLiteral("fail(ed|ure)")}}),
                                     &r, &err),
                 qPrintable(err));
        QCOMPARE(r.since.toSecsSinceEpoch(), T0);
        QCOMPARE(r.units, (QStringList{QStringLiteral("ssh"), QStringLiteral("cron.service")}));
        QCOMPARE(r.priorities, (QSet<int>{0, 1, 2, 3, 4}));
        QVERIFY(r.hasGrep);

        // The query may arrive JSON-encoded.
        QJsonObject o = rule(QStringLiteral("2023-11-14 22:13:20"), {});
        o.insert(QStringLiteral("query"), QStringLiteral("{\"identifier\":\"sshd\"}"));
        QVERIFY(EventRule::fromJson(o, &r, &err));
        QCOMPARE(r.identifiers, QStringList{QStringLiteral("sshd")});

        o.insert(QStringLiteral("query"), QStringLiteral("[1, 2"));
        QVERIFY(!EventRule::fromJson(o, &r, &err));
        QVERIFY(err.contains(QStringLiteral("query")));
        o.insert(QStringLiteral("query"), QJsonArray()); // PHP's empty map: no filter
        QVERIFY(EventRule::fromJson(o, &r, &err));
        QVERIFY(r.units.isEmpty() && r.identifiers.isEmpty() && r.priorities.isEmpty() && !r.hasGrep);

        QVERIFY(!EventRule::fromJson(rule(QStringLiteral("yesterday"), {}), &r, &err));
        QVERIFY(err.contains(QStringLiteral("since")));
        QVERIFY(!EventRule::fromJson(
            rule(QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("grep"), QStringLiteral("(")}}), &r, &err));
        QVERIFY(err.contains(QStringLiteral("regular expression")));
        QVERIFY(!EventRule::fromJson(
            rule(QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("priority"), QStringLiteral("9")}}), &r,
            &err));
        QVERIFY(!EventRule::fromJson(QJsonValue(QStringLiteral("x")), &r, &err));
        QJsonObject noLog = rule(QStringLiteral("2023-11-14 22:13:20"), {});
        noLog.remove(QStringLiteral("log"));
        QVERIFY(!EventRule::fromJson(noLog, &r, &err));
    }

    void filtersAndFormatsInUtc()
    {
        ListSource src;
        src.entries = {entry(T0 - 10, QStringLiteral("too old failed"), QStringLiteral("ssh.service"), 3),
                       entry(T0, QStringLiteral("login failed for root"), QStringLiteral("ssh.service"), 3,
                             QStringLiteral("sshd")),
                       entry(T0 + 1, QStringLiteral("login ok"), QStringLiteral("ssh.service"), 3),
                       entry(T0 + 2, QStringLiteral("failed but info"), QStringLiteral("ssh.service"), 6),
                       entry(T0 + 3, QStringLiteral("failed elsewhere"), QStringLiteral("cron.service"), 3),
                       entry(T0 + 4, QString(), QStringLiteral("ssh.service"), 3)};
        EventCollector c(src);
        const QList<QJsonObject> ev = flatten(c.collect(QJsonArray{
            rule(QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("unit"), QStringLiteral("ssh")},
                                                         {QStringLiteral("priority"), QStringLiteral("3")},
                                                         {QStringLiteral("grep"), QStringLiteral("failed")}})}));
        QCOMPARE(ev.size(), 1);
        const QJsonObject e = ev.first();
        QCOMPARE(e.value(QStringLiteral("log")).toString(), QStringLiteral("ssh.service"));
        QCOMPARE(e.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2023-11-14 22:13:20"));
        QCOMPARE(e.value(QStringLiteral("provider")).toString(), QStringLiteral("sshd"));
        QCOMPARE(e.value(QStringLiteral("level")).toInt(), 3);
        QCOMPARE(e.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("login failed for root"));
        QVERIFY(e.contains(QStringLiteral("event_id")));
    }

    void decodesByteArrayFieldsAndDefaultsLog()
    {
        QJsonObject e = entry(T0, QString());
        e.insert(QStringLiteral("MESSAGE"), QJsonArray{104, 105, 0xc3, 0xa4});
        QCOMPARE(EventCollector::fieldText(e, QStringLiteral("MESSAGE")), QString::fromUtf8("hi\xc3\xa4"));
        const QJsonObject ev = EventCollector::toEvent(e);
        QCOMPARE(ev.value(QStringLiteral("log")).toString(), QStringLiteral("journalctl"));
    }

    void batchesAndCapsAcrossRules()
    {
        ListSource src;
        for (int i = 0; i < 7; ++i)
            src.entries << entry(T0 + i * 10, QStringLiteral("a%1").arg(i), QStringLiteral("a.service"));
        for (int i = 0; i < 3; ++i)
            src.entries << entry(T0 + 5 + i * 10, QStringLiteral("b%1").arg(i), QStringLiteral("b.service"));
        std::sort(src.entries.begin(), src.entries.end(), [](const QJsonObject &x, const QJsonObject &y) {
            return EventCollector::entryTimeUtc(x) < EventCollector::entryTimeUtc(y);
        });
        EventCollectorOptions o;
        o.maxPerRule = 4;
        o.batchSize = 2;
        EventCollector c(src, o);
        const QList<QJsonArray> batches = c.collect(QJsonArray{
            rule(QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("unit"), QStringLiteral("a.service")}}),
            rule(QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("unit"), QStringLiteral("b.service")}})});
        for (const QJsonArray &b : batches)
            QVERIFY(b.size() <= 2);
        QStringList messages;
        for (const QJsonObject &e : flatten(batches))
            messages << e.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString();
        // Rule a stopped after a3 (T0+30): nothing newer goes out, so the next `since` cannot skip a4..a6.
        QCOMPARE(messages,
                 (QStringList{QStringLiteral("a0"), QStringLiteral("b0"), QStringLiteral("a1"), QStringLiteral("b1"),
                              QStringLiteral("a2"), QStringLiteral("b2"), QStringLiteral("a3")}));
    }

    void unknownLogTypeIsReportedOnce()
    {
        ListSource src;
        EventCollector c(src);
        const QJsonArray rules{rule(QStringLiteral("2023-11-14 22:13:20"), {}, QStringLiteral("Security-Test-Log"))};
        g_log.clear();
        auto old = qInstallMessageHandler(captureLog);
        QVERIFY(c.collect(rules).isEmpty());
        QVERIFY(c.collect(rules).isEmpty());
        qInstallMessageHandler(old);
        QCOMPARE(g_log.filter(QStringLiteral("Security-Test-Log")).size(), 1);
        QCOMPARE(src.reads, 0);
    }

    void sendStopsAtFirstFailure()
    {
        QList<QJsonArray> batches{
            QJsonArray{QJsonObject{{QStringLiteral("n"), 1}}},
            QJsonArray{QJsonObject{{QStringLiteral("n"), 2}}, QJsonObject{{QStringLiteral("n"), 3}}},
            QJsonArray{QJsonObject{{QStringLiteral("n"), 4}}}};
        QList<QJsonObject> calls;
        RpcCall call = [&](const QString &method, const QJsonObject &data) {
            [&] { QCOMPARE(method, QStringLiteral("oco.agent.events")); }();
            calls << data;
            if (calls.size() == 2)
                return Result<QJsonObject>::fail({FailureKind::Http, 500, QStringLiteral("boom")});
            return Result<QJsonObject>::success({{QStringLiteral("success"), true}});
        };
        QString err;
        QCOMPARE(EventCollector::send(batches, call, &err), 1);
        QCOMPARE(calls.size(), 2);
        QVERIFY(err.contains(QStringLiteral("boom")));
        QCOMPARE(calls.first().value(QStringLiteral("events")).toArray().size(), 1);
    }

    void serverModelStoresWhatWeSend()
    {
        ListSource src;
        QJsonObject withFacility =
            entry(T0 + 1, QStringLiteral("disk full"), QStringLiteral("foo.service"), 2, QStringLiteral("foo"));
        withFacility.insert(QStringLiteral("SYSLOG_FACILITY"), QStringLiteral("3"));
        src.entries = {entry(T0, QStringLiteral("no unit")), withFacility};
        EventCollectorOptions o;
        o.batchSize = 1;
        EventCollector c(src, o);
        const QJsonArray rules{rule(QStringLiteral("2023-11-14 22:13:20"), {})};
        test::FeatureServer server;
        QString err;
        QCOMPARE(EventCollector::send(c.collect(rules), server.rpc(), &err), 2);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(server.calls.size(), 2); // one request per batch
        QCOMPARE(server.events.size(), 2);
        const test::FeatureServer::StoredEvent &e = server.events.at(1);
        QCOMPARE(e.log, QStringLiteral("foo.service"));
        QCOMPARE(e.timestamp, QStringLiteral("2023-11-14 22:13:21"));
        QCOMPARE(e.provider, QStringLiteral("foo"));
        QCOMPARE(e.level, 2);
        QCOMPARE(e.eventId, 3);
        QCOMPARE(e.data.toObject().value(QStringLiteral("message")).toString(), QStringLiteral("disk full"));
        QCOMPARE(server.events.at(0).log, QStringLiteral("journalctl"));
        // Re-reading from the same `since` sends the same events again; the server keeps one of each.
        QCOMPARE(EventCollector::send(c.collect(rules), server.rpc(), &err), 2);
        QCOMPARE(server.events.size(), 2);
    }

    void readsARealJournalFileThroughJournalctl()
    {
        const QString remote = QStringLiteral("/usr/lib/systemd/systemd-journal-remote");
        if (!QFile::exists(remote) || QStandardPaths::findExecutable(QStringLiteral("journalctl")).isEmpty())
            QSKIP("systemd-journal-remote or journalctl missing (Debian packages systemd-journal-remote, systemd)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Journal export format; systemd-journal-remote turns it into a real journal file.
        QByteArray exp;
        auto add = [&](qint64 secs, const QByteArray &msg, const QByteArray &unit, int prio, const QByteArray &ident) {
            static int mono = 1000;
            exp += "__REALTIME_TIMESTAMP=" + QByteArray::number(secs * 1000000) + "\n";
            exp += "__MONOTONIC_TIMESTAMP=" + QByteArray::number(mono += 1000) + "\n";
            exp += "_BOOT_ID=0123456789abcdef0123456789abcdef\n";
            exp += "MESSAGE=" + msg + "\n";
            if (!unit.isEmpty())
                exp += "_SYSTEMD_UNIT=" + unit + "\n";
            exp += "PRIORITY=" + QByteArray::number(prio) + "\n";
            if (!ident.isEmpty())
                exp += "SYSLOG_IDENTIFIER=" + ident + "\nSYSLOG_FACILITY=4\n";
            exp += "\n";
        };
        add(T0 - 3600, "Failed password for root (before since)", "ssh.service", 3, "sshd");
        add(T0, "Failed password for root", "ssh.service", 3, "sshd");
        add(T0 + 60, "Accepted password for alice", "ssh.service", 6, "sshd");
        add(T0 + 120, "Failed password for bob", "ssh.service", 5, "sshd");
        add(T0 + 180, "Failed to start foo", "foo.service", 3, "systemd");
        add(T0 + 240, "Failed password for carol", "ssh.service", 4, "sshd");
        const QString file = dir.path() + QStringLiteral("/fixture.journal");
        QProcess p;
        p.start(remote, {QStringLiteral("--output=") + file, QStringLiteral("-")});
        QVERIFY(p.waitForStarted());
        p.write(exp);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);

        JournalctlSource src({QStringLiteral("--file=") + file});
        EventCollector c(src);
        const QList<QJsonObject> ev = flatten(c.collect(QJsonArray{rule(
            QStringLiteral("2023-11-14 22:13:20"), {{QStringLiteral("unit"), QStringLiteral("ssh")},
                                                    {QStringLiteral("identifier"), QStringLiteral("sshd")},
                                                    {QStringLiteral("priority"), QStringLiteral("3,4")},
                                                    {QStringLiteral("grep"), QStringLiteral("^Failed password")}})}));
        QStringList got;
        for (const QJsonObject &e : ev)
            got << e.value(QStringLiteral("timestamp")).toString() + QLatin1Char(' ') +
                       e.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString();
        QCOMPARE(got, (QStringList{QStringLiteral("2023-11-14 22:13:20 Failed password for root"),
                                   QStringLiteral("2023-11-14 22:17:20 Failed password for carol")}));
        QCOMPARE(ev.first().value(QStringLiteral("event_id")).toInt(), 4);
        QCOMPARE(ev.first().value(QStringLiteral("log")).toString(), QStringLiteral("ssh.service"));

        // A journal that cannot be read is an error in words, not a crash or a hang.
        JournalctlSource broken({QStringLiteral("--file=") + dir.path() + QStringLiteral("/missing.journal")});
        EventRule r;
        QString err;
        QVERIFY(EventRule::fromJson(rule(QStringLiteral("2023-11-14 22:13:20"), {}), &r, &err));
        int n = 0;
        QVERIFY(!broken.read(
            r, [&](const QJsonObject &) { return ++n > 0; }, &err));
        QCOMPARE(n, 0);
        QVERIFY2(err.contains(QStringLiteral("exit code 1")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
