#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace oco {

// Keeps the head and the tail of a stream of output in bounded memory and says how much was cut between.
class OutputBuffer
{
public:
    explicit OutputBuffer(qsizetype headBytes = 32 * 1024, qsizetype tailBytes = 28 * 1024)
        : m_headMax(headBytes)
        , m_tailMax(tailBytes)
    {}
    void append(const QByteArray &data);
    qint64 totalBytes() const { return m_total; }
    // The text to report: head, a marker "[... N bytes cut ...]" when something was cut, tail.
    QString text() const;

private:
    qsizetype m_headMax, m_tailMax;
    QByteArray m_head, m_tail;
    qint64 m_total = 0;
};

// Decodes procedure output: UTF-8 when valid, else Windows-1252, else Latin-1, so no byte is dropped.
QString decodeOutput(const QByteArray &bytes);

struct ProcedureResult
{
    int exitCode = 0;
    bool started = false;
    bool timedOut = false;
    bool interrupted = false;
    QString error; // why it did not start or was killed
    QString output;
};

// Runs a job's procedure as `/bin/sh -c <procedure>` (the protocol defines procedures as shell command
// lines) in `workDir`, stdin from /dev/null, stdout and stderr merged, in its own process group.
// On timeout the whole group is killed. `onOutput` is called every `reportEverySecs` seconds when the
// output grew (0 disables). `shouldStop` is polled; when it returns true the group is terminated.
struct ProcedureOptions
{
    QString procedure;
    QString workDir;
    double timeoutSecs = 7200;
    double reportEverySecs = 5;
    std::function<void(const QString &outputSoFar)> onOutput;
    std::function<bool()> shouldStop;
    double stopGraceSecs = 10;
};

ProcedureResult runProcedure(const ProcedureOptions &options);

} // namespace oco
