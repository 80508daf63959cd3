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
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QTabWidget>

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
        // The reason in the user's words; the service's own sentence in the tooltip.
        QCOMPARE(d.reasonLabel()->text(),
                 QStringLiteral("Only the administrator (root) and members of the group “ocoadmins” may change "
                                "these settings; they are shown here for information."));
        QVERIFY(d.reasonLabel()->toolTip().contains(QStringLiteral("ocoadmins")));
        // An employee starts on what they can change.
        QCOMPARE(d.findChild<QTabWidget *>()->currentIndex(), 1);
        // Machine values are text, not fields that look editable.
        auto text = [&](const char *key) {
            auto *l = qobject_cast<QLabel *>(d.editor(QLatin1String(key)));
            return l ? l->text() : QStringLiteral("(not a label)");
        };
        QCOMPARE(text("api-url"), QStringLiteral("https://oco.example.org/api-agent.php"));
        QCOMPARE(text("debug"), QStringLiteral("off"));
        QCOMPARE(text("postpone-choices"), QStringLiteral("1 hour, 4 hours, 8 hours"));
        QCOMPARE(text("restart-command"), QStringLiteral("systemctl reboot"));
        QCOMPARE(text("protocol"), QStringLiteral("Automatic (the server decides)"));
        QCOMPARE(text("control-socket"), QStringLiteral("/run/oco-agent/control.sock"));
        QVERIFY(d.findChildren<QLineEdit *>().isEmpty() || !d.findChildren<QLineEdit *>().constFirst()->isVisible());
        QVERIFY(d.saveButton()->isHidden());
        // Grouped: Server, Restarts, Details for IT, in that order, each setting under its group.
        QStringList rows;
        auto *form = d.findChild<QFormLayout *>();
        for (int r = 0; r < form->rowCount(); ++r) {
            QLayoutItem *item = form->itemAt(r, QFormLayout::SpanningRole);
            if (!item)
                item = form->itemAt(r, QFormLayout::FieldRole);
            if (item && item->widget())
                rows << item->widget()->objectName();
        }
        QVERIFY2(rows.indexOf(QStringLiteral("group-server")) == 0, qPrintable(rows.join(QLatin1Char(' '))));
        QVERIFY(rows.indexOf(QStringLiteral("api-url")) < rows.indexOf(QStringLiteral("group-restarts")));
        QVERIFY(rows.indexOf(QStringLiteral("group-restarts")) < rows.indexOf(QStringLiteral("max-postponements")));
        QVERIFY(rows.indexOf(QStringLiteral("restart-command")) < rows.indexOf(QStringLiteral("group-details")));
        QVERIFY(rows.indexOf(QStringLiteral("group-details")) < rows.indexOf(QStringLiteral("control-socket")));
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
        // What runs as root or decides which server is trusted is text even for admins (root edits the file).
        for (const char *key : {"api-url", "restart-command", "protocol", "admin-group"}) {
            auto *l = qobject_cast<QLabel *>(d.editor(QLatin1String(key)));
            QVERIFY2(l, key);
            QVERIFY2(l->toolTip().contains(QStringLiteral("only by root")), key);
        }
        QCOMPARE(qobject_cast<QLabel *>(d.editor(QStringLiteral("restart-command")))->text(),
                 QStringLiteral("systemctl reboot"));
        QCOMPARE(d.findChild<QTabWidget *>()->currentIndex(), 0); // admins start on the machine settings
        auto *interval = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("query-interval")));
        auto *maxPostpone = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("max-postponements")));
        QVERIFY(interval && maxPostpone);
        interval->setText(QStringLiteral("120"));
        maxPostpone->setText(QStringLiteral("5"));
        // Only what changed is sent, numbers as numbers, under the service's names.
        const QJsonObject expected{{QStringLiteral("query-interval"), 120}, {QStringLiteral("max-postponements"), 5}};
        QCOMPARE(d.changes(), expected);
        loaded.clear();
        QTest::mouseClick(d.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("set_settings")).isEmpty(), 5000);
        QCOMPARE(s.stub.lastRequest(QStringLiteral("set_settings")).value(QStringLiteral("settings")).toObject(),
                 expected);
        QTRY_VERIFY_WITH_TIMEOUT(d.saveResultLabel()->text().startsWith(QStringLiteral("Saved")), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000); // reloaded from the service
        QCOMPARE(qobject_cast<QLineEdit *>(d.editor(QStringLiteral("query-interval")))->text(), QStringLiteral("120"));

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

    void restartWindowPolicyForAdmins()
    {
        StubbedLink s;
        s.stub.peer.insert(QStringLiteral("admin"), true);
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        auto *window = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("restart-window")));
        auto *nobody = qobject_cast<QComboBox *>(d.editor(QStringLiteral("when-nobody-logged-in")));
        auto *schedule = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("reminder-schedule")));
        auto *step = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("time-choice-step-minutes")));
        QVERIFY(window && nobody && schedule && step);
        QCOMPARE(nobody->currentText(), QStringLiteral("Restart or shut down at once"));
        window->setText(QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        nobody->setCurrentIndex(nobody->findData(QStringLiteral("window")));
        step->setText(QStringLiteral("30"));
        const QJsonObject expected{{QStringLiteral("restart-window"), QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun")},
                                   {QStringLiteral("when-nobody-logged-in"), QStringLiteral("window")},
                                   {QStringLiteral("time-choice-step-minutes"), 30}};
        QCOMPARE(d.changes(), expected);
        // Read-only, in words.
        QCOMPARE(SettingsDialog::displayText(QStringLiteral("restart-window"), QString()), QStringLiteral("any time"));
        QCOMPARE(SettingsDialog::displayText(QStringLiteral("when-nobody-logged-in"), QStringLiteral("window")),
                 QStringLiteral("Wait for the restart window"));
    }

    void olderServiceWithoutFileOnly()
    {
        StubbedLink s;
        s.stub.peer.insert(QStringLiteral("admin"), true);
        s.stub.fileOnly = {};
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        auto *protocol = qobject_cast<QComboBox *>(d.editor(QStringLiteral("protocol")));
        QVERIFY(protocol);
        QCOMPARE(protocol->count(), 4);
        QVERIFY(protocol->findData(QStringLiteral("plain")) >= 0);
        auto *command = qobject_cast<QLineEdit *>(d.editor(QStringLiteral("restart-command")));
        QVERIFY(command);
        command->setText(QStringLiteral("/usr/local/sbin/reboot-now --reason \"OCO job\""));
        QCOMPARE(d.changes().value(QStringLiteral("restart-command")).toArray(),
                 (QJsonArray{QStringLiteral("/usr/local/sbin/reboot-now"), QStringLiteral("--reason"),
                             QStringLiteral("OCO job")}));
    }

    void serviceNotRunning()
    {
        QTemporaryDir dir;
        ServiceClient link(dir.filePath(QStringLiteral("none.sock")));
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
