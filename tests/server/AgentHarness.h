#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace oco::test {

// Runs the real oco-agent binary with its own config file and state directory in a temporary folder.
// The wait runs an event loop, so a TestServer living in the test process keeps answering.
class AgentHarness
{
public:
    explicit AgentHarness(QString agentBinary);

    QString dir() const { return m_dir.path(); }
    QString configPath() const { return m_dir.filePath(QStringLiteral("oco-agent.ini")); }
    QString stateDir() const { return m_dir.filePath(QStringLiteral("state")); }

    void writeConfig(const QString &text);
    // A 2021-dialect config pointing at `apiUrl` with the given key (and payload URL when given).
    void writeLegacyConfig(const QString &apiUrl, const QString &agentKey, const QString &payloadUrl = {},
                           const QString &extra = {});
    QString readConfig() const;
    QString configValue(const QString &section, const QString &key) const;

    struct Run
    {
        int exitCode = -1;
        bool timedOut = false;
        QString output; // stderr + stdout
        QString stdoutText;
    };
    // Runs `oco-agent --config .. --state-dir .. <args>` and waits (event loop) up to `timeoutMs`.
    Run run(const QStringList &args = {QStringLiteral("--once")}, int timeoutMs = 60000);
    // Starts it and returns the process (for daemon tests); the caller waits with signals.
    std::unique_ptr<QProcess> start(const QStringList &args);

    QProcessEnvironment environment;

private:
    QString m_binary;
    QTemporaryDir m_dir;
};

} // namespace oco::test
