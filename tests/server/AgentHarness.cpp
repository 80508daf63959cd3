#include "AgentHarness.h"

#include <QEventLoop>
#include <QFile>
#include <QTimer>

namespace oco::test {

AgentHarness::AgentHarness(QString agentBinary)
    : environment(QProcessEnvironment::systemEnvironment())
    , m_binary(std::move(agentBinary))
{
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("http_proxy"));
    environment.remove(QStringLiteral("https_proxy"));
}

void AgentHarness::writeConfig(const QString &text)
{
    // A daemon must not take the machine's /run/oco-agent/control.sock (the real service's, or another test's).
    QString config = text;
    const QString agentSection = QStringLiteral("[agent]\n");
    const qsizetype agent = config.indexOf(agentSection);
    if (!config.contains(QLatin1String("control-socket")) && agent >= 0) {
        // At the end of [agent], so line numbers in that section stay as the test wrote them.
        qsizetype end = config.indexOf(QLatin1String("\n["), agent);
        end = end < 0 ? config.size() : end + 1;
        QString line = QStringLiteral("control-socket = %1\n").arg(m_dir.filePath(QStringLiteral("control.sock")));
        if (end > 0 && config.at(end - 1) != QLatin1Char('\n'))
            line.prepend(QLatin1Char('\n'));
        config.insert(end, line);
    }
    QFile f(configPath());
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(config.toUtf8());
}

void AgentHarness::writeLegacyConfig(const QString &apiUrl, const QString &agentKey, const QString &payloadUrl,
                                     const QString &extra)
{
    writeConfig(QStringLiteral("[agent]\ndebug = 1\nagent-key = %1\nconnection-timeout = 5\nread-timeout = 20\n"
                               "\n[server]\napi-url = %2\npayload-url = %3\nserver-key =\nprotocol = 2021\n%4")
                    .arg(agentKey, apiUrl, payloadUrl, extra));
}

QString AgentHarness::readConfig() const
{
    QFile f(configPath());
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll());
}

QString AgentHarness::configValue(const QString &section, const QString &key) const
{
    QString current;
    QString value;
    const QStringList lines = readConfig().split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']')))
            current = line.mid(1, line.size() - 2);
        else if (current == section && line.section(QLatin1Char('='), 0, 0).trimmed() == key)
            value = line.section(QLatin1Char('='), 1).trimmed();
    }
    return value;
}

std::unique_ptr<QProcess> AgentHarness::start(const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(environment);
    p->setProgram(m_binary);
    p->setArguments(QStringList{QStringLiteral("--config"), configPath(), QStringLiteral("--state-dir"), stateDir()} +
                    args);
    p->start();
    return p;
}

AgentHarness::Run AgentHarness::run(const QStringList &args, int timeoutMs)
{
    Run r;
    auto p = start(args);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        r.timedOut = true;
        loop.quit();
    });
    QObject::connect(p.get(), &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(p.get(), &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    timer.start(timeoutMs);
    if (p->state() != QProcess::NotRunning)
        loop.exec();
    if (r.timedOut) {
        p->kill();
        p->waitForFinished(5000);
    }
    r.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    r.stdoutText = QString::fromUtf8(p->readAllStandardOutput());
    r.output = QString::fromUtf8(p->readAllStandardError()) + r.stdoutText;
    return r;
}

} // namespace oco::test
