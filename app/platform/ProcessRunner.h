#pragma once

#include <QString>

class QProcess;

namespace oco::platform {

// How a child of the service starts; set on the QProcess before start().
struct ChildSetup
{
    // Its own process group: endProcessGroup() then reaches everything the child starts.
    bool ownProcessGroup = true;
    // Files it creates are the service's alone (umask 077).
    bool privateFiles = false;
    // The default handling of the signals the service changed for itself (a closed pipe, stop requests).
    bool defaultSignals = false;
};
void prepareChild(QProcess &process, const ChildSetup &setup);

enum class GroupEnd
{
    Terminate, // asks every member to end (and wakes stopped ones so they notice)
    Kill,      // ends every member at once
};
// Ends the process group of a child started with ownProcessGroup; `group` is that child's process id.
void endProcessGroup(qint64 group, GroupEnd how);

// Identifies a process across pid reuse (boot id and start time); empty when it is gone or unknown.
QString processIdentity(qint64 pid);

// The account the service runs as, for its children's environment.
struct ServiceAccount
{
    QString user; // empty when unknown
    QString home; // "/" when unknown
};
ServiceAccount serviceAccount();

// Creates a new directory only the service may enter, named `prefix` plus a unique suffix, inside `parent`;
// `parent` is created when missing and restricted to the service too. False with the system's reason.
bool makePrivateDirectory(const QString &parent, const QString &prefix, QString *path, QString *error);

// What decides whether a program file may run as the service: the entry itself, a link is not followed.
struct ProgramFileFacts
{
    bool symbolicLink = false;
    bool regularFile = false;
    bool executable = false;       // someone may execute it
    bool writableByOthers = false; // its group or others may change it
    uint owner = 0;                // user id
    uint permissions = 0;          // the permission bits as the system shows them (for messages)
};
// `directory` is an open directory handle (TrustedDir::fd()). False when `name` is not there (any more).
bool programFileFacts(int directory, const QString &name, ProgramFileFacts *facts);

} // namespace oco::platform
