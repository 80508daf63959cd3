#include "agent/Agent.h"
#include "protocol/SrvDiscovery.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace oco;

class TstSrv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void priorityFirst()
    {
        QRandomGenerator rng(42);
        const QList<SrvTarget> in{{QStringLiteral("c."), 3, 30, 5},
                                  {QStringLiteral("a."), 1, 10, 5},
                                  {QStringLiteral("b."), 2, 20, 100},
                                  {QStringLiteral("a2."), 1, 10, 5}};
        for (int i = 0; i < 50; ++i) {
            const QList<SrvTarget> out = orderSrvTargets(in, rng);
            QCOMPARE(out.size(), 4);
            QCOMPARE(out.at(0).priority, quint16(10));
            QCOMPARE(out.at(1).priority, quint16(10));
            QCOMPARE(out.at(2).target, QStringLiteral("b."));
            QCOMPARE(out.at(3).target, QStringLiteral("c."));
        }
    }

    // Within one priority the first pick follows the weights (RFC 2782): 90:10 -> about 90 %.
    void weightsWithinPriority()
    {
        QRandomGenerator rng(7);
        const QList<SrvTarget> in{{QStringLiteral("light."), 1, 0, 10}, {QStringLiteral("heavy."), 2, 0, 90}};
        int heavy = 0;
        for (int i = 0; i < 2000; ++i)
            if (orderSrvTargets(in, rng).first().target == QLatin1String("heavy."))
                ++heavy;
        QVERIFY2(heavy > 1700 && heavy < 1900, qPrintable(QString::number(heavy)));
    }

    // Weight 0 is chosen rarely but still can be, and every record appears exactly once.
    void zeroWeight()
    {
        QRandomGenerator rng(3);
        const QList<SrvTarget> in{{QStringLiteral("zero."), 1, 0, 0}, {QStringLiteral("some."), 2, 0, 50}};
        int zeroFirst = 0;
        for (int i = 0; i < 1000; ++i) {
            const QList<SrvTarget> out = orderSrvTargets(in, rng);
            QCOMPARE(out.size(), 2);
            QVERIFY(out.at(0).target != out.at(1).target);
            if (out.first().target == QLatin1String("zero."))
                ++zeroFirst;
        }
        QVERIFY2(zeroFirst < 100, qPrintable(QString::number(zeroFirst)));
        // All zero: all still returned.
        const QList<SrvTarget> zeros{{QStringLiteral("x."), 1, 0, 0}, {QStringLiteral("y."), 1, 0, 0}};
        QCOMPARE(orderSrvTargets(zeros, rng).size(), 2);
        QVERIFY(orderSrvTargets({}, rng).isEmpty());
    }

    void urlFromTarget()
    {
        QCOMPARE(apiUrlForSrv({QStringLiteral("oco.example.com."), 8443, 0, 0}),
                 QStringLiteral("https://oco.example.com:8443/api-agent.php"));
        QCOMPARE(apiUrlForSrv({QStringLiteral("oco.example.com"), 443, 0, 0}),
                 QStringLiteral("https://oco.example.com:443/api-agent.php"));
    }

    void searchDomainsFromResolvConf()
    {
        QCOMPARE(srvQueryNames(QStringLiteral("nameserver 10.0.0.1\nsearch corp.example. lab.example\n")),
                 (QStringList{QStringLiteral("_oco._tcp.corp.example"), QStringLiteral("_oco._tcp.lab.example")}));
        QCOMPARE(srvQueryNames(QStringLiteral("domain one.example\nsearch two.example\n")),
                 QStringList{QStringLiteral("_oco._tcp.two.example")});
        QVERIFY(srvQueryNames(QStringLiteral("nameserver 1.1.1.1\n")).isEmpty());
    }

    // 401 back-off: doubles per failure from query-interval, capped at max(interval, 1 h); with the shipped
    // fail2ban rule (4 failures in 600 s) no window of 600 s ever holds 4 attempts.
    void authBackoff()
    {
        QCOMPARE(authBackoffSecs(0, 60), 60.0);
        QCOMPARE(authBackoffSecs(0, 1), 1.0);
        QCOMPARE(authBackoffSecs(1, 60), 120.0);
        QCOMPARE(authBackoffSecs(2, 60), 240.0);
        QCOMPARE(authBackoffSecs(1, 5), 120.0); // a short interval still waits 2 minutes
        QCOMPARE(authBackoffSecs(10, 60), 3600.0);
        QCOMPARE(authBackoffSecs(3, 7200), 7200.0);
        QCOMPARE(authBackoffSecs(1000, 1), 3600.0);
        QCOMPARE(authBackoffSecs(2, 1, 1), 4.0); // [agent] auth-backoff-base = 1
        for (double interval : {1.0, 10.0, 60.0, 300.0, 3600.0}) {
            QList<double> at{0};
            for (int n = 1; n < 12; ++n)
                at << at.last() + authBackoffSecs(n, interval);
            for (int i = 0; i + 3 < at.size(); ++i)
                QVERIFY2(at.at(i + 3) - at.at(i) > 600, qPrintable(QString::number(interval)));
        }
    }
};

QTEST_MAIN(TstSrv)
#include "tst_srv.moc"
