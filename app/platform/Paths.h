#pragma once

#include <QString>

namespace oco::platform {

// Where the service and the tray find their files on this system (docs/PORTING.md §3.10).
QString defaultConfigFile();             // the service's oco-agent.ini
QString defaultStateDirectory();         // keys, journal, history: root's alone
QString defaultControlSocket();          // the control socket the tray and the CLI connect to
QString defaultServiceChecksDirectory(); // programs whose output becomes the hello's services
QString resolverConfigFile();            // the resolver's search domains (SRV discovery); empty: none
QString processInfoRoot();               // per-process information (the tray's camera detector)
QString deviceRoot();                    // device nodes

} // namespace oco::platform
