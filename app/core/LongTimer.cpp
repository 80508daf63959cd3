#include "LongTimer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace oco {

LongTimer::LongTimer(const Clock &clock, qint64 maxStepMs, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_maxStepMs(std::clamp<qint64>(maxStepMs, 1, std::numeric_limits<int>::max()))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &LongTimer::onTimeout);
}

qint64 LongTimer::toMsecs(double secs)
{
    constexpr double kMaxSecs = 1e6 * 365 * 86400; // far beyond any configurable wait, far below qint64
    if (!(secs > 0))
        return 0;
    return std::llround(std::min(secs, kMaxSecs) * 1000.0);
}

void LongTimer::startIn(double secs)
{
    m_wakeUps = 0;
    m_waitMs = toMsecs(secs);
    m_deadline = m_clock.nowUtc().addMSecs(m_waitMs);
    arm();
}

void LongTimer::stop()
{
    m_timer.stop();
}

void LongTimer::arm()
{
    const QDateTime now = m_clock.nowUtc();
    // A clock stepped back must not stretch the wait beyond what was asked for.
    if (now.msecsTo(m_deadline) > m_waitMs)
        m_deadline = now.addMSecs(m_waitMs);
    const qint64 left = std::max<qint64>(0, now.msecsTo(m_deadline));
    m_timer.start(static_cast<int>(std::min(left, m_maxStepMs)));
}

void LongTimer::onTimeout()
{
    ++m_wakeUps;
    if (m_clock.nowUtc() >= m_deadline) {
        Q_EMIT due();
        return;
    }
    arm();
}

} // namespace oco
