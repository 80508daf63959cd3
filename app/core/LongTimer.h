#pragma once

#include "Clock.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

namespace oco {

// A single-shot wait of any length (the next server contact, a job's timeout). The deadline is an absolute
// UTC time in 64-bit milliseconds; the QTimer only wakes up to look at the clock again (at most every
// `maxStepMs`), so waits longer than a QTimer can hold (about 24.8 days) work, and a suspended machine or a
// clock step is noticed within a step.
class LongTimer : public QObject
{
    Q_OBJECT
public:
    explicit LongTimer(const Clock &clock = Clock::system(), qint64 maxStepMs = 3600 * 1000, QObject *parent = nullptr);

    // Due after `secs` seconds from now (0 or less: at once, from the event loop). Replaces any earlier deadline.
    void startIn(double secs);
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    QDateTime deadline() const { return m_deadline; }
    // How often the clock was looked at since the last start (tests observe steps without sleeping).
    int wakeUps() const { return m_wakeUps; }

    // `secs` in whole milliseconds without overflow (negative, NaN: 0; beyond a million years: capped).
    static qint64 toMsecs(double secs);

Q_SIGNALS:
    void due();

private:
    void arm();
    void onTimeout();

    const Clock &m_clock;
    qint64 m_maxStepMs;
    QTimer m_timer;
    QDateTime m_deadline;
    qint64 m_waitMs = 0;
    int m_wakeUps = 0;
};

} // namespace oco
