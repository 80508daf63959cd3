#pragma once

#include "ServiceClient.h"
#include "ServiceStub.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Per test: a fresh stub on a socket in a temporary dir, a link to it, and per-user settings kept in the
// temporary dir too (XDG_CONFIG_HOME), so nothing touches the real home.
struct StubbedLink
{
    QTemporaryDir dir;
    ServiceStub stub;
    std::unique_ptr<oco::ui::ServiceClient> link;

    // A configured machine rather than the bare defaults: a server, its agent key, an admin group.
    StubbedLink()
    {
        stub.settings.insert(QStringLiteral("api-url"), QStringLiteral("https://oco.example.org/api-agent.php"));
        stub.settings.insert(QStringLiteral("agent_key_set"), true);
        stub.settings.insert(QStringLiteral("admin-group"), QStringLiteral("ocoadmins"));
    }

    bool start()
    {
        if (!dir.isValid() || !stub.listen(dir.filePath(QStringLiteral("control.sock"))))
            return false;
        link = std::make_unique<oco::ui::ServiceClient>(stub.path());
        link->setRetryDelays(20, 200);
        link->start();
        return QTest::qWaitFor([this] { return link->isConnected(); }, 5000);
    }
};

inline void useTemporaryConfigHome(QTemporaryDir &dir)
{
    qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toLocal8Bit());
}
