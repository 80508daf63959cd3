// The German translation is shipped, complete and used: pages, plurals and the notice read German.
#include "GuiTest.h"
#include "LogPage.h"
#include "MainWindow.h"
#include "PowerNotice.h"
#include "Preferences.h"
#include "Translations.h"
#include "TrayIcon.h"
#include "TrayState.h"

#include "core/Clock.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenu>
#include <QPushButton>
#include <QTabWidget>
#include <QXmlStreamReader>

using namespace oco::ui;

class TestTranslation : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase() { useTemporaryConfigHome(m_home); }

    void everyMessageTranslated_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("de") << QStringLiteral(OCO_TRANSLATIONS "/oco-tray_de.ts");
        QTest::newRow("en") << QStringLiteral(OCO_TRANSLATIONS "/oco-tray_en.ts");
    }
    void everyMessageTranslated()
    {
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        int messages = 0;
        QStringList missing;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("message"))
                ++messages;
            else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation")) {
                const QString type = xml.attributes().value(QStringLiteral("type")).toString();
                const bool numerus =
                    xml.attributes().hasAttribute(QStringLiteral("numerus")) || source.contains(QStringLiteral("%n"));
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                // English needs only the plural forms; German needs everything.
                const bool needed = file.endsWith(QLatin1String("_de.ts")) || numerus;
                if (needed && (type == QLatin1String("unfinished") || text.trimmed().isEmpty()))
                    missing << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 100);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(" | "))));
    }

    void germanIsUsed()
    {
        QCOMPARE(installTranslations(QStringLiteral("de")), QStringLiteral("de"));
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        QCOMPARE(w.tabs()->tabText(0), QStringLiteral("&Übersicht"));
        QCOMPARE(w.tabs()->tabText(2), QStringLiteral("&Aufträge"));
        QCOMPARE(TrayText::minutesChoice(60), QStringLiteral("1 Stunde"));
        QCOMPARE(TrayText::minutesChoice(240), QStringLiteral("4 Stunden"));
        QCOMPARE(TrayText::minutesChoice(30), QStringLiteral("30 Minuten"));

        oco::ManualClock clock;
        TrayIcon tray(s.link.get(), clock);
        QCOMPARE(tray.quitAction()->text(), QStringLiteral("&Beenden (der Dienst läuft weiter)"));
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        PowerNotice notice(s.link.get(), clock);
        notice.setPending(s.link->powerPending());
        QCOMPARE(notice.windowTitle(), QStringLiteral("Neustart geplant"));
        QVERIFY(notice.headlineLabel()->text().startsWith(QStringLiteral("Dieser Computer startet um")));
        QVERIFY(notice.postponeInfoLabel()->text().startsWith(
            QStringLiteral("Sie können noch 2-mal verschieben, spätestens bis")));
        QCOMPARE(notice.postponeButton()->text(), QStringLiteral("&Verschieben bis"));
        QCOMPARE(TrayText::timeLeft(3 * 3600 + 25 * 60 - 3), QStringLiteral("in 3 Std. 25 Min."));
        QCOMPARE(TrayText::timeLeft(4 * 60 + 32, true), QStringLiteral("in 4 Min. 32 Sek."));

        QCOMPARE(
            TrayText::powerReason(s.link->powerPending()),
            QStringLiteral("Die Software-Änderung „Kernel security update“ wird erst nach einem Neustart wirksam."));
        // Log levels are words, not the service's keys.
        QCOMPARE(LogPage::levelName(LogPage::levelRank(oco::control::LogLevel::Warning)), QStringLiteral("Warnung"));
        QCOMPARE(LogPage::levelName(LogPage::levelRank(oco::control::LogLevel::Info)), QStringLiteral("Info"));

        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(TrayText::minutesChoice(60), QStringLiteral("1 hour"));
    }

    void qtsOwnStringsAreGermanToo()
    {
        if (!QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_de.qm")))
            QSKIP("Qt's German translation is not installed (Debian: qt6-translations-l10n)");
        QCOMPARE(installTranslations(QStringLiteral("de")), QStringLiteral("de"));
        QDialogButtonBox box(QDialogButtonBox::Close | QDialogButtonBox::Cancel);
        QCOMPARE(box.button(QDialogButtonBox::Close)->text().remove(QLatin1Char('&')), QStringLiteral("Schließen"));
        QCOMPARE(box.button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&')), QStringLiteral("Abbrechen"));
        installTranslations(QStringLiteral("en"));
        // Switching back follows at once in open dialogs too.
        QTRY_COMPARE_WITH_TIMEOUT(box.button(QDialogButtonBox::Close)->text().remove(QLatin1Char('&')),
                                  QStringLiteral("Close"), 5000);
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
