// The settings dialog: machine settings through the service, read-only with the reason for ordinary users,
// editable for admins; keys only as set / not set; "Test connection"; per-user preferences including the
// XDG autostart entry.
#include "GuiTest.h"
#include "Preferences.h"
#include "SettingsDialog.h"
#include "Translations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>

using namespace oco::ui;

class TestSettingsDialog : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        useTemporaryConfigHome(m_home);
        installTranslations(QStringLiteral("en"));
    }

    void readOnlyWithReason()
    {
        StubbedLink s;
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        QVERIFY(!d.canChange());
        QVERIFY(d.reasonLabel()->text().contains(QStringLiteral("read-only")));
        QVERIFY(d.reasonLabel()->text().contains(QStringLiteral("ocoadmins")));
        auto *url = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("api-url")));
        QVERIFY(url);
        QCOMPARE(url->text(), QStringLiteral("https://oco.example.org/api-agent.php"));
        QVERIFY(url->isReadOnly());
        auto *debug = qobject_cast<QCheckBox *>(d.editor(QStringLiteral("debug")));
        QVERIFY(debug && !debug->isEnabled());
        auto *choices = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("postpone-choices")));
        QVERIFY(choices && choices->isReadOnly());
        QCOMPARE(choices->text(), QStringLiteral("60, 240, 480"));
        // Shown only: never editable, even for admins (checked below).
        QVERIFY(qobject_cast<QLineEdit *>(d.editor(QStringLiteral("control-socket")))->isReadOnly());
        QVERIFY(d.saveButton()->isHidden());
        // Keys: only whether they are set.
        auto *agentKey = qobject_cast<QLabel *>(d.editor(QStringLiteral("agent_key_set")));
        auto *serverKey = qobject_cast<QLabel *>(d.editor(QStringLiteral("server_key_set")));
        QVERIFY(agentKey && serverKey);
        QCOMPARE(agentKey->text(), QStringLiteral("set"));
        QCOMPARE(serverKey->text(), QStringLiteral("not set"));

        // Test connection: the result in words.
        d.testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(d.testResultLabel()->text().startsWith(QStringLiteral("The connection works")), 5000);
        QVERIFY(d.testResultLabel()->text().contains(QStringLiteral("answered the hello")));
        s.stub.handlers.insert(QStringLiteral("test_connection"), [](const QJsonObject &) {
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("result"), QStringLiteral("the server's certificate is not trusted")}};
        });
        d.testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(d.testResultLabel()->text().contains(QStringLiteral("not trusted")), 5000);
        QVERIFY(d.testResultLabel()->text().startsWith(QStringLiteral("The connection failed")));
    }

    void allowedForAdmins()
    {
        StubbedLink s;
        s.stub.peer.insert(QStringLiteral("admin"), true);
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        QVERIFY(d.canChange());
        QVERIFY(!d.saveButton()->isHidden());
        QVERIFY(d.saveButton()->isEnabled());
        auto *url = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("api-url")));
        QVERIFY(!url->isReadOnly());
        QVERIFY(qobject_cast<QLineEdit *>(d.editor(QStringLiteral("control-socket")))->isReadOnly());
        auto *command = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("restart-command")));
        QCOMPARE(command->text(), QStringLiteral("systemctl, reboot"));
        auto *interval = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("query-interval")));
        auto *maxPostpone = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("max-postponements")));
        QVERIFY(interval && maxPostpone);
        url->setText(QStringLiteral("https://oco2.example.org/api-agent.php"));
        interval->setText(QStringLiteral("120"));
        maxPostpone->setText(QStringLiteral("5"));
        // Only what changed is sent, numbers as numbers, under the service's names.
        const QJsonObject expected{
            {QStringLiteral("api-url"), QStringLiteral("https://oco2.example.org/api-agent.php")},
            {QStringLiteral("query-interval"), 120},
            {QStringLiteral("max-postponements"), 5}};
        QCOMPARE(d.changes(), expected);
        loaded.clear();
        QTest::mouseClick(d.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("set_settings")).isEmpty(), 5000);
        QCOMPARE(s.stub.lastRequest(QStringLiteral("set_settings")).value(QStringLiteral("settings")).toObject(),
                 expected);
        QTRY_VERIFY_WITH_TIMEOUT(d.saveResultLabel()->text().startsWith(QStringLiteral("Saved")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000); // reloaded from the service
        QCOMPARE(qobject_cast<QLineEdit *>(d.editor(QStringLiteral("api-url")))->text(),
                 QStringLiteral("https://oco2.example.org/api-agent.php"));

        // A refusal from validation is shown.
        s.stub.handlers.insert(QStringLiteral("set_settings"), [](const QJsonObject &) {
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("reason"), QStringLiteral("query-interval must be at least 10 seconds")}};
        });
        qobject_cast<QLineEdit *>(d.editor(QStringLiteral("query-interval")))->setText(QStringLiteral("1"));
        d.save();
        QTRY_VERIFY_WITH_TIMEOUT(d.saveResultLabel()->text().contains(QStringLiteral("at least 10 seconds")), 5000);
    }

    void serviceNotRunning()
    {
        QTemporaryDir dir;
        ServiceLink link(dir.filePath(QStringLiteral("none.sock")));
        Preferences prefs;
        SettingsDialog d(&link, &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        QVERIFY(!d.canChange());
        QVERIFY(d.reasonLabel()->text().startsWith(QStringLiteral("The settings cannot be read")));
    }

    void autostartTellsTheTruthWithASystemWideEntry()
    {
        // The package starts the tray for everyone from /etc/xdg/autostart.
        QTemporaryDir system;
        QVERIFY(QDir().mkpath(system.filePath(QStringLiteral("autostart"))));
        QFile entry(system.filePath(QStringLiteral("autostart/oco-tray.desktop")));
        QVERIFY(entry.open(QIODevice::WriteOnly));
        entry.write("[Desktop Entry]\nType=Application\nExec=oco-tray\n");
        entry.close();
        qputenv("XDG_CONFIG_DIRS", system.path().toLocal8Bit());
        auto restore = qScopeGuard([] { qunsetenv("XDG_CONFIG_DIRS"); });

        StubbedLink s;
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        const QString user = Preferences::autostartPath();
        QVERIFY(!QFile::exists(user));
        QVERIFY(d.autostartBox()->isChecked()); // it does start with the session
        // Off: a user override that hides the system-wide entry (the XDG way); on again: the override goes.
        d.autostartBox()->setChecked(false);
        QFile f(user);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("Hidden=true"));
        f.close();
        QVERIFY(!prefs.startWithSession());
        QVERIFY(!SettingsDialog(s.link.get(), &prefs).autostartBox()->isChecked());
        d.autostartBox()->setChecked(true);
        QVERIFY(!QFile::exists(user));
        QVERIFY(prefs.startWithSession());
        // An admin who hid the system-wide entry: the checkbox says off, and on writes the user's entry.
        QVERIFY(entry.open(QIODevice::Append));
        entry.write("Hidden=true\n");
        entry.close();
        QVERIFY(!prefs.startWithSession());
        QString error;
        QVERIFY(prefs.setStartWithSession(true, &error));
        QVERIFY(QFile::exists(user));
        QVERIFY(prefs.startWithSession());
        QVERIFY(prefs.setStartWithSession(false, &error));
        QVERIFY(!QFile::exists(user));
    }

    void userPreferences()
    {
        StubbedLink s;
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        const QString autostart = Preferences::autostartPath();
        QVERIFY(autostart.startsWith(m_home.path()));
        QVERIFY(!QFile::exists(autostart));
        QVERIFY(!d.autostartBox()->isChecked());
        d.autostartBox()->setChecked(true);
        QVERIFY(QFile::exists(autostart));
        QFile f(autostart);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray entry = f.readAll();
        QVERIFY(entry.contains("Exec=oco-tray"));
        QVERIFY(entry.contains("[Desktop Entry]"));
        d.autostartBox()->setChecked(false);
        QVERIFY(!QFile::exists(autostart));

        d.languageBox()->setCurrentIndex(d.languageBox()->findData(QStringLiteral("de")));
        d.notificationsBox()->setChecked(false);
        d.panelBox()->setCurrentIndex(d.panelBox()->findData(QStringLiteral("dark")));
        Preferences again; // stored per user, read back fresh
        QCOMPARE(again.language(), QStringLiteral("de"));
        QVERIFY(!again.notifications());
        QCOMPARE(again.panel(), QStringLiteral("dark"));
        SettingsDialog reopened(s.link.get(), &again);
        QCOMPARE(reopened.languageBox()->currentData().toString(), QStringLiteral("de"));
        QVERIFY(!reopened.notificationsBox()->isChecked());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
