#pragma once

#include "controlproto/Messages.h"

#include <QList>

namespace oco {

class StateStore;

// The last finished jobs, newest first, kept in the state directory so that the tray shows them again
// after the service restarts (an update, a reboot).
class JobHistory
{
public:
    static constexpr int kLength = 50;

    explicit JobHistory(StateStore &state);
    // Reads what the last run kept; a missing or unreadable file leaves the history empty (logged).
    void load();
    // Adds a finished job in front and writes the file.
    void add(const control::JobRecord &record);
    const QList<control::JobRecord> &records() const { return m_records; }

private:
    StateStore &m_state;
    QList<control::JobRecord> m_records;
};

} // namespace oco
