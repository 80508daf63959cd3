// The cycle's entry points for current servers: hello data and the order events -> passwords.
#include "features/CurrentFeatures.h"

#include "config/Config.h"
#include "core/StateStore.h"
#include "platform/Inventory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace oco;

namespace {

class OneEntrySource : public JournalSource
{
public:
    bool read(const EventRule &, const std::function<bool(const QJsonObject &)> &sink, QString *) override
    {
        sink(QJsonObject{{QStringLiteral("__REALTIME_TIMESTAMP"), QStringLiteral("1700000000000000")},
                         {QStringLiteral("MESSAGE"), QStringLiteral("m")}});
        return true;
    }
};

class NoChanger : public LocalPasswordChanger
{
public:
    int calls = 0;
    bool change(const QString &, const QString &, QString *) override
    {
        ++calls;
        return true;
    }
};

} // namespace

class TestCurrentFeatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helloDataHasServicesUptimeAndBattery()
    {
        Config config;
        config.serviceChecksDir = QStringLiteral("/nonexistent/checks");
        InventoryOptions io;
        Inventory inv(io);
        QJsonObject d = CurrentFeatures::helloData(config, inv);
        QVERIFY(d.value(QStringLiteral("services")).isArray()); // [] rather than null
        QVERIFY(d.value(QStringLiteral("services")).toArray().isEmpty());
        QVERIFY(d.value(QStringLiteral("uptime")).toDouble() > 0);
        QVERIFY(d.contains(QStringLiteral("battery_level")));
        QVERIFY(d.contains(QStringLiteral("battery_status")));

        QTemporaryDir dir;
        QFile f(dir.path() + QStringLiteral("/check"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\necho '0 Backup - last run ok'\n");
        f.close();
        QVERIFY(::chmod(QFile::encodeName(f.fileName()).constData(), 0755) == 0);
        config.serviceChecksDir = dir.path();
        d = CurrentFeatures::helloData(config, inv);
        QCOMPARE(d.value(QStringLiteral("services")).toArray().size(), 1);
        QCOMPARE(
            d.value(QStringLiteral("services")).toArray().first().toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("Backup"));
    }

    void eventsGoBeforePasswordsAndNothingIsSentWithoutWork()
    {
        QStringList methods;
        RpcCall call = [&](const QString &method, const QJsonObject &) {
            methods << method;
            return Result<QJsonObject>::success({{QStringLiteral("success"), true}});
        };
        OneEntrySource journal;
        NoChanger changer;
        CurrentFeatures::afterJobs({}, {}, "key", call, journal, changer);
        QVERIFY(methods.isEmpty());

        const QJsonArray rules{QJsonObject{{QStringLiteral("since"), QStringLiteral("2023-01-01 00:00:00")},
                                           {QStringLiteral("log"), QStringLiteral("journalctl")},
                                           {QStringLiteral("query"), QJsonObject()}}};
        const QJsonArray passwords{QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                               {QStringLiteral("alphabet"), QStringLiteral("abc")},
                                               {QStringLiteral("length"), 12}}};
        const CurrentFeatures::AfterJobsOutcome out =
            CurrentFeatures::afterJobs(rules, passwords, "key", call, journal, changer);
        QCOMPARE(methods, (QStringList{QStringLiteral("oco.agent.events"), QStringLiteral("oco.agent.passwords")}));
        QCOMPARE(out.eventsSent, 1);
        QCOMPARE(changer.calls, 1);
    }

    void policiesComeFromUpdateParams()
    {
        QTemporaryDir dir;
        StateStore state;
        QString err;
        QVERIFY(state.open(dir.path() + QStringLiteral("/state"), &err));
        const QString file = dir.path() + QStringLiteral("/p.json");
        const QJsonObject params{
            {QStringLiteral("policies"),
             QJsonObject{{QStringLiteral("machine"), QJsonObject{{QStringLiteral("JSON:%1:A").arg(file), 1}}}}}};
        QCOMPARE(CurrentFeatures::applyPolicies(params, state).applied, 1);
        QVERIFY(QFile::exists(file));
        // A reply without `policies` (older server) changes nothing.
        QCOMPARE(CurrentFeatures::applyPolicies(QJsonObject(), state).removed, 0);
        QVERIFY(QFile::exists(file));
    }
};

QTEST_GUILESS_MAIN(TestCurrentFeatures)
#include "tst_currentfeatures.moc"
