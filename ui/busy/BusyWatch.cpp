#include "BusyWatch.h"

#include "CameraDetector.h"
#include "FullscreenDetector.h"
#include "InhibitDetector.h"

namespace oco::ui {

BusyWatch::BusyWatch(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(3000);
    connect(&m_timer, &QTimer::timeout, this, &BusyWatch::pollNow);
}

BusyWatch *BusyWatch::createDefault(QObject *parent)
{
    auto *watch = new BusyWatch(parent);
    watch->addDetector(new FullscreenDetector);
    watch->addDetector(new InhibitDetector);
    watch->addDetector(new CameraDetector);
    return watch;
}

void BusyWatch::addDetector(BusyDetector *detector)
{
    detector->setParent(this);
    m_detectors << detector;
    connect(detector, &BusyDetector::changed, this, &BusyWatch::recompute);
    recompute();
}

void BusyWatch::start()
{
    pollNow();
    m_timer.start();
}

void BusyWatch::pollNow()
{
    for (BusyDetector *d : std::as_const(m_detectors))
        d->poll();
}

void BusyWatch::recompute()
{
    bool busy = false;
    QString why;
    for (const BusyDetector *d : std::as_const(m_detectors)) {
        if (d->state() == BusyDetector::State::Busy) {
            busy = true;
            why = d->why();
            break;
        }
    }
    if (busy == m_busy && why == m_why)
        return;
    m_busy = busy;
    m_why = why;
    Q_EMIT busyChanged(busy, why);
}

} // namespace oco::ui
