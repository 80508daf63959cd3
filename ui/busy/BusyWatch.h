#pragma once

#include "BusyDetector.h"

#include <QList>
#include <QTimer>

namespace oco::ui {

// Do not disturb: combines the detectors. The session is busy while any of them says so; why() names the
// first busy one. Polls every few seconds (each poll is a few cheap reads, measured in the README).
class BusyWatch : public QObject
{
    Q_OBJECT
public:
    explicit BusyWatch(QObject *parent = nullptr);

    // The detectors of this session: full-screen window, screensaver inhibitor, camera.
    static BusyWatch *createDefault(QObject *parent = nullptr);

    void addDetector(BusyDetector *detector); // takes ownership
    QList<BusyDetector *> detectors() const { return m_detectors; }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void start();
    void pollNow();

    bool isBusy() const { return m_busy; }
    QString why() const { return m_why; }

Q_SIGNALS:
    void busyChanged(bool busy, const QString &why);

private:
    void recompute();

    QList<BusyDetector *> m_detectors;
    QTimer m_timer;
    bool m_busy = false;
    QString m_why;
};

} // namespace oco::ui
