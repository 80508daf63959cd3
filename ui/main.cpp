// oco-tray: the desktop side of the OCO agent. One per graphical session; talks to the service over its
// control socket only.
#include "MainWindow.h"
#include "Notifier.h"
#include "Preferences.h"
#include "ServiceClient.h"
#include "StateIcon.h"
#include "Translations.h"
#include "TrayApp.h"
#include "busy/BusyWatch.h"

#include "core/Clock.h"
#include "core/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

#include <unistd.h>

using namespace oco::ui;

namespace {

// One tray per session: the name includes the user and the display.
QString instanceName()
{
    QString display = QString::fromLocal8Bit(qgetenv("WAYLAND_DISPLAY"));
    if (display.isEmpty())
        display = QString::fromLocal8Bit(qgetenv("DISPLAY"));
    display.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char(':'), QLatin1Char('_'));
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    return QStringLiteral("%1/oco-tray-%2-%3").arg(dir).arg(getuid()).arg(display);
}

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

} // namespace

int main(int argc, char *argv[])
{
    // Without a display there is nothing to show: say so instead of letting Qt abort.
    bool exporting = false; // these options need no display
    for (int i = 1; i < argc; ++i)
        for (const char *o : {"--export-icons", "--help", "-h", "--version", "-v"})
            exporting = exporting || qstrcmp(argv[i], o) == 0;
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        if (!exporting) {
            fprintf(stderr,
                    "oco-tray: no graphical display (DISPLAY and WAYLAND_DISPLAY are not set); nothing to show\n");
            return 1;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("oco-tray"));
    QApplication::setOrganizationName(QStringLiteral("oco"));
    QApplication::setApplicationVersion(QStringLiteral(OCO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("oco-tray"));
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Shows the OCO agent's state, inventory, jobs and restart notices."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption socketOption(
        QStringLiteral("socket"),
        QApplication::translate("main", "The service's control socket (default: $OCO_CONTROL_SOCKET or %1).")
            .arg(QStringLiteral("/run/oco-agent/control.sock")),
        QStringLiteral("path"), ServiceClient::defaultSocketPath());
    QCommandLineOption openOption(
        QStringLiteral("open"),
        QApplication::translate("main", "Open the window at a page (overview, inventory, jobs, log) or the settings."),
        QStringLiteral("page"));
    QCommandLineOption languageOption(QStringLiteral("language"),
                                      QApplication::translate("main", "Language (en, de); default: your setting."),
                                      QStringLiteral("code"));
    QCommandLineOption exportOption(QStringLiteral("export-icons"),
                                    QApplication::translate("main", "Write the icons as PNG files below a folder "
                                                                    "(hicolor layout) and exit."),
                                    QStringLiteral("dir"));
    QCommandLineOption paletteOption(
        QStringLiteral("palette"),
        QApplication::translate("main", "Use a light or dark palette (default: the desktop's; use this where the "
                                        "desktop's dark mode does not reach Qt applications)."),
        QStringLiteral("light|dark"));
    parser.addOptions({socketOption, openOption, languageOption, exportOption, paletteOption});
    parser.process(app);

    if (parser.isSet(exportOption)) {
        QString error;
        const int n = exportIcons(parser.value(exportOption), &error);
        if (n < 0) {
            fprintf(stderr, "oco-tray: %s\n", qPrintable(error));
            return 1;
        }
        printf("wrote %d icons\n", n);
        return 0;
    }

    MainWindow::Page page = MainWindow::Overview;
    const bool openSettings = parser.value(openOption) == QLatin1String("settings");
    if (parser.isSet(openOption) && !openSettings && !MainWindow::pageFromName(parser.value(openOption), &page)) {
        fprintf(stderr, "oco-tray: unknown page '%s'; use overview, inventory, jobs, log or settings\n",
                qPrintable(parser.value(openOption)));
        return 2;
    }

    const QString name = instanceName();
    if (forwardToRunningInstance(name,
                                 parser.isSet(openOption) ? parser.value(openOption) : QStringLiteral("overview")))
        return 0;
    QLocalServer instance;
    QLocalServer::removeServer(name); // a stale socket from a crashed tray
    instance.setSocketOptions(QLocalServer::UserAccessOption);
    instance.listen(name);

    if (parser.isSet(paletteOption))
        usePalette(parser.value(paletteOption) == QLatin1String("dark") ? Panel::Dark : Panel::Light);

    Preferences prefs;
    installTranslations(parser.isSet(languageOption) ? parser.value(languageOption) : prefs.language());
    QApplication::setWindowIcon(appIcon());

    ServiceClient link(parser.value(socketOption));
    Notifier notifier;
    TrayApp tray(&link, oco::Clock::system(), &notifier);
    QObject::connect(&tray, &TrayApp::quitRequested, &app, &QApplication::quit);
    // Do not disturb while presenting or in a call (full-screen window, screensaver inhibitor, camera).
    BusyWatch *busy = BusyWatch::createDefault(&tray);
    tray.setBusyWatch(busy);
    busy->start();
    QObject::connect(&instance, &QLocalServer::newConnection, &tray, [&] {
        QLocalSocket *peer = instance.nextPendingConnection();
        QObject::connect(peer, &QLocalSocket::disconnected, peer, &QObject::deleteLater);
        QObject::connect(peer, &QLocalSocket::readyRead, &tray, [peer, &tray] {
            if (!peer->canReadLine())
                return;
            const QString line = QString::fromUtf8(peer->readLine()).trimmed();
            MainWindow::Page p = MainWindow::Overview;
            if (line == QLatin1String("open settings")) {
                tray.openSettings();
                return;
            }
            if (line.startsWith(QLatin1String("open ")))
                MainWindow::pageFromName(line.mid(5), &p);
            tray.openWindow(p);
        });
    });
    link.start();
    tray.start();
    if (openSettings)
        tray.openSettings();
    else if (parser.isSet(openOption))
        tray.openWindow(page);
    return app.exec();
}
