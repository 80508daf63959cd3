// Windows on a small screen at a large scale: the window, the settings dialog and the notice stay inside the
// available area (1366x768 at 200 % is 683x384 logical), with their buttons on screen; what does not fit
// scrolls inside.
#include "GuiTest.h"
#include "MainWindow.h"
#include "PowerNotice.h"
#include "Preferences.h"
#include "SettingsDialog.h"
#include "Translations.h"

#include "core/Clock.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QPushButton>
#include <QScreen>
#include <QTabWidget>

using namespace oco::ui;

namespace {
// Inside the window's own rectangle: visible to the person, not cut off.
bool shownWhole(const QWidget *child, const QWidget *window)
{
    return child->isVisible() && window->rect().contains(QRect(child->mapTo(window, QPoint()), child->size()));
}

bool insideScreen(const QWidget *window)
{
    return window->screen()->availableGeometry().contains(window->frameGeometry());
}
} // namespace

class TestScreenFit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        installTranslations(QStringLiteral("de")); // the longer words
        QCOMPARE(QApplication::primaryScreen()->availableGeometry().size(), QSize(683, 384));
    }

    void mainWindowEvenWithALargeSavedSize()
    {
        QTemporaryDir dir;
        useTemporaryConfigHome(dir);
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        {
            MainWindow big(s.link.get(), &prefs);
            big.setMinimumSize(1640, 1200);
            big.resize(1640, 1200);
            prefs.setWindowGeometry(big.saveGeometry()); // saved on a large screen
        }
        MainWindow w(s.link.get(), &prefs);
        w.showPage(MainWindow::Inventory);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(insideScreen(&w), qPrintable(QStringLiteral("%1x%2").arg(w.width()).arg(w.height())));
        QVERIFY(shownWhole(w.tabs(), &w));
    }

    void settingsKeepTheirButtons()
    {
        QTemporaryDir dir;
        useTemporaryConfigHome(dir);
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        d.load();
        QTRY_VERIFY_WITH_TIMEOUT(!s.stub.lastRequest(QStringLiteral("get_settings")).isEmpty(), 5000);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY2(insideScreen(&d), qPrintable(QStringLiteral("%1x%2").arg(d.width()).arg(d.height())));
        auto *box = d.findChild<QDialogButtonBox *>();
        QVERIFY(box);
        QVERIFY(shownWhole(box->button(QDialogButtonBox::Close), &d));
        d.findChild<QTabWidget *>()->setCurrentIndex(0); // an employee starts on the other page
        QVERIFY(shownWhole(d.findChild<QPushButton *>(QStringLiteral("testButton")), &d));
    }

    void noticeKeepsItsButtons()
    {
        StubbedLink s;
        s.stub.loadDemoState();
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(!s.link->powerPending().isEmpty(), 5000);
        oco::ManualClock clock;
        PowerNotice notice(s.link.get(), clock);
        notice.setPending(s.link->powerPending());
        notice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&notice));
        QVERIFY2(insideScreen(&notice), qPrintable(QStringLiteral("%1x%2").arg(notice.width()).arg(notice.height())));
        QVERIFY(shownWhole(notice.actNowButton(), &notice));
        QVERIFY(shownWhole(notice.postponeButton(), &notice));
        QVERIFY(shownWhole(notice.hideButton(), &notice));
    }
};

int main(int argc, char *argv[])
{
    // A 1366x768 laptop screen at 200 %, whatever display the test runs on.
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("screen.json"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly))
        return 1;
    f.write(R"({"windowFrameMargins": true, "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
               "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    f.close();
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + config.toLocal8Bit());
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestScreenFit test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_screenfit.moc"
