#include "FuzzSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace oco::fuzz {

namespace {
// Millions of inputs would otherwise print millions of warnings; OCO_FUZZ_VERBOSE=1 shows them.
void quiet(QtMsgType type, const QMessageLogContext &, const QString &msg)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "FATAL: %s\n", qPrintable(msg));
        std::abort();
    }
}

struct QuietInstaller
{
    QuietInstaller()
    {
        if (qEnvironmentVariableIsEmpty("OCO_FUZZ_VERBOSE"))
            qInstallMessageHandler(quiet);
    }
} g_quiet;
} // namespace

QString scratchDir()
{
    static std::unique_ptr<QTemporaryDir> dir;
    if (!dir) {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/oco-fuzz-XXXXXX"));
        if (!dir->isValid()) {
            std::fprintf(stderr, "cannot create a scratch directory under %s\n", qPrintable(base));
            std::abort();
        }
    }
    return dir->path();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        std::fprintf(stderr, "cannot write %s: %s\n", qPrintable(path), qPrintable(f.errorString()));
        std::abort();
    }
}

void fail(const char *file, int line, const char *condition, const QString &detail)
{
    std::fprintf(stderr, "%s:%d: invariant violated: %s\n  %s\n", file, line, condition, qPrintable(detail));
    std::fflush(stderr);
    std::abort();
}

} // namespace oco::fuzz
