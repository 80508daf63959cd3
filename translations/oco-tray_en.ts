<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>main</name>
    <message>
        <source>Shows the OCO agent&apos;s state, inventory, jobs and restart notices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service&apos;s control socket (default: $OCO_CONTROL_SOCKET or %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language (en, de); default: your setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the icons as PNG files below a folder (hicolor layout) and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the window at a page (overview, inventory, jobs, log) or the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a light or dark palette (default: the desktop&apos;s; use this where the desktop&apos;s dark mode does not reach Qt applications).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::AdminBanner</name>
    <message>
        <source>This computer is managed by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact the help desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logo of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact the help des&amp;k</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::CameraDetector</name>
    <message>
        <source>the camera is in use by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::FullscreenDetector</name>
    <message>
        <source>presenting: a window is full screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>presenting: “%1” is full screen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::InhibitDetector</name>
    <message>
        <source>%1 keeps the screen on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 keeps the screen on: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an application keeps the screen on</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::InventoryPage</name>
    <message>
        <source>Networks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Software</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machine ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS license</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graphics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BIOS version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boot type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secure Boot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Battery level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Battery status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies the selected rows, or the whole section, as text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inventory sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No inventory has been collected yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter software by name, version or description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter software</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Netmask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mounted at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Driver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendor ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manufactured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::JobsPage</name>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of the running job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of the selected job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a job to see its output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No job is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post action: shutdown at %1, requested by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post action: restart at %1, requested by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs are waiting: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::LogPage</name>
    <message>
        <source>Debug and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter log lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debug</source>
        <comment>log level</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <comment>log level</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <comment>log level</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <comment>log level</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::MainWindow</name>
    <message>
        <source>OCO Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no system tray. The OCO Agent keeps running in the background and shows restart notices when needed; open this window again from the applications menu (OCO Agent).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::Notifier</name>
    <message>
        <source>There is no session bus for desktop notifications.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::OverviewPage</name>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last successful contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last inventory upload:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OCO agent service cannot be reached; the tray keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (may change the machine settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (may not change the machine settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Postpone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down at %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart at %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut &amp;down now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restart now…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::PowerNotice</name>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut &amp;down now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart &amp;now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please save your work before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The final countdown has started: the shutdown can no longer be postponed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The final countdown has started: the restart can no longer be postponed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You can postpone %n more time(s).</source>
        <translation>
            <numerusform>You can postpone %n more time.</numerusform>
            <numerusform>You can postpone %n more times.</numerusform>
        </translation>
    </message>
    <message>
        <source>No postponement is left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It can no longer be postponed (latest time: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) left</source>
        <translation>
            <numerusform>%n second left</numerusform>
            <numerusform>%n seconds left</numerusform>
        </translation>
    </message>
    <message>
        <source>Asking the service to postpone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postponed by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not postponed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the service to act now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is carrying it out now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save your work now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shutdown is being carried out now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The restart is being carried out now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last attempt failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved work in open programs will be lost. Shut down now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved work in open programs will be lost. Restart now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hides this notice without postponing; it comes back at the next reminder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Postpone until</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You can postpone %n more time(s), until %1 at the latest.</source>
        <translation>
            <numerusform>You can postpone %n more time, until %1 at the latest.</numerusform>
            <numerusform>You can postpone %n more times, until %1 at the latest.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Postpone until, %n postponement(s) left</source>
        <translation>
            <numerusform>Postpone until, %n postponement left</numerusform>
            <numerusform>Postpone until, %n postponements left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shutdown in %n minute(s)</source>
        <translation>
            <numerusform>Shutdown in %n minute</numerusform>
            <numerusform>Shutdown in %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restart in %n minute(s)</source>
        <translation>
            <numerusform>Restart in %n minute</numerusform>
            <numerusform>Restart in %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>Time until the shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time until the restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message from your IT: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose a time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down now &amp;instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart now &amp;instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a time for the shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a time for the restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down %1.</source>
        <comment>%1: e.g. &apos;tonight at 18:00&apos;</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart %1.</source>
        <comment>%1: e.g. &apos;tonight at 18:00&apos;</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is the time set for shutdowns. Please save your work before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is the time set for restarts. Please save your work before then.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::Preferences</name>
    <message>
        <source>Cannot remove %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The autostart entry is missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::ServiceClient</name>
    <message>
        <source>The tray stopped talking to the service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the service was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the service was lost before it answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OCO agent service is not running (there is no socket at %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OCO agent service is not accepting connections at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not served by the OCO agent service (it belongs to uid %2, not to root); the tray does not talk to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not allowed to open %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot talk to the OCO agent service at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service sent something that is not a JSON object; reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service sent a line that is too long; reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service refused the tray: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The OCO agent service is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::SettingsDialog</name>
    <message>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check interval (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debug logging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum postponements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postpone choices (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminder interval (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This &amp;computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray icon colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;notifications (restart and shutdown warnings are always shown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start with my &amp;session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray &amp;icon:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My &amp;preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes the next time the tray starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the settings from the service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You may change these settings for this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The service uses the new settings now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing the connection to the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection works: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hard deadline (hours after the job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final countdown (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinned certificate (SHA-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection timeout (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read timeout (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job timeout (seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job output sent to the server (bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report the host name without the domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details for IT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the administrator (root) and members of the group “%1” may change these settings; they are shown here for information.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators may change these settings; they are shown here for information.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO 2021</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current OCO server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (the server decides)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO v1.0.2 to v1.1.6 (plaintext key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only root changes this, in the configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminders near the deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When nobody is logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times to choose from (every … minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the restart window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart or shut down at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logo file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message in every notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“More information” link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help desk link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>a setting&apos;s name and the language of this translation of it, e.g. &quot;Message in every notice (Deutsch)&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The service uses the new settings when the running contact with the server has ended.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::TrayApp</name>
    <message>
        <source>About OCO Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OCO Agent tray&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Shows what the OCO agent service on this computer does: inventory, software jobs and restarts. It holds no keys; the service does the work.&lt;/p&gt;&lt;p&gt;Service: %2&lt;br&gt;Socket: %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not postponed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown imminent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart imminent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down at %1. Save your work now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart at %1. Save your work now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit the OCO Agent tray?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until you log in again or start “OCO Agent” from the applications menu, this session shows no restart notices: restarts are then announced only as desktop notifications. The OCO agent service keeps running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will shut down at %1. Not interrupting you now (%2); the notice appears when that ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer will restart at %1. Not interrupting you now (%2); the notice appears when that ends.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::TrayIcon</name>
    <message>
        <source>OCO Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown at %1 — Postpone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart at %1 — Postpone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown at %1 — Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart at %1 — Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closes the tray icon: no restart notices in this session until you log in again. The OCO agent service keeps running and still sends desktop notifications.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Postpone shutdown until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Postpone restart until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact the help des&amp;k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Managed by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>oco::ui::Words</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <comment>postpone choice</comment>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <comment>postpone choice</comment>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not accept this computer&apos;s agent key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server answered with an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be understood.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s answer failed a security check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer&apos;s clock differs too much from the server&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A problem on this computer stopped the agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An error occurred.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected, idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacting the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending the inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running a job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart or shutdown pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 (package %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpacking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: %1, %2, %3 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last contact: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 s</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 min %2 s</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 min</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 h</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 h %2 min</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 min</source>
        <comment>added time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 h</source>
        <comment>added time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 h %2 min</source>
        <comment>added time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tomorrow %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: shutdown at %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCO Agent: restart at %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The software change “%1” needs this computer to shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The software change “%1” needs a restart to take effect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A software change from package %1 needs this computer to shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A software change from package %1 needs a restart to take effect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A software change needs this computer to shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A software change needs a restart to take effect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (the latest possible)</source>
        <comment>postpone choice</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>postpone choice: resulting time (added time)</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tonight at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>today at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tomorrow at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1 at %2</source>
        <comment>weekday, time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <comment>date and time</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
