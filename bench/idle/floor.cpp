// The floor of bench/idle: the least memory any Qt 6 service of ours can idle in on this machine.
// It does only what every such service must do at least, with the same Qt Core + Network libraries:
// run an event loop, listen on a local socket (the tray link), make one HTTP request and keep its
// QNetworkAccessManager, hand the heap back (as oco-agent does between cycles), then wait.
//
// Usage: idle-floor SOCKET-PATH URL
// Prints "floor: HTTP <status>, <n> bytes" once the reply is in, and idles until SIGTERM.
#include <QCoreApplication>
#include <QLocalServer>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SOCKET-PATH URL\n", argv[0]);
        return 2;
    }
    const QString socketPath = QString::fromLocal8Bit(argv[1]);
    QLocalServer local;
    QLocalServer::removeServer(socketPath);
    if (!local.listen(socketPath)) {
        std::fprintf(stderr, "floor: cannot listen on %s: %s\n", argv[1], qPrintable(local.errorString()));
        return 1;
    }
    // Whoever connects is let in and left alone; nothing connects during the benchmark.
    QObject::connect(&local, &QLocalServer::newConnection, [&local] {
        while (QLocalSocket *peer = local.nextPendingConnection())
            QObject::connect(peer, &QLocalSocket::disconnected, peer, &QObject::deleteLater);
    });

    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(QString::fromLocal8Bit(argv[2]))));
    QObject::connect(reply, &QNetworkReply::finished, [reply] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const qsizetype bytes = reply->readAll().size();
        std::printf("floor: HTTP %d, %lld bytes\n", status, static_cast<long long>(bytes));
        std::fflush(stdout);
        reply->deleteLater();
#ifdef __GLIBC__
        // After the reply is gone: return the freed heap to the system, like the agent after a cycle.
        QTimer::singleShot(0, [] { ::malloc_trim(0); });
#endif
    });
    return QCoreApplication::exec();
}
