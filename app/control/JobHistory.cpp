#include "JobHistory.h"

#include "core/Log.h"
#include "core/StateStore.h"

namespace oco {

namespace {
const QString kFile = QStringLiteral("job-history.json");
const QString kMember = QStringLiteral("history");
} // namespace

JobHistory::JobHistory(StateStore &state)
    : m_state(state)
{}

void JobHistory::load()
{
    QJsonObject saved;
    QString error;
    if (m_state.readJsonFile(kFile, &saved, &error))
        m_records = control::Jobs::historyFrom(saved.value(kMember).toArray());
    else
        qCWarning(lcAgent).noquote() << "the job history starts empty:" << error;
    if (m_records.size() > kLength)
        m_records.resize(kLength);
}

void JobHistory::add(const control::JobRecord &record)
{
    m_records.prepend(record);
    if (m_records.size() > kLength)
        m_records.resize(kLength);
    QString error;
    if (!m_state.writeJsonFile(kFile, {{kMember, control::Jobs::historyJson(m_records)}}, &error))
        qCWarning(lcAgent).noquote() << "cannot keep the job history for the next start:" << error;
}

} // namespace oco
