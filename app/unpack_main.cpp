// oco-agent-unpack: extracts one software package for the service (jobs/Unpack.h), in a process of its own.
// Usage: oco-agent-unpack ARCHIVE DEST-DIR MAX-BYTES MAX-ENTRIES
// Prints one JSON object on stdout: {"ok":true,"entries":N,"bytes":N} or {"ok":false,"error":"..."}.
// Exit status: 0 extracted, 1 refused or failed, 2 wrong arguments.
#include "jobs/Archive.h"
#include "platform/Sandbox.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace {

int answer(const QJsonObject &o, int status)
{
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fflush(stdout);
    return status;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 5) {
        std::fprintf(stderr, "usage: oco-agent-unpack ARCHIVE DEST-DIR MAX-BYTES MAX-ENTRIES\n");
        return 2;
    }
    bool okBytes = false, okEntries = false;
    oco::ExtractLimits limits;
    limits.maxTotalBytes = QByteArray(argv[3]).toLongLong(&okBytes);
    limits.maxEntries = QByteArray(argv[4]).toLongLong(&okEntries);
    if (!okBytes || !okEntries || limits.maxTotalBytes <= 0 || limits.maxEntries <= 0) {
        std::fprintf(stderr, "oco-agent-unpack: MAX-BYTES and MAX-ENTRIES must be positive numbers\n");
        return 2;
    }
    // Defence in depth around the checks in extractArchive(): no file may grow past the total limit
    // (writes fail with EFBIG instead of a signal), no setuid gains, and no core dump of what the server sent.
    oco::platform::confineHelperProcess(limits.maxTotalBytes);

    const oco::ExtractResult r = oco::extractArchive(QFile::decodeName(argv[1]), QFile::decodeName(argv[2]), limits);
    if (!r.ok)
        return answer({{QStringLiteral("ok"), false}, {QStringLiteral("error"), r.error}}, 1);
    return answer({{QStringLiteral("ok"), true},
                   {QStringLiteral("entries"), static_cast<double>(r.entries)},
                   {QStringLiteral("bytes"), static_cast<double>(r.bytes)}},
                  0);
}
