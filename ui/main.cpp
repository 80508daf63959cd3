// oco-tray: the desktop side of the OCO agent. One per graphical session; talks to the service over its
// control socket only.
#include "MainWindow.h"
#include "Preferences.h"
#include "ServiceClient.h"
#include "StateIcon.h"
#include "Translations.h"
#include "TrayApp.h"
#include "busy/BusyWatch.h"
#include "platform/DesktopNotifier.h"
#include "platform/Paths.h"
#include "platform/SingleInstance.h"

#include "core/Clock.h"
#include "core/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocalServer>
#include <QLocalSocket>

using namespace oco::ui;

namespace {

// Asks a running tray of this session to open its window; true when one answered.
bool forwardToRunningInstance(const QString &name, const QString &page)
{
    QLocalSocket socket;
    socket.connectToServer(name);
    if (!socket.waitForConnected(500))
        return false;
    socket.write(QStringLiteral("open %1\n").arg(page).toUtf8());
    socket.waitForBytesWritten(500);
    socket.disconnectFromServer();
    return true;
}

// Without a display there is nothing to show: says so (false) instead of letting Qt abort.
bool haveDisplay(int argc, char *argv[])
{
    bool exporting = false; // these options need no display
    for (int i = 1; i < argc; ++i)
        for (const char *o : {"--export-icons", "--help", "-h", "--version", "-v"})
            exporting = exporting || qstrcmp(argv[i], o) == 0;
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
        !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    if (!exporting) {
        fprintf(stderr, "oco-tray: no graphical display (DISPLAY and WAYLAND_DISPLAY are not set); nothing to show\n");
        return false;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    return true;
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QApplication::translate("main", "Shows the OCO agent's state, inventory, jobs and restart notices."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("socket"),
         QApplication::translate("main", "The service's control socket (default: $OCO_CONTROL_SOCKET or %1).")
             .arg(oco::platform::defaultControlSocket()),
         QStringLiteral("path"), ServiceClient::defaultSocketPath()},
        {QStringLiteral("open"),
         QApplication::translate("main", "Open the window at a page (overview, inventory, jobs, log) or the settings."),
         QStringLiteral("page")},
        {QStringLiteral("language"), QApplication::translate("main", "Language (en, de); default: your setting."),
         QStringLiteral("code")},
        {QStringLiteral("export-icons"),
         QApplication::translate("main", "Write the icons as PNG files below a folder (hicolor layout) and exit."),
         QStringLiteral("dir")},
        {QStringLiteral("palette"),
         QApplication::translate("main", "Use a light or dark palette (default: the desktop's; use this where the "
                                         "desktop's dark mode does not reach Qt applications)."),
         QStringLiteral("light|dark")},
    });
}

int exportIconsTo(const QString &dir)
{
    QString error;
    const int n = exportIcons(dir, &error);
    if (n < 0) {
        fprintf(stderr, "oco-tray: %s\n", qPrintable(error));
        return 1;
    }
    printf("wrote %d icons\n", n);
    return 0;
}

// A second tray of this session asks the running one to open its window at a page or the settings.
void answerOtherInstances(QLocalServer *instance, TrayApp *tray)
{
    QObject::connect(instance, &QLocalServer::newConnection, tray, [instance, tray] {
        QLocalSocket *peer = instance->nextPendingConnection();
        QObject::connect(peer, &QLocalSocket::disconnected, peer, &QObject::deleteLater);
        QObject::connect(peer, &QLocalSocket::readyRead, tray, [peer, tray] {
            if (!peer->canReadLine())
                return;
            const QString line = QString::fromUtf8(peer->readLine()).trimmed();
            MainWindow::Page p = MainWindow::Overview;
            if (line == QLatin1String("open settings")) {
                tray->openSettings();
                return;
            }
            if (line.startsWith(QLatin1String("open ")))
                MainWindow::pageFromName(line.mid(5), &p);
            tray->openWindow(p);
        });
    });
}

} // namespace

int main(int argc, char *argv[])
{
    if (!haveDisplay(argc, argv))
        return 1;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("oco-tray"));
    QApplication::setOrganizationName(QStringLiteral("oco"));
    QApplication::setApplicationVersion(QStringLiteral(OCO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("oco-tray"));
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);
    if (parser.isSet(QStringLiteral("export-icons")))
        return exportIconsTo(parser.value(QStringLiteral("export-icons")));
    const QString openValue = parser.value(QStringLiteral("open"));
    const bool openSet = parser.isSet(QStringLiteral("open"));

    MainWindow::Page page = MainWindow::Overview;
    const bool openSettings = openValue == QLatin1String("settings");
    if (openSet && !openSettings && !MainWindow::pageFromName(openValue, &page)) {
        fprintf(stderr, "oco-tray: unknown page '%s'; use overview, inventory, jobs, log or settings\n",
                qPrintable(openValue));
        return 2;
    }

    const QString name = platform::singleInstanceName();
    if (forwardToRunningInstance(name, openSet ? openValue : QStringLiteral("overview")))
        return 0;
    QLocalServer instance;
    QLocalServer::removeServer(name); // a stale socket from a crashed tray
    instance.setSocketOptions(QLocalServer::UserAccessOption);
    instance.listen(name);

    if (parser.isSet(QStringLiteral("palette")))
        usePalette(parser.value(QStringLiteral("palette")) == QLatin1String("dark") ? Panel::Dark : Panel::Light);

    Preferences prefs;
    installTranslations(parser.isSet(QStringLiteral("language")) ? parser.value(QStringLiteral("language"))
                                                                 : prefs.language());
    QApplication::setWindowIcon(appIcon());

    ServiceClient link(parser.value(QStringLiteral("socket")));
    const std::unique_ptr<DesktopNotifier> notifier = DesktopNotifier::create();
    TrayApp tray(&link, oco::Clock::system(), notifier.get());
    QObject::connect(&tray, &TrayApp::quitRequested, &app, &QApplication::quit);
    // Do not disturb while presenting or in a call (full-screen window, screensaver inhibitor, camera).
    BusyWatch *busy = BusyWatch::createDefault(&tray);
    tray.setBusyWatch(busy);
    busy->start();
    answerOtherInstances(&instance, &tray);
    link.start();
    tray.start();
    if (openSettings)
        tray.openSettings();
    else if (openSet)
        tray.openWindow(page);
    return app.exec();
}
