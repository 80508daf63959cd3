#pragma once

#include <QDateTime>

namespace oco {

// Wall-clock time of deadlines and of timestamps that are kept, shown or sent (status and journal times,
// request timestamps, restart plans): read through a Clock so tests can move time without sleeping.
// Not through it: durations within one run (timeouts, how long a job ran), which need a monotonic timer
// (QTimer, QElapsedTimer) that a stepped clock cannot disturb, and the time stamp of log lines, which is
// the system's real time so they line up with other programs' logs.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime nowUtc() const = 0;
    qint64 msecsSinceEpoch() const { return nowUtc().toMSecsSinceEpoch(); }

    // The process-wide clock: the system clock unless the test hooks' clock file (OCO_TEST_CLOCK_FILE) names
    // a file holding an ISO 8601 time or epoch milliseconds (integration tests use this to step time).
    static const Clock &system();
};

class SystemClock : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
};

class ManualClock : public Clock
{
public:
    explicit ManualClock(QDateTime t = QDateTime::currentDateTimeUtc())
        : m_now(std::move(t))
    {}
    QDateTime nowUtc() const override { return m_now; }
    void set(const QDateTime &t) { m_now = t; }
    void advanceSecs(qint64 s) { m_now = m_now.addSecs(s); }

private:
    QDateTime m_now;
};

} // namespace oco
