// oco-inhibit-helper: holds an org.freedesktop.ScreenSaver inhibitor the way a video player or presentation
// program does, for ui/dnd-check.sh. Prints the cookie; on end of stdin releases it (UnInhibit) and exits.
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QFile>
#include <QSocketNotifier>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        fprintf(stderr, "usage: oco-inhibit-helper APPLICATION REASON\n");
        return 2;
    }
    QDBusConnection bus = QDBusConnection::sessionBus();
    auto call = [&](const QString &method, const QVariantList &arguments) {
        QDBusMessage m = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.ScreenSaver"),
                                                        QStringLiteral("/org/freedesktop/ScreenSaver"),
                                                        QStringLiteral("org.freedesktop.ScreenSaver"), method);
        m.setArguments(arguments);
        return bus.call(m, QDBus::Block, 10000);
    };
    const QDBusMessage reply = call(QStringLiteral("Inhibit"), {args.at(1), args.at(2)});
    if (reply.type() != QDBusMessage::ReplyMessage) {
        fprintf(stderr, "Inhibit failed: %s\n", qPrintable(reply.errorMessage()));
        return 1;
    }
    const uint cookie = reply.arguments().value(0).toUInt();
    printf("%u\n", cookie);
    fflush(stdout);
    QFile input;
    input.open(stdin, QIODevice::ReadOnly);
    QSocketNotifier notifier(input.handle(), QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        if (!input.readLine().isEmpty())
            return;
        call(QStringLiteral("UnInhibit"), {cookie});
        app.quit();
    });
    return app.exec();
}
