// The main window's pages against a stub service: overview fields, every inventory field and list with the
// software filter, copy and export; jobs with live progress/output and history; the log's level filter; the
// window remembering its size.
#include "GuiTest.h"
#include "InventoryPage.h"
#include "JobsPage.h"
#include "LogPage.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "Preferences.h"
#include "Translations.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFrame>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>

using namespace oco::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        useTemporaryConfigHome(m_home);
        installTranslations(QStringLiteral("en"));
    }

    void overview()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        QCOMPARE(w.tabs()->count(), 4);
        OverviewPage *o = w.overviewPage();
        QTRY_COMPARE_WITH_TIMEOUT(o->fieldText(QStringLiteral("server")),
                                  QStringLiteral("https://oco.example.org/api-agent.php"), 5000);
        QCOMPARE(o->fieldText(QStringLiteral("dialect")), QStringLiteral("2021"));
        QCOMPARE(o->fieldText(QStringLiteral("agentVersion")), QStringLiteral("1.3.0"));
        QCOMPARE(o->fieldText(QStringLiteral("state")), QStringLiteral("Connected, idle"));
        QCOMPARE(o->fieldText(QStringLiteral("lastError")), QStringLiteral("none"));
        QVERIFY(o->fieldText(QStringLiteral("lastContact")) != QStringLiteral("never"));
        QVERIFY(!o->fieldText(QStringLiteral("nextContact")).isEmpty());
        QVERIFY(!o->fieldText(QStringLiteral("lastInventory")).isEmpty());

        // A pending restart shows on top, with Postpone and Restart now (both through the notice).
        QTRY_VERIFY_WITH_TIMEOUT(!o->powerBanner()->isHidden(), 5000);
        QVERIFY(o->powerBannerLabel()->text().startsWith(QStringLiteral("This computer will restart at")));
        QVERIFY(o->powerBannerLabel()->text().contains(QStringLiteral("(in 3 h 25 min)")));
        QVERIFY(!o->powerPostponeButton()->isHidden());
        QSignalSpy notice(&w, &MainWindow::noticeRequested);
        QSignalSpy actNow(&w, &MainWindow::actNowRequested);
        o->powerPostponeButton()->click();
        o->powerActNowButton()->click();
        QCOMPARE(notice.size(), 1);
        QCOMPARE(actNow.size(), 1);
        s.stub.setPower(ServiceStub::demoPower(true)); // no postponing in the final countdown
        QTRY_VERIFY_WITH_TIMEOUT(o->powerPostponeButton()->isHidden(), 5000);
        s.stub.setPower({});
        QTRY_VERIFY_WITH_TIMEOUT(o->powerBanner()->isHidden(), 5000);

        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("error")},
                          {QStringLiteral("error_kind"), QStringLiteral("auth")},
                          {QStringLiteral("last_error"), QStringLiteral("HTTP 401 from the server")},
                          {QStringLiteral("last_contact"), QJsonValue()}});
        QTRY_VERIFY_WITH_TIMEOUT(o->fieldText(QStringLiteral("lastError")).contains(QStringLiteral("HTTP 401")), 5000);
        QVERIFY(o->fieldText(QStringLiteral("lastError")).contains(QStringLiteral("agent key")));
        QCOMPARE(o->fieldText(QStringLiteral("lastContact")), QStringLiteral("never"));

        // Service gone: the page says so.
        s.stub.close();
        auto *banner = o->findChild<QLabel *>(QStringLiteral("banner"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QStringLiteral("cannot be reached")), 5000);
        QCOMPARE(o->fieldText(QStringLiteral("state")), QStringLiteral("Agent not running"));
    }

    void inventory()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        InventoryPage *inv = w.inventoryPage();
        QTRY_VERIFY_WITH_TIMEOUT(inv->view(QStringLiteral("software")), 5000);
        const QJsonObject expected = ServiceStub::demoInventory();

        // Every scalar field in General, every list in its own section with every row.
        int scalars = 0;
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            if (it.value().isArray()) {
                QSortFilterProxyModel *v = inv->view(it.key());
                QVERIFY2(v, qPrintable(it.key()));
                QCOMPARE(v->rowCount(), int(it.value().toArray().size()));
            } else {
                ++scalars;
            }
        }
        QSortFilterProxyModel *general = inv->view(QStringLiteral("general"));
        QCOMPARE(general->rowCount(), scalars);
        QStringList generalKeys;
        for (int r = 0; r < general->rowCount(); ++r)
            generalKeys << general->index(r, 0).data(Qt::UserRole).toString();
        QVERIFY(generalKeys.contains(QStringLiteral("serial")));
        QVERIFY(generalKeys.contains(QStringLiteral("battery_level")));
        QCOMPARE(inv->sections()->count(), 1 + 8);
        // List columns come from the objects.
        QSortFilterProxyModel *networks = inv->view(QStringLiteral("networks"));
        QStringList headers;
        for (int c = 0; c < networks->columnCount(); ++c)
            headers << networks->headerData(c, Qt::Horizontal).toString();
        QCOMPARE(headers,
                 (QStringList{QStringLiteral("Interface"), QStringLiteral("IP address"), QStringLiteral("Netmask"),
                              QStringLiteral("Broadcast"), QStringLiteral("MAC address")}));
        // Software first, as name | version | description.
        QCOMPARE(inv->sections()->widget(0)->objectName(), QStringLiteral("software"));
        QCOMPARE(inv->sections()->widget(1)->objectName(), QStringLiteral("general"));
        QSortFilterProxyModel *programs = inv->view(QStringLiteral("software"));
        QCOMPARE(programs->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Name"));
        QCOMPARE(programs->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Version"));
        QCOMPARE(programs->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Description"));
        // General in a sensible order, values in words and units, nothing blank.
        QCOMPARE(general->index(0, 0).data(Qt::UserRole).toString(), QStringLiteral("hostname"));
        auto generalValue = [&](const QString &key) {
            for (int r = 0; r < general->rowCount(); ++r)
                if (general->index(r, 0).data(Qt::UserRole).toString() == key)
                    return general->index(r, 1).data().toString();
            return QStringLiteral("(missing)");
        };
        QCOMPARE(generalValue(QStringLiteral("secure_boot")), QStringLiteral("Yes"));
        QCOMPARE(generalValue(QStringLiteral("battery_level")), QStringLiteral("—"));
        QSortFilterProxyModel *partitions = inv->view(QStringLiteral("partitions"));
        QCOMPARE(partitions->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Mounted at"));
        const QString size = partitions->index(0, 3).data().toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9.,]+ [MG]B$")).match(size).hasMatch(), qPrintable(size));
        QSortFilterProxyModel *users = inv->view(QStringLiteral("users"));
        QCOMPARE(users->index(0, users->columnCount() - 1).data().toString(), QStringLiteral("No"));
        QSortFilterProxyModel *devices = inv->view(QStringLiteral("devices"));
        QCOMPARE(devices->index(0, devices->columnCount() - 1).data().toString(), QStringLiteral("—"));

        // Software filter.
        QSortFilterProxyModel *software = inv->view(QStringLiteral("software"));
        QCOMPARE(software->rowCount(), 10);
        inv->softwareFilter()->setText(QStringLiteral("FIREFOX"));
        QCOMPARE(software->rowCount(), 1);
        inv->softwareFilter()->setText(QStringLiteral("program")); // matches descriptions too
        QCOMPARE(software->rowCount(), 2);
        inv->softwareFilter()->clear();
        QCOMPARE(software->rowCount(), 10);

        // Copy: the current section as text.
        for (int i = 0; i < inv->sections()->count(); ++i)
            if (inv->sections()->widget(i)->objectName() == QLatin1String("software"))
                inv->sections()->setCurrentIndex(i);
        inv->softwareFilter()->setText(QStringLiteral("vlc"));
        inv->copyCurrentSection();
        const QString copied = QApplication::clipboard()->text();
        QVERIFY(copied.contains(QStringLiteral("vlc\t3.0.20-0+deb12u1")));
        QVERIFY(!copied.contains(QStringLiteral("firefox")));

        // Export JSON: exactly what the server receives.
        QTemporaryDir out;
        QString error;
        QVERIFY(inv->exportJson(out.filePath(QStringLiteral("inv.json")), &error));
        QFile f(out.filePath(QStringLiteral("inv.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(f.readAll()).object(), expected);
        QVERIFY(!inv->exportJson(out.filePath(QStringLiteral("missing/dir/inv.json")), &error));
        QVERIFY(error.contains(QStringLiteral("Cannot write")));

        // Live update keeps the filter.
        QJsonObject changed = expected;
        QJsonArray sw = changed.value(QStringLiteral("software")).toArray();
        sw.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("vlc-plugin-base")},
                              {QStringLiteral("version"), QStringLiteral("3.0.20")}});
        changed.insert(QStringLiteral("software"), sw);
        s.stub.setInventory(changed, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
        QTRY_COMPARE_WITH_TIMEOUT(inv->view(QStringLiteral("software"))->sourceModel()->rowCount(), 11, 5000);
        QCOMPARE(inv->view(QStringLiteral("software"))->rowCount(), 2);
    }

    void jobs()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        JobsPage *jobs = w.jobsPage();
        QTRY_COMPARE_WITH_TIMEOUT(jobs->historyModel()->rowCount(), 2, 5000);
        // Newest first (as the service sends them), with state, return code and times.
        QCOMPARE(jobs->historyModel()->item(0, 0)->text(), QStringLiteral("18"));
        QCOMPARE(jobs->historyModel()->item(0, 2)->text(), QStringLiteral("Succeeded"));
        QCOMPARE(jobs->historyModel()->item(0, 3)->text(), QStringLiteral("0"));
        QVERIFY(!jobs->historyModel()->item(0, 4)->text().isEmpty());
        jobs->historyTable()->setCurrentIndex(jobs->historyModel()->index(1, 0));
        QVERIFY(jobs->historyOutput()->toPlainText().contains(QStringLiteral("Setting up vlc")));
        QCOMPARE(jobs->pendingModel()->rowCount(), 1);
        QCOMPARE(jobs->pendingModel()->item(0, 1)->text(), QStringLiteral("LibreOffice 7.6"));
        QVERIFY(jobs->powerLabel()->text().contains(QStringLiteral("restart at")));
        QVERIFY(!jobs->powerLabel()->isHidden());
        QVERIFY(jobs->progressBar()->isHidden());

        // A running job: progress and output update live.
        auto running = [](int progress, const QString &out) {
            return QJsonObject{{QStringLiteral("running"),
                                QJsonObject{{QStringLiteral("id"), 19},
                                            {QStringLiteral("package_id"), QStringLiteral("LibreOffice 7.6")},
                                            {QStringLiteral("phase"), QStringLiteral("execute")},
                                            {QStringLiteral("progress"), progress},
                                            {QStringLiteral("output_tail"), out}}},
                               {QStringLiteral("pending"), QJsonArray()},
                               {QStringLiteral("history"), QJsonArray()}};
        };
        s.stub.setJobs(running(40, QStringLiteral("Unpacking libreoffice-core")));
        QTRY_COMPARE_WITH_TIMEOUT(jobs->progressBar()->value(), 40, 5000);
        QVERIFY(!jobs->progressBar()->isHidden());
        QVERIFY(jobs->runningLabel()->text().contains(QStringLiteral("Running the procedure")));
        QCOMPARE(jobs->outputView()->toPlainText(), QStringLiteral("Unpacking libreoffice-core"));
        s.stub.setJobs(running(75, QStringLiteral("Unpacking libreoffice-core\nSetting up libreoffice-core")));
        QTRY_COMPARE_WITH_TIMEOUT(jobs->progressBar()->value(), 75, 5000);
        QVERIFY(jobs->outputView()->toPlainText().endsWith(QStringLiteral("Setting up libreoffice-core")));
        QCOMPARE(jobs->pendingModel()->rowCount(), 0);

        s.stub.setPower({});
        QTRY_VERIFY_WITH_TIMEOUT(jobs->powerLabel()->isHidden(), 5000);
        // Jobs held by a pending action say why.
        s.stub.setStatus({{QStringLiteral("state"), QStringLiteral("idle")},
                          {QStringLiteral("held"), QStringLiteral("a restart is pending")}});
        QTRY_VERIFY_WITH_TIMEOUT(!jobs->powerLabel()->isHidden(), 5000);
        QCOMPARE(jobs->powerLabel()->text(), QStringLiteral("Jobs are waiting: a restart is pending"));
    }

    void logFilter()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        LogPage *log = w.logPage();
        // Default: information and above (one debug line of seven hidden).
        QTRY_COMPARE_WITH_TIMEOUT(log->view()->rowCount(), 6, 5000);
        log->levelFilter()->setCurrentIndex(0);
        QCOMPARE(log->view()->rowCount(), 7);
        log->levelFilter()->setCurrentIndex(2);
        QCOMPARE(log->view()->rowCount(), 2);
        log->levelFilter()->setCurrentIndex(3);
        QCOMPARE(log->view()->rowCount(), 1);
        QVERIFY(log->view()->index(0, 3).data().toString().contains(QStringLiteral("did not answer")));
        log->levelFilter()->setCurrentIndex(0);
        log->textFilter()->setText(QStringLiteral("job 18"));
        QCOMPARE(log->view()->rowCount(), 3);
        // New lines arrive live.
        log->textFilter()->clear();
        s.stub.addLog(QJsonArray{QJsonObject{{QStringLiteral("time"), QStringLiteral("2026-11-26T08:00:00Z")},
                                             {QStringLiteral("level"), QStringLiteral("warning")},
                                             {QStringLiteral("category"), QStringLiteral("oco.agent")},
                                             {QStringLiteral("message"), QStringLiteral("disk almost full")}}});
        QTRY_COMPARE_WITH_TIMEOUT(log->view()->rowCount(), 8, 5000);
    }

    void keyboardAndNames()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        MainWindow w(s.link.get(), &prefs);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // Ctrl+3 goes to Jobs, Ctrl+1 back to Overview.
        QTest::keyClick(&w, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(w.tabs()->currentIndex(), int(MainWindow::Jobs));
        QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(w.tabs()->currentIndex(), int(MainWindow::Overview));
        // Every interactive widget has an accessible name or a visible text.
        const QList<QWidget *> widgets = w.findChildren<QWidget *>();
        for (QWidget *wd : widgets) {
            if (qobject_cast<QLineEdit *>(wd) || qobject_cast<QTableView *>(wd) || qobject_cast<QComboBox *>(wd) ||
                qobject_cast<QProgressBar *>(wd) || qobject_cast<QPlainTextEdit *>(wd)) {
                if (wd->parent() && qobject_cast<QComboBox *>(wd->parent()))
                    continue; // the combo box's own line edit
                QVERIFY2(!wd->accessibleName().isEmpty(),
                         qPrintable(wd->objectName() + QLatin1Char(' ') +
                                    QString::fromLatin1(wd->metaObject()->className())));
            }
        }
    }

    void remembersSize()
    {
        StubbedLink s;
        QVERIFY(s.start());
        Preferences prefs;
        {
            MainWindow w(s.link.get(), &prefs);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(701, 503);
            QTRY_COMPARE_WITH_TIMEOUT(w.size(), QSize(701, 503), 5000);
            w.close();
        }
        MainWindow again(s.link.get(), &prefs);
        QCOMPARE(again.size(), QSize(701, 503));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
