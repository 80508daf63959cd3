#pragma once

// Shared by every fuzz target in this directory. A target is one file fuzz_<name>.cpp defining
// LLVMFuzzerTestOneInput; its seeds live in corpus/<name>/ and crash inputs in regressions/<name>/.
// With OCO_FUZZ=ON it becomes a libFuzzer binary, otherwise a ctest that replays both directories.

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace oco::fuzz {

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

// A private directory for this process (on tmpfs when there is one), removed at exit.
QString scratchDir();
// Writes `data` to `path`, replacing it; aborts when that fails (a broken harness, not a finding).
void writeFile(const QString &path, const QByteArray &data);

[[noreturn]] void fail(const char *file, int line, const char *condition, const QString &detail);

} // namespace oco::fuzz

// An invariant of the code under test; a violation aborts, so libFuzzer keeps the input as a crash.
#define FUZZ_CHECK(condition, detail)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::oco::fuzz::fail(__FILE__, __LINE__, #condition, (detail));                                               \
    } while (0)

#define OCO_FUZZ_TARGET extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
