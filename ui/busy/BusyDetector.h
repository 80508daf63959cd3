#pragma once

#include <QObject>
#include <QString>

namespace oco::ui {

// One sign that the person is presenting or in a call (do not disturb). Detectors run in the tray, in the
// user's session, and see only what that user may see.
class BusyDetector : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Unknown, // cannot tell here (no X11, no D-Bus, nothing to ask): counts as not busy
        Idle,
        Busy
    };
    Q_ENUM(State)

    using QObject::QObject;

    // Looks again; emits changed() when the state or the reason changed. Called by BusyWatch's timer;
    // detectors told of changes by others (D-Bus calls) also update on their own.
    virtual void poll() = 0;
    State state() const { return m_state; }
    // Why, in words for the person and the service's log ("camera in use by zoom").
    QString why() const { return m_why; }

Q_SIGNALS:
    void changed();

protected:
    void setState(State state, const QString &why = {})
    {
        const QString w = state == State::Busy ? why : QString();
        if (state == m_state && w == m_why)
            return;
        m_state = state;
        m_why = w;
        Q_EMIT changed();
    }

private:
    State m_state = State::Unknown;
    QString m_why;
};

} // namespace oco::ui
