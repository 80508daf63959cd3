#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

#include <functional>

namespace oco {

// What a report message may hold: servers store job output in a 64 KiB TEXT column for some jobs, and the
// message is UTF-8 in JSON. The rest of the 64 KiB leaves room for a prefix such as "timed out after ...".
constexpr qsizetype MaxOutputUtf8Bytes = 60000;

// Keeps the head and the tail of a stream of output in bounded memory and says how much was cut between.
class OutputBuffer
{
public:
    explicit OutputBuffer(qsizetype headBytes = 32 * 1024, qsizetype tailBytes = 32 * 1024)
        : m_headMax(headBytes)
        , m_tailMax(tailBytes)
    {}
    void append(const QByteArray &data);
    qint64 totalBytes() const { return m_total; }
    // The text to report, at most `maxUtf8Bytes` once UTF-8 encoded: head, a marker
    // "[... N bytes of output cut ...]" when something was cut, tail.
    QString text(qsizetype maxUtf8Bytes = MaxOutputUtf8Bytes) const;

private:
    qsizetype m_headMax, m_tailMax;
    QByteArray m_head, m_tail;
    qint64 m_total = 0;
};

// Decodes procedure output without losing a byte: valid UTF-8 sequences as UTF-8, every other byte as
// Windows-1252 (the five bytes that code page leaves undefined map to the same C1 code points).
// Mixed output (a Latin-1 line in UTF-8 text) keeps both readable.
QString decodeOutput(const QByteArray &bytes);

struct ProcedureResult
{
    int exitCode = 0; // negative signal number when the procedure was killed by a signal
    bool started = false;
    bool timedOut = false;
    bool interrupted = false;
    QString error; // why it did not start
    QString output;
};

// The search path of every program the service runs on the server's behalf.
constexpr const char *kServerProgramPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The environment of programs the service runs for the server (procedures, chpasswd): nothing of the
// service's own environment, only PATH (kServerProgramPath), LANG and LC_ALL (C.UTF-8), HOME, USER and
// LOGNAME of the user the service runs as (root: /root), SHELL=/bin/sh.
QProcessEnvironment serverProgramEnvironment();

// Runs a job's procedure as `/bin/sh -c <procedure>` (the protocol defines procedures as shell command
// lines) in `workDir`, stdin from /dev/null, stdout and stderr merged, in its own process group, with
// serverProgramEnvironment() and umask 077. On timeout the whole group gets SIGTERM, then SIGKILL. `onOutput` is called
// every `reportEverySecs` seconds when the output grew (0 disables). `shouldStop` is polled; once it returns true the
// procedure gets `stopGraceSecs` to finish before the group is killed and the result is `interrupted`. A background
// child that keeps the output pipe open does not keep this function waiting.
struct ProcedureOptions
{
    QString procedure;
    QString workDir;
    double timeoutSecs = 7200;
    double reportEverySecs = 5;
    std::function<void(const QString &outputSoFar)> onOutput;
    std::function<bool()> shouldStop;
    double stopGraceSecs = 60;
    double killAfterTermSecs = 5; // SIGTERM first, SIGKILL this much later
    // Called once the shell runs, with its pid (= the process group id), e.g. to journal it.
    std::function<void(qint64 pgid)> onStarted;
};

ProcedureResult runProcedure(const ProcedureOptions &options);

} // namespace oco
