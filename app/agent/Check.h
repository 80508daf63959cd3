#pragma once

#include <QString>
#include <QStringList>

namespace oco {

// `oco-agent --check`: a diagnostic for admins. Prints one line per step, "OK" or "FAIL" first, and
// returns 0 only when every step passed. It never writes the config, never runs jobs and does not persist
// the server timestamp; its signed hello does update the computer's last contact on the server.
class Check
{
public:
    Check(QString configPath, QString stateDir);
    int run();
    QStringList lines() const { return m_lines; }

private:
    void line(bool ok, const QString &what, const QString &detail);
    QString m_configPath;
    QString m_stateDir;
    QStringList m_lines;
    bool m_allOk = true;
};

} // namespace oco
