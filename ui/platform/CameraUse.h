#pragma once

#include <QString>

namespace oco::ui::platform {

// Which user this tray runs as (the camera check looks at that user's processes only).
uint currentUserId();

// Whether `devRoot` may hold a video device at all (true when it cannot be read: then the processes tell).
bool mayHaveCamera(const QString &devRoot);

// The name of a process of user `uid` that holds a video device open ("" when none), from the process table
// under `procRoot`; false when that table cannot be read (nobody can tell here).
bool findCameraUser(const QString &procRoot, uint uid, QString *process);

} // namespace oco::ui::platform
