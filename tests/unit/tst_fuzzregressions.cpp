// Inputs the fuzz targets (tests/fuzz) found to break an invariant, fed through the real code paths with
// the behaviour that is expected now. The raw inputs are also replayed by fuzz_<target>_replay.
#include "config/Config.h"
#include "config/IniFile.h"
#include "core/StateStore.h"
#include "protocol/KeyKeeper.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace oco;

namespace {
QByteArray regression(const QString &name)
{
    QFile f(QStringLiteral(OCO_FUZZ_DIR "/regressions/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return f.readAll();
}
} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeConfig(const QByteArray &text)
    {
        const QString path = m_dir.filePath(QStringLiteral("oco-agent.ini"));
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return path;
    }

    QByteArray readConfig() const
    {
        QFile f(m_dir.filePath(QStringLiteral("oco-agent.ini")));
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }

private Q_SLOTS:
    // fuzz_reply2021 found: a server key with line breaks was written into the config as several lines,
    // after which the agent could not start any more ("expected 'key = value'"); a crafted key could also
    // add keys such as api-url. Now the key is refused with words and the file stays as it was.
    void serverKeyWithLineBreaksIsRefused()
    {
        const QJsonObject params =
            QJsonDocument::fromJson(regression(QStringLiteral("reply2021/server-key-with-line-breaks.json")))
                .object()
                .value(QStringLiteral("result"))
                .toObject()
                .value(QStringLiteral("params"))
                .toObject();
        const QString sentKey = params.value(QStringLiteral("server-key")).toString();
        QVERIFY(sentKey.contains(QLatin1Char('\n')));

        const QByteArray original =
            "[agent]\nagent-key = ernesto\n\n[server]\napi-url = http://127.0.0.1:1/api-agent.php\n"
            "server-key =\n";
        const QString path = writeConfig(original);
        Config config;
        QString error;
        QVERIFY2(config.load(path, &error), qPrintable(error));
        StateStore state;
        QVERIFY2(state.open(m_dir.filePath(QStringLiteral("state")), &error), qPrintable(error));
        KeyKeeper keys(config, state);
        const Failure f = keys.checkServerKey(params.value(QStringLiteral("server-key")), true);
        QCOMPARE(f.kind, FailureKind::Local);
        QVERIFY2(f.message.contains(QStringLiteral("cannot store the server key")) &&
                     f.message.contains(QStringLiteral("line break")),
                 qPrintable(f.message));
        QCOMPARE(readConfig(), original);
        QCOMPARE(config.serverKey, QString());
        Config reread;
        QVERIFY2(reread.load(path, &error), qPrintable(error));
    }

    void injectedKeysAreRefused_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("line break") << QStringLiteral("abc\n[server]\napi-url = http://evil.example/");
        QTest::newRow("carriage return") << QStringLiteral("abc\rdef");
        QTest::newRow("leading blank") << QStringLiteral(" abc");
        QTest::newRow("trailing blank") << QStringLiteral("abc ");
        QTest::newRow("nul") << QStringLiteral("abc") + QChar(0) + QStringLiteral("def");
    }
    void injectedKeysAreRefused()
    {
        QFETCH(QString, value);
        const QByteArray original = "[agent]\nagent-key = ernesto\n";
        const QString path = writeConfig(original);
        Config config;
        QString error;
        QVERIFY(config.load(path, &error));
        QVERIFY(!config.storeAgentKey(value, &error));
        QVERIFY2(error.contains(QStringLiteral("[agent] agent-key cannot be stored")), qPrintable(error));
        QCOMPARE(config.agentKey, QStringLiteral("ernesto"));
        QCOMPARE(readConfig(), original);
    }

    // fuzz_ini: the same rule at the INI level; what is storable reads back exactly.
    void storableValuesRoundTrip()
    {
        QVERIFY(!IniFile::isStorable(QString::fromUtf8(regression(QStringLiteral("ini/value-with-line-break.ini")))));
        const QString emoji = QStringLiteral("ðŸŒˆ;#=:[x]");
        QVERIFY(IniFile::isStorable(emoji));
        IniFile ini;
        IniFile::Error e;
        QVERIFY(ini.parse("[agent]\nagent-key = a\n", QStringLiteral("x.ini"), &e));
        ini.setValue(QStringLiteral("agent"), QStringLiteral("agent-key"), emoji);
        IniFile back;
        QVERIFY(back.parse(ini.serialize(), QStringLiteral("x.ini"), &e));
        QCOMPARE(back.value(QStringLiteral("agent"), QStringLiteral("agent-key")), emoji);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
