#pragma once

#include <QByteArray>

// What the Linux file code shares: writing a whole buffer and flushing a directory.
namespace oco::platform::posix {

// Writes all of `data` to `fd`, retrying after signals; false with errno set when a write fails.
bool writeAll(int fd, const QByteArray &data);

// Flushes the entry list of the directory `dirFd` refers to (its `relative` entry when not "."), so that
// a rename in it survives a crash. Errors are ignored: the data itself is already on disk.
void syncDirectory(int dirFd, const char *relative);

} // namespace oco::platform::posix
