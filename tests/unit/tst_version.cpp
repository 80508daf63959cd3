#include "core/Version.h"
#include "core/VersionCompare.h"

#include <QtTest>

using namespace oco;

class TstVersion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Expected values are what PHP's version_compare() returns for the same pair.
    void phpVersionCompare_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("expected");
        QTest::newRow("newer") << "1.3.0"
                               << "1.1.7" << 1;
        QTest::newRow("equal") << "1.1.7"
                               << "1.1.7" << 0;
        QTest::newRow("older") << "1.1.6"
                               << "1.1.7" << -1;
        QTest::newRow("numeric, not lexical") << "1.1.10"
                                              << "1.1.7" << 1;
        QTest::newRow("legacy agent") << "0.10.0"
                                      << "1.1.7" << -1;
        QTest::newRow("shorter is older") << "1.2"
                                          << "1.2.0" << -1;
        QTest::newRow("longer is newer") << "1.0.0.1"
                                         << "1.0.0" << 1;
        QTest::newRow("rc before release") << "1.0rc1"
                                           << "1.0" << -1;
        QTest::newRow("release after RC") << "5.2"
                                          << "5.2RC1" << 1;
        QTest::newRow("beta after alpha") << "1.0.0-beta"
                                          << "1.0.0-alpha" << 1;
        QTest::newRow("dev before alpha") << "1.0-dev"
                                          << "1.0-alpha" << -1;
        QTest::newRow("a is alpha") << "1.0a"
                                    << "1.0alpha" << 0;
        QTest::newRow("a before b") << "1.0a"
                                    << "1.0b" << -1;
        QTest::newRow("pl after release") << "1.0pl1"
                                          << "1.0" << 1;
        QTest::newRow("release before pl") << "1.0"
                                           << "1.0pl1" << -1;
        QTest::newRow("separators") << "1-0_0+0"
                                    << "1.0.0.0" << 0;
        QTest::newRow("unknown word lowest") << "1.0foo"
                                             << "1.0dev" << -1;
        QTest::newRow("number beats word") << "1.0.1"
                                           << "1.0.rc" << 1;
        QTest::newRow("empty") << ""
                               << "1" << -1;
        QTest::newRow("both empty") << ""
                                    << "" << 0;
    }
    void phpVersionCompare()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        QCOMPARE(versionCompare(a, b), expected);
        QCOMPARE(versionCompare(b, a), -expected);
    }

    // Servers treat agents below 1.1.7 as unsigned legacy agents (docs/server-protocol.md §4.1).
    void ourVersionSpeaksTheSignedProtocol()
    {
        QVERIFY(versionCompare(QStringLiteral(OCO_VERSION), QStringLiteral("1.1.7")) >= 0);
    }
};

QTEST_MAIN(TstVersion)
#include "tst_version.moc"
