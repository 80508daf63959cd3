#pragma once

#include "platform/Accounts.h"

namespace oco::platform {

// `chpasswd -e` by absolute path, "user:<SHA-512 crypt hash>" on its stdin (never in its arguments, which
// every local user can read), started with `environment` only. `program` must be an absolute path (tests
// pass a recording stand-in).
class ChpasswdPasswordChanger : public LocalPasswordChanger
{
public:
    explicit ChpasswdPasswordChanger(QProcessEnvironment environment, QString program = defaultProgram(),
                                     double timeoutSecs = 60)
        : m_environment(std::move(environment))
        , m_program(std::move(program))
        , m_timeoutSecs(timeoutSecs)
    {}
    bool change(const QString &username, const QString &password, QString *error) override;
    // /usr/sbin/chpasswd (or /sbin/chpasswd where only that exists).
    static QString defaultProgram();

private:
    QProcessEnvironment m_environment;
    QString m_program;
    double m_timeoutSecs;
};

} // namespace oco::platform
