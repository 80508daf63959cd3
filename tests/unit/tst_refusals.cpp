// The words for a refused request, for the answers of every server generation: what the server said (status and
// its text) and what it most likely means.
#include "protocol/Dialect2021.h"
#include "protocol/DialectCurrent.h"
#include "protocol/DialectPlain.h"

#include <QtTest>

using namespace oco;

class TstRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wording_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("said");
        QTest::addColumn<QString>("means");

        // v0.12.1 (2021 dialect): the reason phrase is the message, the body is empty.
        QTest::newRow("v0.12 wrong key") << "2021" << 401 << QByteArray("Client Not Authorized") << QByteArray()
                                         << "HTTP 401 Client Not Authorized"
                                         << "does not accept this computer's agent key";
        QTest::newRow("v0.12 registration off") << "2021" << 403 << QByteArray("Client Self-Registration Disabled")
                                                << QByteArray() << "HTTP 403 Client Self-Registration Disabled"
                                                << "self-registration is disabled";
        QTest::newRow("v0.12 unknown computer")
            << "2021" << 404 << QByteArray("Computer Not Found") << QByteArray() << "HTTP 404 Computer Not Found"
            << "does not know the computer 'pc1'";
        QTest::newRow("v0.12 job") << "2021" << 400 << QByteArray("Job Not Found") << QByteArray()
                                   << "HTTP 400 Job Not Found"
                                   << "does not know this job";
        // The 2021 names sent to v1.0.2-v1.1.6 and to v1.1.7+.
        QTest::newRow("2021 at v1.1") << "2021" << 400 << QByteArray("Unknown Method") << QByteArray()
                                      << "HTTP 400 Unknown Method"
                                      << "no longer speaks the 2021 dialect";
        QTest::newRow("2021 at v1.2") << "2021" << 400 << QByteArray("Bad Request") << QByteArray("Unknown method")
                                      << "HTTP 400 \"Unknown method\""
                                      << "v1.1.7 or newer";
        QTest::newRow("2021 no active job at v0.16")
            << "2021" << 401 << QByteArray("No Active Job") << QByteArray() << "HTTP 401 No Active Job"
            << "no active job for this package";

        // v0.16.3 and v1.0.2-v1.1.6 (plain dialect): reason phrase, empty body.
        QTest::newRow("v1.1 unknown method")
            << "plain" << 400 << QByteArray("Unknown Method") << QByteArray() << "HTTP 400 Unknown Method"
            << "speaks another dialect";
        QTest::newRow("v1.1 parameters") << "plain" << 400 << QByteArray("Parameter Mismatch") << QByteArray()
                                         << "HTTP 400 Parameter Mismatch"
                                         << "expects another protocol dialect";
        QTest::newRow("v1.1 wrong key") << "plain" << 401 << QByteArray("Client Not Authorized") << QByteArray()
                                        << "HTTP 401 Client Not Authorized"
                                        << "does not accept this computer's agent key";
        QTest::newRow("v1.1 registration off") << "plain" << 403 << QByteArray("Client Self-Registration Disabled")
                                               << QByteArray() << "HTTP 403 Client Self-Registration Disabled"
                                               << "self-registration is disabled";
        QTest::newRow("v1.1 unknown computer")
            << "plain" << 404 << QByteArray("Computer Not Found") << QByteArray() << "HTTP 404 Computer Not Found"
            << "does not know the computer 'pc1'";
        QTest::newRow("v1.1 job") << "plain" << 404 << QByteArray("Job Not Found") << QByteArray()
                                  << "HTTP 404 Job Not Found"
                                  << "does not know this job";
        QTest::newRow("v1.1 other's job")
            << "plain" << 403 << QByteArray("Forbidden") << QByteArray() << "HTTP 403 Forbidden"
            << "belongs to another computer";
        QTest::newRow("v1.1 no active job")
            << "plain" << 401 << QByteArray("No Active Job") << QByteArray() << "HTTP 401 No Active Job"
            << "no active job for this package";
        QTest::newRow("v1.1 package missing")
            << "plain" << 404 << QByteArray("Not Found") << QByteArray() << "HTTP 404 Not Found"
            << "no file for this package";
        QTest::newRow("v1.1 not due") << "plain" << 400 << QByteArray("Update Not Necessary") << QByteArray()
                                      << "HTTP 400 Update Not Necessary"
                                      << "did not want the inventory";
        QTest::newRow("v1.1 over HTTP/2") << "plain" << 400 << QByteArray() << QByteArray() << "HTTP 400"
                                          << "the server refused oco.agent.hello";
        QTest::newRow("v1.1 failure") << "plain" << 500 << QByteArray("Internal Server Error") << QByteArray()
                                      << "HTTP 500 Internal Server Error"
                                      << "failed internally";
        // Plaintext requests at v1.1.7+: the body says it.
        QTest::newRow("plain at v1.2") << "plain" << 401 << QByteArray("Unauthorized")
                                       << QByteArray("Signature header missing")
                                       << "HTTP 401 \"Signature header missing\""
                                       << "wants signed requests";

        // v1.2.2 (current dialect): the message is the body.
        QTest::newRow("v1.2 wrong key") << "current" << 401 << QByteArray("Unauthorized")
                                        << QByteArray("Invalid agent signature")
                                        << "HTTP 401 \"Invalid agent signature\""
                                        << "does not accept this computer's agent key";
        QTest::newRow("v1.2 unknown computer") << "current" << 401 << QByteArray("Unauthorized")
                                               << QByteArray("Computer not found") << "HTTP 401 \"Computer not found\""
                                               << "does not know the computer 'pc1'";
        QTest::newRow("v1.2 unknown method") << "current" << 400 << QByteArray("Bad Request")
                                             << QByteArray("Unknown method") << "HTTP 400 \"Unknown method\""
                                             << "speaks another protocol dialect";
    }
    void wording()
    {
        QFETCH(QString, dialect);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        QFETCH(QByteArray, body);
        QFETCH(QString, said);
        QFETCH(QString, means);
        const QString method = QStringLiteral("oco.agent.hello");
        const QString host = QStringLiteral("pc1");
        QString text;
        if (dialect == QLatin1String("plain")) {
            const Failure f = describePlainHttpError(method, status, reason, body, host);
            QCOMPARE(f.httpStatus, status);
            QCOMPARE(f.kind == FailureKind::Auth, status == 401 && reason != "No Active Job");
            text = f.message;
        } else if (dialect == QLatin1String("current")) {
            text = describeCurrentHttpError(method, status, body, host, {}, {}).message;
        } else {
            const Failure f = describeLegacyRefusal(method, status, reason, body, host);
            QCOMPARE(f.kind == FailureKind::Auth, status == 401 && reason != "No Active Job");
            text = f.message;
        }
        QVERIFY2(text.contains(said), qPrintable(text));
        QVERIFY2(text.contains(means), qPrintable(text));
        // Never a bare code: there are words before it.
        QVERIFY2(text.indexOf(said) > 10, qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TstRefusals)
#include "tst_refusals.moc"
