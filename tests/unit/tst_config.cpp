#include "config/Config.h"
#include "config/IniFile.h"
#include "config/SettingsTable.h"
#include "core/AtomicFile.h"
#include "core/Log.h"

#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace oco;

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return path;
    }

private Q_SLOTS:
    void officialAgentConfigIsRead()
    {
        // The official agent's example file, with its comments and a key we do not know.
        const QString path = write(QStringLiteral("official.ini"),
                                   "# OCO agent\n[agent]\ndebug = 1\nquery-interval = 120\nagent-key = ernesto\n"
                                   "connection-timeout = 3.05\nread-timeout = 150\nchunk-size = 8192\n"
                                   "hostname-remove-domain = 0\nmachine-uid = abc-123\n\n"
                                   "[server]\napi-url = https://oco.example.com/api-agent.php\n"
                                   "payload-url = https://oco.example.com/payloadprovider.php\nserver-key = \n\n"
                                   "[linux]\nlocal-users-min-uid = 500\n");
        Config c;
        QString err;
        QVERIFY2(c.load(path, &err), qPrintable(err));
        QCOMPARE(c.debug, true);
        QCOMPARE(c.queryInterval, 120.0);
        QCOMPARE(c.agentKey, QStringLiteral("ernesto"));
        QCOMPARE(c.connectionTimeout, 3.05); // fractions are fine (the official agent aborts on them)
        QCOMPARE(c.readTimeout, 150.0);
        QCOMPARE(c.hostnameRemoveDomain, false);
        QCOMPARE(c.machineUid, QStringLiteral("abc-123"));
        QCOMPARE(c.apiUrl, QStringLiteral("https://oco.example.com/api-agent.php"));
        QCOMPARE(c.payloadUrl, QStringLiteral("https://oco.example.com/payloadprovider.php"));
        QCOMPARE(c.serverKey, QString());
        QCOMPARE(c.localUsersMinUid, 500);
        QCOMPARE(c.protocol, ProtocolChoice::Auto); // a config without the key: auto-detect
    }

    void defaultsWithoutSections()
    {
        const QString path = write(QStringLiteral("empty.ini"), "");
        Config c;
        QString err;
        QVERIFY2(c.load(path, &err), qPrintable(err));
        QCOMPARE(c.queryInterval, 60.0);
        QCOMPARE(c.jobTimeout, 7200.0);
        QCOMPARE(c.serviceChecksDir, QStringLiteral("/usr/lib/oco-agent/service-checks"));
        QCOMPARE(c.serviceCheckTimeout, 30.0);
        QCOMPARE(c.restartCommand, (QStringList{QStringLiteral("systemctl"), QStringLiteral("reboot")}));
        QCOMPARE(c.postponeChoicesMinutes, (QList<int>{60, 240, 480}));
    }

    void protocolValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("expected");
        QTest::newRow("2021") << "2021" << int(ProtocolChoice::Legacy2021);
        QTest::newRow("plain") << "plain" << int(ProtocolChoice::Plain);
        QTest::newRow("current") << "current" << int(ProtocolChoice::Current);
        QTest::newRow("auto") << "auto" << int(ProtocolChoice::Auto);
        QTest::newRow("case") << "CURRENT" << int(ProtocolChoice::Current);
    }
    void protocolValues()
    {
        QFETCH(QString, value);
        QFETCH(int, expected);
        const QString path = write(QStringLiteral("p.ini"), "[server]\nprotocol = " + value.toUtf8() + "\n");
        Config c;
        QString err;
        QVERIFY2(c.load(path, &err), qPrintable(err));
        QCOMPARE(int(c.protocol), expected);
    }

    void errorsNameFileLineAndKey_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no section") << QByteArray("agent-key = x\n") << QStringLiteral(":1: key 'agent-key'");
        QTest::newRow("garbage line") << QByteArray("[agent]\ndebug = 1\nthis is not ini\n")
                                      << QStringLiteral(":3: expected 'key = value'");
        QTest::newRow("bad header") << QByteArray("[agent\n") << QStringLiteral(":1: malformed section header");
        QTest::newRow("not a number") << QByteArray("[agent]\n\nquery-interval = often\n")
                                      << QStringLiteral(":3: key 'agent.query-interval': 'often' is not a number");
        QTest::newRow("out of range") << QByteArray("[agent]\nquery-interval = 0\n")
                                      << QStringLiteral(":2: key 'agent.query-interval'");
        QTest::newRow("check timeout 0") << QByteArray("[agent]\nservice-check-timeout = 0\n")
                                         << QStringLiteral(":2: key 'agent.service-check-timeout'");
        QTest::newRow("bad bool") << QByteArray("[agent]\ndebug = maybe\n")
                                  << QStringLiteral(":2: key 'agent.debug': 'maybe' is not a boolean");
        QTest::newRow("bad url") << QByteArray("[server]\napi-url = ftp://x/api-agent.php\n")
                                 << QStringLiteral(":2: key 'server.api-url'");
        QTest::newRow("bad protocol") << QByteArray("[server]\nprotocol = 2019\n")
                                      << QStringLiteral(":2: key 'server.protocol'");
        QTest::newRow("bad command") << QByteArray("[power]\nrestart-command = \"systemctl reboot\n")
                                     << QStringLiteral(":2: key 'power.restart-command': unterminated quote");
        QTest::newRow("bad choices") << QByteArray("[power]\npostpone-choices = 60, soon\n")
                                     << QStringLiteral(":2: key 'power.postpone-choices'");
        QTest::newRow("bad window day") << QByteArray(
                                               "[power]\nmax-postponements = 2\nrestart-window = Mon-Fry 18:00-07:00\n")
                                        << QStringLiteral(":3: key 'power.restart-window': 'Fry' is not a day");
        QTest::newRow("bad window time") << QByteArray("[power]\nrestart-window = Mon-Fri 18:00-25:00\n")
                                         << QStringLiteral(":2: key 'power.restart-window': 'Mon-Fri 18:00-25:00'");
        QTest::newRow("bad window form") << QByteArray("[power]\nrestart-window = weeknights\n")
                                         << QStringLiteral(":2: key 'power.restart-window': 'weeknights' is not a day");
        QTest::newRow("bad reminder schedule") << QByteArray("[power]\nreminder-schedule = 240:60, soon\n")
                                               << QStringLiteral(":2: key 'power.reminder-schedule': 'soon'");
        QTest::newRow("bad nobody mode") << QByteArray("[power]\nwhen-nobody-logged-in = later\n")
                                         << QStringLiteral(":2: key 'power.when-nobody-logged-in'");
        QTest::newRow("step not dividing a day") << QByteArray("[power]\ntime-choice-step-minutes = 7\n")
                                                 << QStringLiteral(":2: key 'power.time-choice-step-minutes'");
        QTest::newRow("notice link not http")
            << QByteArray("[ui]\ninfo-url = javascript:alert(1)\n") << QStringLiteral(":2: key 'ui.info-url'");
        QTest::newRow("helpdesk not a link")
            << QByteArray("[ui]\nhelpdesk-url = file:///etc/passwd\n") << QStringLiteral(":2: key 'ui.helpdesk-url'");
        QTest::newRow("translated link checked too")
            << QByteArray("[ui]\ninfo-url[de] = javascript:alert(1)\n") << QStringLiteral(":2: key 'ui.info-url[de]'");
        QTest::newRow("bad language") << QByteArray("[ui]\nmessage[Deutsch!] = Hallo\n")
                                      << QStringLiteral(":2: key 'ui.message[deutsch!]': 'deutsch!' is not a language");
        QTest::newRow("logo relative") << QByteArray("[ui]\nlogo = logo.png\n")
                                       << QStringLiteral(":2: key 'ui.logo': 'logo.png' is not an absolute path");
        QTest::newRow("logo missing") << QByteArray("[ui]\nlogo = /nonexistent/logo.png\n")
                                      << QStringLiteral(":2: key 'ui.logo': '/nonexistent/logo.png' is not a regular");
        QTest::newRow("logo a device") << QByteArray("[ui]\nlogo = /dev/stdin\n")
                                       << QStringLiteral(":2: key 'ui.logo': '/dev/stdin' is not a regular file");
        QTest::newRow("invalid utf8") << QByteArray("[agent]\nagent-key = \xff\xfe\n")
                                      << QStringLiteral(":2: the line is not valid UTF-8");
    }
    void restartPolicyKeys()
    {
        const QString path =
            write(QStringLiteral("window.ini"), "[power]\nrestart-window = Mon-Fri 18:00-07:00, Sat-Sun\n"
                                                "when-nobody-logged-in = window\ntime-choice-step-minutes = 30\n"
                                                "reminder-schedule = 120:30, 10\n");
        Config c;
        QString err;
        QVERIFY2(c.load(path, &err), qPrintable(err));
        QCOMPARE(c.restartWindow.text(), QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        QVERIFY(c.nobodyWaitsForWindow);
        QCOMPARE(c.timeChoiceStepMinutes, 30);
        QCOMPARE(c.reminderSchedule.text(), QStringLiteral("120:30, 10"));
        Config defaults;
        QVERIFY(defaults.restartWindow.isEmpty());
        QVERIFY(!defaults.nobodyWaitsForWindow);
        QCOMPARE(defaults.timeChoiceStepMinutes, 60);
        QCOMPARE(defaults.reminderIntervalMinutes, 240.0);
        QCOMPARE(defaults.reminderSchedule.text(), QStringLiteral("240:60, 30, 15, 10, 5"));
    }

    void errorsNameFileLineAndKey()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString path = write(QStringLiteral("bad.ini"), text);
        Config c;
        QString err;
        QVERIFY(!c.load(path, &err));
        QVERIFY2(err.startsWith(path), qPrintable(err));
        QVERIFY2(err.contains(expected), qPrintable(err));
    }

    void everyNumberHasARange_data()
    {
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("min");
        QTest::addColumn<QString>("max");
        QTest::addColumn<QString>("below");
        QTest::addColumn<QString>("above");
        auto row = [](const char *section, const char *key, const char *min, const char *max, const char *below,
                      const char *above) {
            QTest::newRow(key) << QString::fromLatin1(section) << QString::fromLatin1(key) << QString::fromLatin1(min)
                               << QString::fromLatin1(max) << QString::fromLatin1(below) << QString::fromLatin1(above);
        };
        row("agent", "query-interval", "0.1", "2678400", "0", "2678401");
        row("agent", "connection-timeout", "0.1", "3600", "0.05", "3601");
        row("agent", "read-timeout", "0.1", "86400", "0", "86401");
        row("agent", "job-timeout", "1", "2592000", "0.5", "2592001");
        row("agent", "report-job-output", "0", "86400", "-1", "86401");
        row("agent", "auth-backoff-base", "0.1", "86400", "0", "86401");
        row("agent", "stop-grace-seconds", "0", "86400", "-1", "86401");
        row("agent", "extract-max-mib", "1", "1073741824", "0", "1073741825");
        row("agent", "extract-max-entries", "1", "1000000000", "0", "1000000001");
        row("agent", "service-check-timeout", "1", "3600", "0", "3601");
        row("linux", "local-users-min-uid", "0", "0", "-1", "2147483648");
        row("linux", "local-users-max-uid", "0", "2147483647", "-1", "2147483648");
        row("power", "max-postponements", "0", "1000", "-1", "1001");
        row("power", "hard-deadline-hours", "0", "8760", "-1", "8761");
        row("power", "final-countdown-minutes", "0", "1440", "-1", "1441");
        row("power", "reminder-interval-minutes", "1", "10080", "0", "10081");
    }
    // The limits are accepted; one step beyond is an error naming the file, line, key and the allowed range.
    void everyNumberHasARange()
    {
        QFETCH(QString, section);
        QFETCH(QString, key);
        QFETCH(QString, min);
        QFETCH(QString, max);
        QFETCH(QString, below);
        QFETCH(QString, above);
        // local-users-max-uid may not go below local-users-min-uid (default 1000).
        const QString extra =
            key == QLatin1String("local-users-max-uid") ? QStringLiteral("local-users-min-uid = 0\n") : QString();
        for (const QString &ok : {min, max}) {
            const QString path = write(QStringLiteral("range.ini"),
                                       QStringLiteral("[%1]\n%2 = %3\n%4").arg(section, key, ok, extra).toUtf8());
            Config c;
            QString err;
            QVERIFY2(c.load(path, &err), qPrintable(err));
        }
        for (const QString &bad : {below, above}) {
            const QString path =
                write(QStringLiteral("range.ini"), QStringLiteral("[%1]\n%2 = %3\n").arg(section, key, bad).toUtf8());
            Config c;
            QString err;
            QVERIFY(!c.load(path, &err));
            QVERIFY2(err.startsWith(path + QStringLiteral(":2: key '%1.%2'").arg(section, key)), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("allowed: %1 to ").arg(min)), qPrintable(err));
        }
    }

    void postponeChoicesAreWholePositiveMinutes_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("defaults") << QByteArray("60, 240, 480") << true;
        QTest::newRow("one minute, a week") << QByteArray("1,10080") << true;
        QTest::newRow("half a minute") << QByteArray("0.5") << false;
        QTest::newRow("fraction among whole") << QByteArray("60, 1.5") << false;
        QTest::newRow("zero") << QByteArray("0") << false;
        QTest::newRow("negative") << QByteArray("-5") << false;
        QTest::newRow("beyond a week") << QByteArray("10081") << false;
        QTest::newRow("exponent") << QByteArray("6e1") << false;
    }
    // A choice the planner would turn into 0 minutes (or an odd rounding) is refused when the file is read.
    void postponeChoicesAreWholePositiveMinutes()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, ok);
        const QString path = write(QStringLiteral("choices.ini"), "[power]\npostpone-choices = " + value + "\n");
        Config c;
        QString err;
        QCOMPARE(c.load(path, &err), ok);
        if (ok) {
            for (int m : std::as_const(c.postponeChoicesMinutes))
                QVERIFY(m >= 1);
            return;
        }
        QVERIFY2(err.contains(QStringLiteral(":2: key 'power.postpone-choices'")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("whole number of minutes (allowed: 1 to 10080")), qPrintable(err));
    }

    void missingFileIsAnError()
    {
        Config c;
        QString err;
        QVERIFY(!c.load(m_dir.filePath(QStringLiteral("nope.ini")), &err));
        QVERIFY2(err.contains(QStringLiteral("nope.ini")) && err.contains(QStringLiteral("cannot open")),
                 qPrintable(err));
    }

    void writingKeepsCommentsAndUnknownKeys()
    {
        const QByteArray original = "# managed by hand\n[agent]\n; the key\nagent-key = ernesto\nchunk-size = 8192\n\n"
                                    "[server]\napi-url = https://x.example/api-agent.php\n# trailing comment\n";
        const QString path = write(QStringLiteral("keep.ini"), original);
        Config c;
        QString err;
        QVERIFY(c.load(path, &err));
        QVERIFY(c.storeAgentKey(QStringLiteral("abc"), &err));
        QVERIFY(c.storeServerKey(QStringLiteral("srv"), &err));
        QVERIFY(c.storeProtocol(ProtocolChoice::Legacy2021, &err));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.startsWith(
            QStringLiteral("# managed by hand\n[agent]\n; the key\nagent-key = abc\nchunk-size = 8192\n")));
        QVERIFY(text.contains(QStringLiteral("[server]\napi-url = https://x.example/api-agent.php\nserver-key = srv\n"
                                             "protocol = 2021\n# trailing comment\n")));
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0600u);
        // And it reads back.
        Config again;
        QVERIFY(again.load(path, &err));
        QCOMPARE(again.agentKey, QStringLiteral("abc"));
        QCOMPARE(again.serverKey, QStringLiteral("srv"));
    }

    void shorterKeyLeavesNoStaleBytes()
    {
        // The official agent rewrites without O_TRUNC and leaves the tail of a longer old key behind.
        const QString path =
            write(QStringLiteral("short.ini"), "[agent]\nagent-key = 0123456789abcdefghijklmnopqrst\n");
        Config c;
        QString err;
        QVERIFY(c.load(path, &err));
        QVERIFY(c.storeAgentKey(QStringLiteral("k"), &err));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("[agent]\nagent-key = k\n"));
    }

    void newSectionIsAppended()
    {
        const QString path = write(QStringLiteral("new.ini"), "[agent]\nagent-key = x\n");
        Config c;
        QString err;
        QVERIFY(c.load(path, &err));
        QVERIFY(c.storeServerKey(QStringLiteral("s"), &err));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("[agent]\nagent-key = x\n\n[server]\nserver-key = s\n"));
    }

    void utf8KeyRoundTrips()
    {
        // The seed's example key: emoji read as Windows-1252. Keys are arbitrary UTF-8 and must survive.
        const QString key = QStringLiteral("ðŸŒˆðŸ’œðŸ‘†ðŸš§ðŸ›¸ðŸ’©");
        const QString path = write(QStringLiteral("utf8.ini"), "[agent]\nagent-key = " + key.toUtf8() + "\n");
        Config c;
        QString err;
        QVERIFY(c.load(path, &err));
        QCOMPARE(c.agentKey, key);
        QVERIFY(c.storeAgentKey(key + QStringLiteral("🌈"), &err));
        Config again;
        QVERIFY(again.load(path, &err));
        QCOMPARE(again.agentKey, key + QStringLiteral("🌈"));
    }

    void colonSeparatorAndDuplicates()
    {
        IniFile ini;
        IniFile::Error e;
        QVERIFY(ini.parse("[a]\nk: v1\nK = v2\n", QStringLiteral("x.ini"), &e));
        QCOMPARE(ini.value(QStringLiteral("a"), QStringLiteral("k")), QStringLiteral("v2"));
        QCOMPARE(ini.lineOf(QStringLiteral("a"), QStringLiteral("k")), 3);
    }

    void commandSplitting()
    {
        QStringList args;
        QVERIFY(splitCommandLine(QStringLiteral("/usr/bin/say 'hello world' \"a \\\"b\\\"\" c\\ d"), &args));
        QCOMPARE(args, (QStringList{QStringLiteral("/usr/bin/say"), QStringLiteral("hello world"),
                                    QStringLiteral("a \"b\""), QStringLiteral("c d")}));
        QVERIFY(!splitCommandLine(QStringLiteral("'open"), &args));
    }

    void atomicWriteReplacesWholeFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("atomic"));
        QString err;
        QVERIFY(writeFileAtomic(path, QByteArray(1000, 'a'), 0600, &err));
        QVERIFY(writeFileAtomic(path, "b", 0640, &err));
        QByteArray data;
        QVERIFY(readWholeFile(path, &data, &err));
        QCOMPARE(data, QByteArray("b"));
        QVERIFY(!writeFileAtomic(m_dir.filePath(QStringLiteral("no/such/dir/file")), "x", 0600, &err));
        QVERIFY2(err.contains(QStringLiteral("no/such/dir/file")), qPrintable(err));
        // No temporary files are left behind.
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("atomic.tmp-*")}, QDir::Files).size(), 0);
        // One left by an interrupted earlier write (crash, read-only file system) goes with the next write;
        // another file's temporary file stays.
        for (const char *name : {"atomic.tmp-Ab12Cd", "other.tmp-Ab12Cd"}) {
            QFile stale(m_dir.filePath(QString::fromLatin1(name)));
            QVERIFY(stale.open(QIODevice::WriteOnly));
        }
        QVERIFY(writeFileAtomic(path, "c", 0600, &err));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("atomic.tmp-*")}, QDir::Files).size(), 0);
        QVERIFY(QFileInfo::exists(m_dir.filePath(QStringLiteral("other.tmp-Ab12Cd"))));
    }

    void adminVoiceKeysPerLanguage()
    {
        const QString path =
            write(QStringLiteral("ui.ini"),
                  "[ui]\norganisation = Example IT\nmessage = Please save your work.\n"
                  "message[de] = Bitte speichern Sie Ihre Arbeit.\nMessage[pt-BR] = Salve seu trabalho.\n"
                  "info-url = https://it.example.org/restarts\ninfo-url[de] = https://it.example.org/de/neustart\n"
                  "helpdesk-url = tel:+49-30-1234567\nhelpdesk-url[de] = mailto:it@example.org\n"
                  "motd[de] = unknown keys are ignored\n");
        Config c;
        QString err;
        QVERIFY2(c.load(path, &err), qPrintable(err));
        QCOMPARE(c.organisation, QStringLiteral("Example IT"));
        QCOMPARE(c.noticeMessage, QStringLiteral("Please save your work.")); // the restart notice's own copy
        QCOMPARE(c.helpdeskUrl, QStringLiteral("tel:+49-30-1234567"));
        const QMap<QString, QString> messages = c.uiTexts.value(QStringLiteral("message"));
        QCOMPARE(messages.value(QString()), QStringLiteral("Please save your work."));
        QCOMPARE(messages.value(QStringLiteral("de")), QStringLiteral("Bitte speichern Sie Ihre Arbeit."));
        QCOMPARE(messages.value(QStringLiteral("pt_br")), QStringLiteral("Salve seu trabalho."));
        QCOMPARE(c.uiTexts.value(QStringLiteral("info-url")).value(QStringLiteral("de")),
                 QStringLiteral("https://it.example.org/de/neustart"));
        QCOMPARE(c.uiTexts.value(QStringLiteral("helpdesk-url")).value(QStringLiteral("de")),
                 QStringLiteral("mailto:it@example.org"));
        QCOMPARE(c.uiTexts.value(QStringLiteral("organisation")).size(), 1);
        QVERIFY(!c.uiTexts.contains(QStringLiteral("motd")));
    }

    void logoMustBeASmallImage()
    {
        const QByteArray png("\x89PNG\r\n\x1a\n0000", 12);
        const QString good = write(QStringLiteral("logo.png"), png);
        const QString text = write(QStringLiteral("logo.txt"), "not an image");
        const QString big = write(QStringLiteral("big.png"), png + QByteArray(Config::kMaxLogoBytes, 'x'));
        Config c;
        QString err;
        QVERIFY2(c.load(write(QStringLiteral("l1.ini"), "[ui]\nlogo = " + good.toUtf8() + "\n"), &err),
                 qPrintable(err));
        QCOMPARE(c.logoPath, good);
        QVERIFY(!c.load(write(QStringLiteral("l2.ini"), "[ui]\nlogo = " + text.toUtf8() + "\n"), &err));
        QVERIFY2(err.contains(QStringLiteral("neither a PNG nor a JPEG")), qPrintable(err));
        QVERIFY(!c.load(write(QStringLiteral("l3.ini"), "[ui]\nlogo = " + big.toUtf8() + "\n"), &err));
        QVERIFY2(err.contains(QStringLiteral("a logo may have at most 262144")), qPrintable(err));
    }

    // The settings table and Config agree: every key, written with its default, loads and reads back as the
    // default of a new Config.
    void everyKeyOfTheTableIsRead()
    {
        QMap<QString, QString> sections;
        for (const SettingSpec &s : settingsTable())
            sections[s.sectionName()] += QStringLiteral("%1 = %2\n").arg(s.name(), QLatin1String(s.defaultValue));
        QString text;
        for (auto it = sections.cbegin(); it != sections.cend(); ++it)
            text += QStringLiteral("[%1]\n%2").arg(it.key(), it.value());
        Config c;
        QString err;
        QVERIFY2(c.load(write(QStringLiteral("table.ini"), text.toUtf8()), &err), qPrintable(err));
        const Config fresh;
        for (const SettingSpec &s : settingsTable()) {
            QVERIFY2(fresh.value(s.name()).isValid(), s.key);
            QVERIFY2(c.value(s.name()) == fresh.value(s.name()), s.key);
        }
        QCOMPARE(fresh.value(QStringLiteral("protocol")).toString(), QStringLiteral("auto"));
        QCOMPARE(fresh.value(QStringLiteral("when-nobody-logged-in")).toString(), QStringLiteral("now"));
        QCOMPARE(fresh.controlSocket, QStringLiteral("/run/oco-agent/control.sock"));
        QCOMPARE(fresh.proxy, QStringLiteral("system"));
        QCOMPARE(fresh.connectionTimeout, 3.05);
        QVERIFY(fresh.hostnameRemoveDomain);
        QVERIFY(!fresh.value(QStringLiteral("no-such-key")).isValid());
        // Keys are unique across sections: the socket and the dialog name them without their section.
        QSet<QString> names;
        for (const SettingSpec &s : settingsTable())
            names << s.name();
        QCOMPARE(names.size(), settingsTable().size());
    }

    // The sample config (installer/oco-agent.ini) documents every key of the table in its section, with the
    // table's default, range and choices; README and the man page name every key.
    void theDocsNameEveryKey()
    {
        QFile ini(QStringLiteral(OCO_SOURCE_DIR "/installer/oco-agent.ini"));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(ini.readAll()).split(QLatin1Char('\n'));
        static const QRegularExpression keyLine(QStringLiteral("^#?([a-z0-9-]+(\\[[a-z_]+\\])?) =(.*)$"));
        for (const SettingSpec &s : settingsTable()) {
            QString section;
            int at = -1;
            for (int i = 0; i < lines.size() && at < 0; ++i) {
                if (lines.at(i).startsWith(QLatin1Char('[')))
                    section = lines.at(i).mid(1).chopped(1);
                const QRegularExpressionMatch m = keyLine.match(lines.at(i));
                if (m.hasMatch() && m.captured(1) == s.name() && section == s.sectionName())
                    at = i;
            }
            QVERIFY2(at >= 0, qPrintable(QStringLiteral("[%1] %2 is not in oco-agent.ini").arg(section, s.name())));
            const QString value = keyLine.match(lines.at(at)).captured(3).trimmed();
            if (*s.defaultValue)
                QVERIFY2(value == QLatin1String(s.defaultValue), qPrintable(s.name() + QStringLiteral(": ") + value));
            // The comment above the key (and above the keys right before it that share it).
            QString comment;
            for (int i = at - 1; i >= 0 && lines.at(i).startsWith(QLatin1Char('#')); --i) {
                if (!keyLine.match(lines.at(i)).hasMatch())
                    comment.prepend(lines.at(i));
                else if (!comment.isEmpty())
                    break;
            }
            if (s.type == SettingType::Number || s.type == SettingType::Integer || s.type == SettingType::MinutesList)
                QVERIFY2(comment.contains(s.rangeText()), qPrintable(s.name() + QStringLiteral(": ") + comment));
            for (const QString &choice : s.choiceList())
                QVERIFY2(comment.contains(choice), qPrintable(s.name() + QStringLiteral(": ") + choice));
        }
        for (const char *doc : {"/README.md", "/installer/oco-agent.8"}) {
            QFile f(QLatin1String(OCO_SOURCE_DIR) + QLatin1String(doc));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(f.readAll()).replace(QStringLiteral("\\-"), QStringLiteral("-"));
            for (const SettingSpec &s : settingsTable()) {
                const QRegularExpression word(QStringLiteral("(^|[^a-z0-9-])%1($|[^a-z0-9-])").arg(s.name()));
                QVERIFY2(text.contains(word), qPrintable(QStringLiteral("%1 does not name %2").arg(doc, s.name())));
            }
        }
    }

    void secretsAreMasked()
    {
        // (moc cannot read raw string literals, hence the escapes)
        const QByteArray masked = maskSecrets(
            "{\"params\":{\"agent-key\":\"sup\\\"er\",\"hostname\":\"pc\",\"data\":{\"server-key\":\"abc\"}}}");
        QVERIFY2(!masked.contains("sup"), masked.constData());
        QVERIFY(!masked.contains("abc"));
        QVERIFY(masked.contains("\"agent-key\":\"***\""));
        QVERIFY(masked.contains("\"hostname\":\"pc\""));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
