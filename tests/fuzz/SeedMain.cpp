// Writes the seed corpora of the fuzz targets from the same helpers the tests use (real ZIPs from
// ZipBuilder, replies in the test server's PHP-style JSON). Usage: oco-fuzz-seeds <tests/fuzz/corpus>
// Seeds of later targets (EDID blobs, dpkg status, wtmp) are copied from tests/fixtures by
// bench/fuzz/seed-from-fixtures.sh instead.
#include "TestServer.h"
#include "ZipBuilder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>

using namespace oco::test;

namespace {
QString g_root;

void seed(const QString &target, const QString &name, const QByteArray &data)
{
    QDir().mkpath(g_root + QLatin1Char('/') + target);
    QFile f(g_root + QLatin1Char('/') + target + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        std::fprintf(stderr, "cannot write %s\n", qPrintable(f.fileName()));
}

QByteArray reply(const QJsonObject &params)
{
    return TestServer::phpJson(
        QJsonObject{{QStringLiteral("id"), 1},
                    {QStringLiteral("error"), QJsonValue::Null},
                    {QStringLiteral("result"),
                     QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("params"), params}}}});
}

QJsonObject job(QJsonValue id, QJsonValue container, QJsonValue package, const QString &procedure)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("container-id"), container},
                       {QStringLiteral("package-id"), package},
                       {QStringLiteral("download"), true},
                       {QStringLiteral("procedure"), procedure},
                       {QStringLiteral("sequence-mode"), 1},
                       {QStringLiteral("restart"), QJsonValue::Null},
                       {QStringLiteral("shutdown"), 30},
                       {QStringLiteral("exit"), QJsonValue::Null}};
}
} // namespace

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
        return 64;
    }
    g_root = QString::fromLocal8Bit(argv[1]);

    const QByteArray official =
        "# OCO agent\n[agent]\ndebug = 1\nquery-interval = 120\nagent-key = ernesto\n"
        "connection-timeout = 3.05\nread-timeout = 150\nchunk-size = 8192\n"
        "hostname-remove-domain = 0\n\n[server]\napi-url = https://oco.example.com/api-agent.php\n"
        "payload-url = https://oco.example.com/payloadprovider.php\nserver-key = \n\n"
        "[linux]\nlocal-users-min-uid = 500\n";
    const QByteArray ours = "[agent]\nquery-interval: 60\nagent-key = k ; not a comment\nAgent-Key = later wins\n"
                            "[server]\nprotocol = 2021\nproxy = none\npin-sha256 = sha256/AAAA\n"
                            "[power]\npostpone-choices = 60, 240,480\nrestart-command = \"/sbin/shutdown\" -r 'now'\n"
                            "max-postponements = 3\n";
    const QByteArray bad = "\xEF\xBB\xBF[agent]\r\nquery-interval = 0.5\r\n[server\r\nkey without value\r\n";
    for (const QString &t : {QStringLiteral("ini"), QStringLiteral("config")}) {
        seed(t, QStringLiteral("official.ini"), official);
        seed(t, QStringLiteral("ours.ini"), ours);
        seed(t, QStringLiteral("bad.ini"), bad);
    }
    seed(QStringLiteral("ini"), QStringLiteral("utf8.ini"), "[agent]\nagent-key = \xC3\xB0\xC5\xB8\xC5\x92\xCB\x86\n");

    const QString serverKey = QStringLiteral("serverkey000000000000000000000");
    seed(QStringLiteral("reply2021"), QStringLiteral("hello-first-contact.json"),
         reply(QJsonObject{{QStringLiteral("server-key"), serverKey},
                           {QStringLiteral("agent-key"), QStringLiteral("individualkey0000000000000000a")},
                           {QStringLiteral("update"), 1},
                           {QStringLiteral("software-jobs"), QJsonArray()}}));
    seed(QStringLiteral("reply2021"), QStringLiteral("hello-jobs.json"),
         reply(QJsonObject{{QStringLiteral("server-key"), serverKey},
                           {QStringLiteral("agent-key"), QJsonValue::Null},
                           {QStringLiteral("update"), 0},
                           {QStringLiteral("software-jobs"),
                            QJsonArray{job(123, 12, 45, QStringLiteral("./install.sh")),
                                       job(QStringLiteral("124"), QStringLiteral("12"), QStringLiteral("46"),
                                           QStringLiteral("apt-get install -y /tmp/x.deb"))}}}));
    seed(QStringLiteral("reply2021"), QStringLiteral("hello-single-job.json"),
         reply(QJsonObject{{QStringLiteral("server-key"), serverKey},
                           {QStringLiteral("update"), QStringLiteral("1")},
                           {QStringLiteral("software-jobs"), job(7, 1, 2, QString())}}));
    seed(QStringLiteral("reply2021"), QStringLiteral("update-empty-params.json"),
         "{\"id\":1,\"error\":null,\"result\":{\"success\":true,\"params\":[]}}");
    seed(QStringLiteral("reply2021"), QStringLiteral("unknown-method.json"),
         "{\"id\":1,\"result\":null,\"error\":\"Unknown Method\"}");
    seed(QStringLiteral("reply2021"), QStringLiteral("html.txt"), "<html><body>502 Bad Gateway</body></html>");

    const QByteArray script = "#!/bin/sh\necho installed\n";
    seed(QStringLiteral("archive"), QStringLiteral("package.zip"),
         ZipBuilder()
             .dir(QStringLiteral("bin"))
             .file(QStringLiteral("install.sh"), script, 0755)
             .file(QStringLiteral("bin/tool"), "tool", 0755)
             .symlink(QStringLiteral("run"), QStringLiteral("bin/tool"))
             .build());
    seed(QStringLiteral("archive"), QStringLiteral("dotdot.zip"),
         ZipBuilder().file(QStringLiteral("../evil"), "x").build());
    seed(QStringLiteral("archive"), QStringLiteral("absolute.zip"),
         ZipBuilder().file(QStringLiteral("/tmp/evil"), "x").build());
    seed(QStringLiteral("archive"), QStringLiteral("symlink-out.zip"),
         ZipBuilder().symlink(QStringLiteral("link"), QStringLiteral("../../etc")).build());
    seed(QStringLiteral("archive"), QStringLiteral("hardlink.tar"),
         ZipBuilder().file(QStringLiteral("a"), "a").hardlink(QStringLiteral("b"), QStringLiteral("a")).buildTar());
    seed(QStringLiteral("archive"), QStringLiteral("setuid.tar"),
         ZipBuilder().file(QStringLiteral("su"), "x", 04755).buildTar());

    seed(QStringLiteral("output"), QStringLiteral("utf8.txt"), "Installing \xE2\x9C\x93 done\nline 2\n");
    seed(QStringLiteral("output"), QStringLiteral("cp1252.txt"),
         "Gr\xFC\xDF"
         "e \x80 \x93quoted\x94\n");
    seed(QStringLiteral("output"), QStringLiteral("latin1-undefined.txt"), "\x81\x8D\x8F\x90\x9D\xFF");
    seed(QStringLiteral("output"), QStringLiteral("long.txt"), QByteArray(300, 'x') + "\xC3" + QByteArray(50, 'y'));

    seed(QStringLiteral("masksecrets"), QStringLiteral("request.json"),
         "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"oco.agent_hello\",\"params\":{\"agent-key\":\"s3cr\\\"et\","
         "\"data\":{\"agent_version\":\"1.3.0\",\"networks\":[]},\"hostname\":\"pc1\"}}");
    seed(QStringLiteral("masksecrets"), QStringLiteral("reply.json"),
         reply(QJsonObject{{QStringLiteral("server-key"), serverKey},
                           {QStringLiteral("agent-key"), QStringLiteral("a/b\\c\xC3\xA9")},
                           {QStringLiteral("update-passwords"),
                            QJsonArray{QJsonObject{{QStringLiteral("password"), QStringLiteral("pw")},
                                                   {QStringLiteral("iv"), QStringLiteral("aXY=")},
                                                   {QStringLiteral("data"), QStringLiteral("ZGF0YQ==")}}}}}));
    return 0;
}
