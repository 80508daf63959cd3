<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <source>Shows the OCO agent&apos;s state, inventory, jobs and restart notices.</source>
        <translation>Zeigt Zustand, Inventar, Aufträge und Neustart-Hinweise des OCO-Agenten.</translation>
    </message>
    <message>
        <source>The service&apos;s control socket (default: $OCO_CONTROL_SOCKET or %1).</source>
        <translation>Der Steuer-Socket des Dienstes (Vorgabe: $OCO_CONTROL_SOCKET oder %1).</translation>
    </message>
    <message>
        <source>Language (en, de); default: your setting.</source>
        <translation>Sprache (en, de); Vorgabe: Ihre Einstellung.</translation>
    </message>
    <message>
        <source>Write the icons as PNG files below a folder (hicolor layout) and exit.</source>
        <translation>Die Symbole als PNG-Dateien in einen Ordner schreiben (hicolor-Aufbau) und beenden.</translation>
    </message>
    <message>
        <source>Open the window at a page (overview, inventory, jobs, log) or the settings.</source>
        <translation>Das Fenster mit einer Seite (overview, inventory, jobs, log) oder die Einstellungen öffnen.</translation>
    </message>
    <message>
        <source>Use a light or dark palette (default: the desktop&apos;s; use this where the desktop&apos;s dark mode does not reach Qt applications).</source>
        <translation>Helle oder dunkle Farben verwenden (Vorgabe: wie die Arbeitsumgebung; hilfreich, wo deren dunkler Modus Qt-Anwendungen nicht erreicht).</translation>
    </message>
</context>
<context>
    <name>oco::ui::AdminBanner</name>
    <message>
        <source>This computer is managed by %1.</source>
        <translation>Dieser Computer wird von %1 verwaltet.</translation>
    </message>
    <message>
        <source>More information</source>
        <translation>Weitere Informationen</translation>
    </message>
    <message>
        <source>Contact the help desk</source>
        <translation>Den Helpdesk kontaktieren</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <source>Logo of %1</source>
        <translation>Logo von %1</translation>
    </message>
    <message>
        <source>Contact the help des&amp;k</source>
        <translation>Den &amp;Helpdesk kontaktieren</translation>
    </message>
</context>
<context>
    <name>oco::ui::CameraDetector</name>
    <message>
        <source>the camera is in use by %1</source>
        <translation>die Kamera wird von %1 verwendet</translation>
    </message>
</context>
<context>
    <name>oco::ui::FullscreenDetector</name>
    <message>
        <source>presenting: a window is full screen</source>
        <translation>Präsentation: ein Fenster ist im Vollbild</translation>
    </message>
    <message>
        <source>presenting: “%1” is full screen</source>
        <translation>Präsentation: „%1“ ist im Vollbild</translation>
    </message>
</context>
<context>
    <name>oco::ui::InhibitDetector</name>
    <message>
        <source>%1 keeps the screen on</source>
        <translation>%1 hält den Bildschirm an</translation>
    </message>
    <message>
        <source>%1 keeps the screen on: %2</source>
        <translation>%1 hält den Bildschirm an: %2</translation>
    </message>
    <message>
        <source>an application keeps the screen on</source>
        <translation>eine Anwendung hält den Bildschirm an</translation>
    </message>
</context>
<context>
    <name>oco::ui::InventoryPage</name>
    <message>
        <source>Networks</source>
        <translation>Netzwerke</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>Bildschirme</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>Partitions</source>
        <translation>Partitionen</translation>
    </message>
    <message>
        <source>Software</source>
        <translation>Software</translation>
    </message>
    <message>
        <source>Logins</source>
        <translation>Anmeldungen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>Rechnername</translation>
    </message>
    <message>
        <source>Machine ID</source>
        <translation>Maschinen-ID</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Betriebssystem</translation>
    </message>
    <message>
        <source>OS version</source>
        <translation>Betriebssystemversion</translation>
    </message>
    <message>
        <source>OS license</source>
        <translation>Betriebssystemlizenz</translation>
    </message>
    <message>
        <source>OS language</source>
        <translation>Betriebssystemsprache</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>Kernel</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Processor</source>
        <translation>Prozessor</translation>
    </message>
    <message>
        <source>Graphics</source>
        <translation>Grafik</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Agent version</source>
        <translation>Agent-Version</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>Hersteller</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>BIOS version</source>
        <translation>BIOS-Version</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Boot type</source>
        <translation>Startart</translation>
    </message>
    <message>
        <source>Secure Boot</source>
        <translation>Secure Boot</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domäne</translation>
    </message>
    <message>
        <source>Battery level</source>
        <translation>Akkustand</translation>
    </message>
    <message>
        <source>Battery status</source>
        <translation>Akkuzustand</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Byte)</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copies the selected rows, or the whole section, as text.</source>
        <translation>Kopiert die ausgewählten Zeilen oder den ganzen Abschnitt als Text.</translation>
    </message>
    <message>
        <source>&amp;Export JSON…</source>
        <translation>Als JSON &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export the inventory</source>
        <translation>Inventar exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Inventory sections</source>
        <translation>Inventarabschnitte</translation>
    </message>
    <message>
        <source>No inventory has been collected yet.</source>
        <translation>Es wurde noch kein Inventar erfasst.</translation>
    </message>
    <message>
        <source>Collected: %1</source>
        <translation>Erfasst: %1</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Filter software by name, version or description</source>
        <translation>Software nach Name, Version oder Beschreibung filtern</translation>
    </message>
    <message>
        <source>Filter software</source>
        <translation>Software filtern</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Schnittstelle</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Netmask</source>
        <translation>Netzmaske</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>Broadcast</translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation>MAC-Adresse</translation>
    </message>
    <message>
        <source>Mounted at</source>
        <translation>Eingehängt unter</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>File system</source>
        <translation>Dateisystem</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Frei</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Vollständiger Name</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Konsole</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>Treiber</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>Papier</translation>
    </message>
    <message>
        <source>DPI</source>
        <translation>DPI</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Bus</source>
        <translation>Bus</translation>
    </message>
    <message>
        <source>Vendor ID</source>
        <translation>Hersteller-ID</translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation>Produkt-ID</translation>
    </message>
    <message>
        <source>Manufactured</source>
        <translation>Hergestellt</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>Benutzer-ID</translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation>Gruppen-ID</translation>
    </message>
    <message>
        <source>Home folder</source>
        <translation>Persönlicher Ordner</translation>
    </message>
    <message>
        <source>Shell</source>
        <translation>Shell</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>oco::ui::JobsPage</name>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Job progress</source>
        <translation>Fortschritt des Auftrags</translation>
    </message>
    <message>
        <source>Output of the running job</source>
        <translation>Ausgabe des laufenden Auftrags</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>After the job</source>
        <translation>Danach</translation>
    </message>
    <message>
        <source>Waiting jobs</source>
        <translation>Wartende Aufträge</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Return code</source>
        <translation>Rückgabewert</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Job history</source>
        <translation>Auftragsverlauf</translation>
    </message>
    <message>
        <source>Output of the selected job</source>
        <translation>Ausgabe des ausgewählten Auftrags</translation>
    </message>
    <message>
        <source>Select a job to see its output.</source>
        <translation>Wählen Sie einen Auftrag, um seine Ausgabe zu sehen.</translation>
    </message>
    <message>
        <source>No job is running.</source>
        <translation>Es läuft kein Auftrag.</translation>
    </message>
    <message>
        <source>The service is not connected.</source>
        <translation>Der Dienst ist nicht verbunden.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Restart within %1</source>
        <translation>Neustart innerhalb von %1</translation>
    </message>
    <message>
        <source>Shutdown within %1</source>
        <translation>Herunterfahren innerhalb von %1</translation>
    </message>
    <message>
        <source>Post action: shutdown at %1, requested by %2.</source>
        <translation>Danach: Herunterfahren um %1, angefordert von %2.</translation>
    </message>
    <message>
        <source>Post action: restart at %1, requested by %2.</source>
        <translation>Danach: Neustart um %1, angefordert von %2.</translation>
    </message>
    <message>
        <source>Jobs are waiting: %1</source>
        <translation>Aufträge warten: %1</translation>
    </message>
</context>
<context>
    <name>oco::ui::LogPage</name>
    <message>
        <source>Debug and above</source>
        <translation>Debug und höher</translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation>Information und höher</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>Minimum level</source>
        <translation>Mindeststufe</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>&amp;Stufe:</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>Filter log lines</source>
        <translation>Protokollzeilen filtern</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Service log</source>
        <translation>Dienstprotokoll</translation>
    </message>
    <message>
        <source>Debug</source>
        <comment>log level</comment>
        <translation>Debug</translation>
    </message>
    <message>
        <source>Warning</source>
        <comment>log level</comment>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Error</source>
        <comment>log level</comment>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Info</source>
        <comment>log level</comment>
        <translation>Info</translation>
    </message>
</context>
<context>
    <name>oco::ui::MainWindow</name>
    <message>
        <source>OCO Agent</source>
        <translation>OCO-Agent</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Übersicht</translation>
    </message>
    <message>
        <source>&amp;Inventory</source>
        <translation>&amp;Inventar</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>&amp;Aufträge</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Protokoll</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>Fenster &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit tray</source>
        <translation>&amp;Beenden (der Dienst läuft weiter)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Inventar</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>This desktop has no system tray. The OCO Agent keeps running in the background and shows restart notices when needed; open this window again from the applications menu (OCO Agent).</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich. Der OCO-Agent läuft im Hintergrund weiter und zeigt Neustart-Hinweise, wenn nötig; dieses Fenster öffnen Sie wieder über das Anwendungsmenü (OCO-Agent).</translation>
    </message>
</context>
<context>
    <name>oco::ui::Notifier</name>
    <message>
        <source>There is no session bus for desktop notifications.</source>
        <translation>Es gibt keinen Sitzungsbus für Desktop-Benachrichtigungen.</translation>
    </message>
</context>
<context>
    <name>oco::ui::OverviewPage</name>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Letzter Fehler:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>Protokoll:</translation>
    </message>
    <message>
        <source>Last contact:</source>
        <translation>Letzter Kontakt:</translation>
    </message>
    <message>
        <source>Last successful contact:</source>
        <translation>Letzter erfolgreicher Kontakt:</translation>
    </message>
    <message>
        <source>Next contact:</source>
        <translation>Nächster Kontakt:</translation>
    </message>
    <message>
        <source>Last inventory upload:</source>
        <translation>Letzte Inventarübertragung:</translation>
    </message>
    <message>
        <source>Agent version:</source>
        <translation>Agent-Version:</translation>
    </message>
    <message>
        <source>Tray version:</source>
        <translation>Oberflächen-Version:</translation>
    </message>
    <message>
        <source>You are:</source>
        <translation>Sie sind:</translation>
    </message>
    <message>
        <source>&amp;Check now</source>
        <translation>&amp;Jetzt prüfen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>The OCO agent service cannot be reached; the tray keeps trying.</source>
        <translation>Der OCO-Agent-Dienst ist nicht erreichbar; es wird weiter versucht.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>%1 (may change the machine settings)</source>
        <translation>%1 (darf die Einstellungen des Computers ändern)</translation>
    </message>
    <message>
        <source>%1 (may not change the machine settings)</source>
        <translation>%1 (darf die Einstellungen des Computers nicht ändern)</translation>
    </message>
    <message>
        <source>&amp;Postpone…</source>
        <translation>&amp;Verschieben…</translation>
    </message>
    <message>
        <source>This computer will shut down at %1 (%2).</source>
        <translation>Dieser Computer fährt um %1 herunter (%2).</translation>
    </message>
    <message>
        <source>This computer will restart at %1 (%2).</source>
        <translation>Dieser Computer startet um %1 neu (%2).</translation>
    </message>
    <message>
        <source>Shut &amp;down now…</source>
        <translation>Jetzt &amp;herunterfahren…</translation>
    </message>
    <message>
        <source>&amp;Restart now…</source>
        <translation>Jetzt &amp;neu starten…</translation>
    </message>
</context>
<context>
    <name>oco::ui::PowerNotice</name>
    <message>
        <source>Time left</source>
        <translation>Verbleibende Zeit</translation>
    </message>
    <message>
        <source>Shutdown scheduled</source>
        <translation>Herunterfahren geplant</translation>
    </message>
    <message>
        <source>This computer will shut down at %1.</source>
        <translation>Dieser Computer fährt um %1 herunter.</translation>
    </message>
    <message>
        <source>Shut &amp;down now</source>
        <translation>Jetzt &amp;herunterfahren</translation>
    </message>
    <message>
        <source>Restart scheduled</source>
        <translation>Neustart geplant</translation>
    </message>
    <message>
        <source>This computer will restart at %1.</source>
        <translation>Dieser Computer startet um %1 neu.</translation>
    </message>
    <message>
        <source>Restart &amp;now</source>
        <translation>Jetzt &amp;neu starten</translation>
    </message>
    <message>
        <source>Please save your work before then.</source>
        <translation>Bitte speichern Sie bis dahin Ihre Arbeit.</translation>
    </message>
    <message>
        <source>The final countdown has started: the shutdown can no longer be postponed.</source>
        <translation>Der Countdown läuft: Das Herunterfahren lässt sich nicht mehr verschieben.</translation>
    </message>
    <message>
        <source>The final countdown has started: the restart can no longer be postponed.</source>
        <translation>Der Countdown läuft: Der Neustart lässt sich nicht mehr verschieben.</translation>
    </message>
    <message numerus="yes">
        <source>You can postpone %n more time(s).</source>
        <translation>
            <numerusform>Sie können noch %n-mal verschieben.</numerusform>
            <numerusform>Sie können noch %n-mal verschieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>No postponement is left.</source>
        <translation>Sie können nicht mehr verschieben.</translation>
    </message>
    <message>
        <source>It can no longer be postponed (latest time: %1).</source>
        <translation>Ein Verschieben ist nicht mehr möglich (spätestens %1).</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) left</source>
        <translation>
            <numerusform>noch %n Sekunde</numerusform>
            <numerusform>noch %n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Asking the service to postpone…</source>
        <translation>Der Dienst wird gebeten zu verschieben…</translation>
    </message>
    <message>
        <source>Postponed by %1.</source>
        <translation>Um %1 verschoben.</translation>
    </message>
    <message>
        <source>Not postponed: %1</source>
        <translation>Nicht verschoben: %1</translation>
    </message>
    <message>
        <source>Asking the service to act now…</source>
        <translation>Der Dienst wird gebeten, sofort zu handeln…</translation>
    </message>
    <message>
        <source>The service is carrying it out now.</source>
        <translation>Der Dienst führt es jetzt aus.</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <source>Save your work now.</source>
        <translation>Speichern Sie jetzt Ihre Arbeit.</translation>
    </message>
    <message>
        <source>The shutdown is being carried out now.</source>
        <translation>Der Computer wird jetzt heruntergefahren.</translation>
    </message>
    <message>
        <source>The restart is being carried out now.</source>
        <translation>Der Computer wird jetzt neu gestartet.</translation>
    </message>
    <message>
        <source>The last attempt failed: %1</source>
        <translation>Der letzte Versuch ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Shut down now?</source>
        <translation>Jetzt herunterfahren?</translation>
    </message>
    <message>
        <source>Restart now?</source>
        <translation>Jetzt neu starten?</translation>
    </message>
    <message>
        <source>Unsaved work in open programs will be lost. Shut down now?</source>
        <translation>Nicht gespeicherte Arbeit in offenen Programmen geht verloren. Jetzt herunterfahren?</translation>
    </message>
    <message>
        <source>Unsaved work in open programs will be lost. Restart now?</source>
        <translation>Nicht gespeicherte Arbeit in offenen Programmen geht verloren. Jetzt neu starten?</translation>
    </message>
    <message>
        <source>Shut down now</source>
        <translation>Jetzt herunterfahren</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>Jetzt neu starten</translation>
    </message>
    <message>
        <source>&amp;Hide</source>
        <translation>&amp;Ausblenden</translation>
    </message>
    <message>
        <source>Hides this notice without postponing; it comes back at the next reminder.</source>
        <translation>Blendet den Hinweis aus, ohne zu verschieben; er erscheint bei der nächsten Erinnerung wieder.</translation>
    </message>
    <message>
        <source>&amp;Postpone until</source>
        <translation>&amp;Verschieben bis</translation>
    </message>
    <message numerus="yes">
        <source>You can postpone %n more time(s), until %1 at the latest.</source>
        <translation>
            <numerusform>Sie können noch einmal verschieben, spätestens bis %1.</numerusform>
            <numerusform>Sie können noch %n-mal verschieben, spätestens bis %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Postpone until, %n postponement(s) left</source>
        <translation>
            <numerusform>Verschieben bis, noch %n Verschiebung möglich</numerusform>
            <numerusform>Verschieben bis, noch %n Verschiebungen möglich</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shutdown in %n minute(s)</source>
        <translation>
            <numerusform>Herunterfahren in %n Minute</numerusform>
            <numerusform>Herunterfahren in %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restart in %n minute(s)</source>
        <translation>
            <numerusform>Neustart in %n Minute</numerusform>
            <numerusform>Neustart in %n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Time until the shutdown</source>
        <translation>Zeit bis zum Herunterfahren</translation>
    </message>
    <message>
        <source>Time until the restart</source>
        <translation>Zeit bis zum Neustart</translation>
    </message>
    <message>
        <source>Message from your IT: %1</source>
        <translation>Nachricht Ihrer IT: %1</translation>
    </message>
    <message>
        <source>More information</source>
        <translation>Weitere Informationen</translation>
    </message>
    <message>
        <source>&amp;Choose a time</source>
        <translation>&amp;Zeit wählen</translation>
    </message>
    <message>
        <source>Shut down now &amp;instead</source>
        <translation>Stattdessen &amp;jetzt herunterfahren</translation>
    </message>
    <message>
        <source>Restart now &amp;instead</source>
        <translation>Stattdessen &amp;jetzt neu starten</translation>
    </message>
    <message>
        <source>Choose a time for the shutdown</source>
        <translation>Zeit für das Herunterfahren wählen</translation>
    </message>
    <message>
        <source>Choose a time for the restart</source>
        <translation>Zeit für den Neustart wählen</translation>
    </message>
    <message>
        <source>Moved to %1.</source>
        <translation>Verschoben auf %1.</translation>
    </message>
    <message>
        <source>This computer will shut down %1.</source>
        <comment>%1: e.g. &apos;tonight at 18:00&apos;</comment>
        <translation>Dieser Computer fährt %1 herunter.</translation>
    </message>
    <message>
        <source>This computer will restart %1.</source>
        <comment>%1: e.g. &apos;tonight at 18:00&apos;</comment>
        <translation>Dieser Computer startet %1 neu.</translation>
    </message>
    <message>
        <source>That is the time set for shutdowns. Please save your work before then.</source>
        <translation>Das ist die Zeit, die für das Herunterfahren vorgesehen ist. Bitte speichern Sie bis dahin Ihre Arbeit.</translation>
    </message>
    <message>
        <source>That is the time set for restarts. Please save your work before then.</source>
        <translation>Das ist die Zeit, die für Neustarts vorgesehen ist. Bitte speichern Sie bis dahin Ihre Arbeit.</translation>
    </message>
</context>
<context>
    <name>oco::ui::Preferences</name>
    <message>
        <source>Cannot remove %1.</source>
        <translation>%1 kann nicht entfernt werden.</translation>
    </message>
    <message>
        <source>The autostart entry is missing from this build.</source>
        <translation>Der Autostart-Eintrag fehlt in diesem Build.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>oco::ui::ServiceClient</name>
    <message>
        <source>The tray stopped talking to the service.</source>
        <translation>Die Anzeige hat die Verbindung zum Dienst beendet.</translation>
    </message>
    <message>
        <source>The connection to the service was lost.</source>
        <translation>Die Verbindung zum Dienst ist abgebrochen.</translation>
    </message>
    <message>
        <source>The connection to the service was lost before it answered.</source>
        <translation>Die Verbindung zum Dienst brach ab, bevor er antwortete.</translation>
    </message>
    <message>
        <source>The OCO agent service is not running (there is no socket at %1).</source>
        <translation>Der OCO-Agent-Dienst läuft nicht (unter %1 gibt es keinen Socket).</translation>
    </message>
    <message>
        <source>The OCO agent service is not accepting connections at %1.</source>
        <translation>Der OCO-Agent-Dienst nimmt unter %1 keine Verbindungen an.</translation>
    </message>
    <message>
        <source>%1 is not served by the OCO agent service (it belongs to uid %2, not to root); the tray does not talk to it.</source>
        <translation>%1 gehört nicht zum OCO-Agent-Dienst (sondern zu uid %2, nicht zu root); die Tray-App spricht nicht mit ihm.</translation>
    </message>
    <message>
        <source>You are not allowed to open %1.</source>
        <translation>Sie dürfen %1 nicht öffnen.</translation>
    </message>
    <message>
        <source>Cannot talk to the OCO agent service at %1: %2</source>
        <translation>Keine Verbindung zum OCO-Agent-Dienst unter %1: %2</translation>
    </message>
    <message>
        <source>The service sent something that is not a JSON object; reconnecting.</source>
        <translation>Der Dienst hat etwas gesendet, das kein JSON-Objekt ist; neue Verbindung wird aufgebaut.</translation>
    </message>
    <message>
        <source>The service sent a line that is too long; reconnecting.</source>
        <translation>Der Dienst hat eine zu lange Zeile gesendet; neue Verbindung wird aufgebaut.</translation>
    </message>
    <message>
        <source>The service refused the tray: %1</source>
        <translation>Der Dienst hat die Verbindung abgelehnt: %1</translation>
    </message>
    <message>
        <source>The OCO agent service is not connected.</source>
        <translation>Der OCO-Agent-Dienst ist nicht verbunden.</translation>
    </message>
    <message>
        <source>The service did not answer in time.</source>
        <translation>Der Dienst hat nicht rechtzeitig geantwortet.</translation>
    </message>
</context>
<context>
    <name>oco::ui::SettingsDialog</name>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>Check interval (seconds)</source>
        <translation>Prüfintervall (Sekunden)</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>TLS CA file</source>
        <translation>TLS-CA-Datei</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Debug logging</source>
        <translation>Debug-Protokollierung</translation>
    </message>
    <message>
        <source>Agent key</source>
        <translation>Agent-Schlüssel</translation>
    </message>
    <message>
        <source>Server key</source>
        <translation>Server-Schlüssel</translation>
    </message>
    <message>
        <source>Maximum postponements</source>
        <translation>Höchstzahl an Verschiebungen</translation>
    </message>
    <message>
        <source>Postpone choices (minutes)</source>
        <translation>Auswahl beim Verschieben (Minuten)</translation>
    </message>
    <message>
        <source>Reminder interval (minutes)</source>
        <translation>Erinnerungsintervall (Minuten)</translation>
    </message>
    <message>
        <source>Admin group</source>
        <translation>Admin-Gruppe</translation>
    </message>
    <message>
        <source>Restart command</source>
        <translation>Befehl zum Neustart</translation>
    </message>
    <message>
        <source>Shutdown command</source>
        <translation>Befehl zum Herunterfahren</translation>
    </message>
    <message>
        <source>OCO Agent Settings</source>
        <translation>Einstellungen des OCO-Agenten</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Einstellungsseiten</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>S&amp;ave</source>
        <translation>S&amp;peichern</translation>
    </message>
    <message>
        <source>This &amp;computer</source>
        <translation>Dieser &amp;Computer</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Light panel</source>
        <translation>Helle Leiste</translation>
    </message>
    <message>
        <source>Dark panel</source>
        <translation>Dunkle Leiste</translation>
    </message>
    <message>
        <source>Tray icon colours</source>
        <translation>Symbolfarbe</translation>
    </message>
    <message>
        <source>Show &amp;notifications (restart and shutdown warnings are always shown)</source>
        <translation>&amp;Benachrichtigungen zeigen (Warnungen vor Neustart und Herunterfahren erscheinen immer)</translation>
    </message>
    <message>
        <source>Start with my &amp;session</source>
        <translation>Mit meiner &amp;Sitzung starten</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Tray &amp;icon:</source>
        <translation>&amp;Symbolfarbe:</translation>
    </message>
    <message>
        <source>My &amp;preferences</source>
        <translation>&amp;Meine Einstellungen</translation>
    </message>
    <message>
        <source>The language changes the next time the tray starts.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Reading the settings from the service…</source>
        <translation>Die Einstellungen werden vom Dienst gelesen…</translation>
    </message>
    <message>
        <source>The settings cannot be read: %1</source>
        <translation>Die Einstellungen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>You may change these settings for this computer.</source>
        <translation>Sie dürfen diese Einstellungen für diesen Computer ändern.</translation>
    </message>
    <message>
        <source>set</source>
        <translation>gesetzt</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Saved. The service uses the new settings now.</source>
        <translation>Gespeichert. Der Dienst verwendet jetzt die neuen Einstellungen.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Testing the connection to the server…</source>
        <translation>Die Verbindung zum Server wird getestet…</translation>
    </message>
    <message>
        <source>The connection works: %1</source>
        <translation>Die Verbindung funktioniert: %1</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Hard deadline (hours after the job)</source>
        <translation>Späteste Frist (Stunden nach dem Auftrag)</translation>
    </message>
    <message>
        <source>Final countdown (minutes)</source>
        <translation>Countdown vor dem Neustart (Minuten)</translation>
    </message>
    <message>
        <source>Payload URL</source>
        <translation>Payload-URL</translation>
    </message>
    <message>
        <source>Pinned certificate (SHA-256)</source>
        <translation>Festgelegtes Zertifikat (SHA-256)</translation>
    </message>
    <message>
        <source>Connection timeout (seconds)</source>
        <translation>Zeitlimit für den Verbindungsaufbau (Sekunden)</translation>
    </message>
    <message>
        <source>Read timeout (seconds)</source>
        <translation>Zeitlimit für das Lesen (Sekunden)</translation>
    </message>
    <message>
        <source>Job timeout (seconds)</source>
        <translation>Zeitlimit für Aufträge (Sekunden)</translation>
    </message>
    <message>
        <source>Job output sent to the server (bytes)</source>
        <translation>An den Server gesendete Auftragsausgabe (Byte)</translation>
    </message>
    <message>
        <source>Report the host name without the domain</source>
        <translation>Rechnernamen ohne Domäne melden</translation>
    </message>
    <message>
        <source>Control socket</source>
        <translation>Steuer-Socket</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>Details for IT</source>
        <translation>Details für die IT</translation>
    </message>
    <message>
        <source>Only the administrator (root) and members of the group “%1” may change these settings; they are shown here for information.</source>
        <translation>Nur der Administrator (root) und Mitglieder der Gruppe „%1“ dürfen diese Einstellungen ändern; hier stehen sie zur Information.</translation>
    </message>
    <message>
        <source>Only administrators may change these settings; they are shown here for information.</source>
        <translation>Nur Administratoren dürfen diese Einstellungen ändern; hier stehen sie zur Information.</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>OCO 2021</source>
        <translation>OCO 2021</translation>
    </message>
    <message>
        <source>Current OCO server</source>
        <translation>Aktueller OCO-Server</translation>
    </message>
    <message>
        <source>Automatic (the server decides)</source>
        <translation>Automatisch (nach Server)</translation>
    </message>
    <message>
        <source>OCO v1.0.2 to v1.1.6 (plaintext key)</source>
        <translation>OCO v1.0.2 bis v1.1.6 (Schlüssel im Klartext)</translation>
    </message>
    <message>
        <source>Only root changes this, in the configuration file.</source>
        <translation>Nur root ändert diesen Wert, in der Konfigurationsdatei.</translation>
    </message>
    <message>
        <source>Reminders near the deadline</source>
        <translation>Erinnerungen vor der Frist</translation>
    </message>
    <message>
        <source>Restart window</source>
        <translation>Zeitfenster für Neustarts</translation>
    </message>
    <message>
        <source>When nobody is logged in</source>
        <translation>Wenn niemand angemeldet ist</translation>
    </message>
    <message>
        <source>Times to choose from (every … minutes)</source>
        <translation>Wählbare Zeiten (alle … Minuten)</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>jederzeit</translation>
    </message>
    <message>
        <source>Wait for the restart window</source>
        <translation>Auf das Zeitfenster warten</translation>
    </message>
    <message>
        <source>Restart or shut down at once</source>
        <translation>Sofort neu starten oder herunterfahren</translation>
    </message>
    <message>
        <source>Your organisation</source>
        <translation>Ihre Organisation</translation>
    </message>
    <message>
        <source>Organisation name</source>
        <translation>Name der Organisation</translation>
    </message>
    <message>
        <source>Logo file</source>
        <translation>Logo-Datei</translation>
    </message>
    <message>
        <source>Message in every notice</source>
        <translation>Nachricht in jedem Hinweis</translation>
    </message>
    <message>
        <source>“More information” link</source>
        <translation>Link „Weitere Informationen“</translation>
    </message>
    <message>
        <source>Help desk link</source>
        <translation>Link zum Helpdesk</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>a setting&apos;s name and the language of this translation of it, e.g. &quot;Message in every notice (Deutsch)&quot;</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Saved. The service uses the new settings when the running contact with the server has ended.</source>
        <translation>Gespeichert. Der Dienst verwendet die neuen Einstellungen, sobald die laufende Verbindung mit dem Server beendet ist.</translation>
    </message>
</context>
<context>
    <name>oco::ui::TrayApp</name>
    <message>
        <source>About OCO Agent</source>
        <translation>Über den OCO-Agenten</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OCO Agent tray&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Shows what the OCO agent service on this computer does: inventory, software jobs and restarts. It holds no keys; the service does the work.&lt;/p&gt;&lt;p&gt;Service: %2&lt;br&gt;Socket: %3&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;OCO-Agent-Anzeige&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Zeigt, was der OCO-Agent-Dienst auf diesem Computer tut: Inventar, Softwareaufträge und Neustarts. Sie enthält keine Schlüssel; die Arbeit erledigt der Dienst.&lt;/p&gt;&lt;p&gt;Dienst: %2&lt;br&gt;Socket: %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>Not postponed</source>
        <translation>Nicht verschoben</translation>
    </message>
    <message>
        <source>Shutdown imminent</source>
        <translation>Herunterfahren steht bevor</translation>
    </message>
    <message>
        <source>Restart imminent</source>
        <translation>Neustart steht bevor</translation>
    </message>
    <message>
        <source>This computer will shut down at %1. Save your work now.</source>
        <translation>Dieser Computer fährt um %1 herunter. Speichern Sie jetzt Ihre Arbeit.</translation>
    </message>
    <message>
        <source>This computer will restart at %1. Save your work now.</source>
        <translation>Dieser Computer startet um %1 neu. Speichern Sie jetzt Ihre Arbeit.</translation>
    </message>
    <message>
        <source>Shutdown scheduled</source>
        <translation>Herunterfahren geplant</translation>
    </message>
    <message>
        <source>Restart scheduled</source>
        <translation>Neustart geplant</translation>
    </message>
    <message>
        <source>This computer will shut down at %1.</source>
        <translation>Dieser Computer fährt um %1 herunter.</translation>
    </message>
    <message>
        <source>This computer will restart at %1.</source>
        <translation>Dieser Computer startet um %1 neu.</translation>
    </message>
    <message>
        <source>Shutdown pending</source>
        <translation>Herunterfahren steht an</translation>
    </message>
    <message>
        <source>Restart pending</source>
        <translation>Neustart steht an</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Details anzeigen</translation>
    </message>
    <message>
        <source>Quit the OCO Agent tray?</source>
        <translation>OCO-Agent-Symbol beenden?</translation>
    </message>
    <message>
        <source>Until you log in again or start “OCO Agent” from the applications menu, this session shows no restart notices: restarts are then announced only as desktop notifications. The OCO agent service keeps running.</source>
        <translation>Bis Sie sich neu anmelden oder „OCO-Agent“ im Anwendungsmenü starten, erscheinen in dieser Sitzung keine Neustart-Hinweise: Neustarts werden dann nur als Desktop-Benachrichtigung angekündigt. Der OCO-Agent-Dienst läuft weiter.</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>This computer will shut down at %1. Not interrupting you now (%2); the notice appears when that ends.</source>
        <translation>Dieser Computer fährt um %1 herunter. Sie werden jetzt nicht gestört (%2); der Hinweis erscheint, wenn das vorbei ist.</translation>
    </message>
    <message>
        <source>This computer will restart at %1. Not interrupting you now (%2); the notice appears when that ends.</source>
        <translation>Dieser Computer startet um %1 neu. Sie werden jetzt nicht gestört (%2); der Hinweis erscheint, wenn das vorbei ist.</translation>
    </message>
</context>
<context>
    <name>oco::ui::TrayIcon</name>
    <message>
        <source>OCO Agent</source>
        <translation>OCO-Agent</translation>
    </message>
    <message>
        <source>OCO Agent menu</source>
        <translation>Menü des OCO-Agenten</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Check now</source>
        <translation>&amp;Jetzt prüfen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>&amp;Quit tray</source>
        <translation>&amp;Beenden (der Dienst läuft weiter)</translation>
    </message>
    <message>
        <source>Shutdown at %1 — Postpone…</source>
        <translation>Herunterfahren um %1 – Verschieben…</translation>
    </message>
    <message>
        <source>Restart at %1 — Postpone…</source>
        <translation>Neustart um %1 – Verschieben…</translation>
    </message>
    <message>
        <source>Shutdown at %1 — Details…</source>
        <translation>Herunterfahren um %1 – Details…</translation>
    </message>
    <message>
        <source>Restart at %1 — Details…</source>
        <translation>Neustart um %1 – Details…</translation>
    </message>
    <message>
        <source>Closes the tray icon: no restart notices in this session until you log in again. The OCO agent service keeps running and still sends desktop notifications.</source>
        <translation>Schließt das Symbol: bis zur nächsten Anmeldung keine Neustart-Hinweise in dieser Sitzung. Der OCO-Agent-Dienst läuft weiter und schickt weiterhin Desktop-Benachrichtigungen.</translation>
    </message>
    <message>
        <source>&amp;Postpone shutdown until</source>
        <translation>Herunterfahren &amp;verschieben bis</translation>
    </message>
    <message>
        <source>&amp;Postpone restart until</source>
        <translation>Neustart &amp;verschieben bis</translation>
    </message>
    <message>
        <source>Contact the help des&amp;k</source>
        <translation>Den &amp;Helpdesk kontaktieren</translation>
    </message>
    <message>
        <source>Managed by %1</source>
        <translation>Verwaltet von %1</translation>
    </message>
</context>
<context>
    <name>oco::ui::Words</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <comment>postpone choice</comment>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <comment>postpone choice</comment>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted.</source>
        <translation>Das Zertifikat des Servers wurde nicht akzeptiert.</translation>
    </message>
    <message>
        <source>The server did not accept this computer&apos;s agent key.</source>
        <translation>Der Server hat den Agent-Schlüssel dieses Computers nicht akzeptiert.</translation>
    </message>
    <message>
        <source>The server answered with an error.</source>
        <translation>Der Server hat mit einem Fehler geantwortet.</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be understood.</source>
        <translation>Die Antwort des Servers war unverständlich.</translation>
    </message>
    <message>
        <source>The server&apos;s answer failed a security check.</source>
        <translation>Die Antwort des Servers hat eine Sicherheitsprüfung nicht bestanden.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock differs too much from the server&apos;s.</source>
        <translation>Die Uhr dieses Computers weicht zu stark von der des Servers ab.</translation>
    </message>
    <message>
        <source>A problem on this computer stopped the agent.</source>
        <translation>Ein Problem auf diesem Computer hat den Agenten angehalten.</translation>
    </message>
    <message>
        <source>An error occurred.</source>
        <translation>Ein Fehler ist aufgetreten.</translation>
    </message>
    <message>
        <source>Connected, idle</source>
        <translation>Verbunden, bereit</translation>
    </message>
    <message>
        <source>Contacting the server</source>
        <translation>Verbindung zum Server</translation>
    </message>
    <message>
        <source>Sending the inventory</source>
        <translation>Inventar wird gesendet</translation>
    </message>
    <message>
        <source>Running a job</source>
        <translation>Auftrag läuft</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Agent not running</source>
        <translation>Agent läuft nicht</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Abgleich läuft</translation>
    </message>
    <message>
        <source>Job running</source>
        <translation>Auftrag läuft</translation>
    </message>
    <message>
        <source>Restart or shutdown pending</source>
        <translation>Neustart oder Herunterfahren steht an</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <source>Job %1 (package %2)</source>
        <translation>Auftrag %1 (Paket %2)</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Wird heruntergeladen</translation>
    </message>
    <message>
        <source>Unpacking</source>
        <translation>Wird entpackt</translation>
    </message>
    <message>
        <source>Running the procedure</source>
        <translation>Befehl wird ausgeführt</translation>
    </message>
    <message>
        <source>OCO Agent: not running</source>
        <translation>OCO-Agent: läuft nicht</translation>
    </message>
    <message>
        <source>Waiting for the service…</source>
        <translation>Warten auf den Dienst…</translation>
    </message>
    <message>
        <source>OCO Agent: %1, %2, %3 %</source>
        <translation>OCO-Agent: %1, %2, %3 %</translation>
    </message>
    <message>
        <source>OCO Agent: %1, %2</source>
        <translation>OCO-Agent: %1, %2</translation>
    </message>
    <message>
        <source>OCO Agent: error</source>
        <translation>OCO-Agent: Fehler</translation>
    </message>
    <message>
        <source>OCO Agent: %1</source>
        <translation>OCO-Agent: %1</translation>
    </message>
    <message>
        <source>OCO Agent: connected</source>
        <translation>OCO-Agent: verbunden</translation>
    </message>
    <message>
        <source>Last contact: %1</source>
        <translation>Letzter Kontakt: %1</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>in %1 s</source>
        <comment>time left</comment>
        <translation>in %1 Sek.</translation>
    </message>
    <message>
        <source>in %1 min %2 s</source>
        <comment>time left</comment>
        <translation>in %1 Min. %2 Sek.</translation>
    </message>
    <message>
        <source>in %1 min</source>
        <comment>time left</comment>
        <translation>in %1 Min.</translation>
    </message>
    <message>
        <source>in %1 h</source>
        <comment>time left</comment>
        <translation>in %1 Std.</translation>
    </message>
    <message>
        <source>in %1 h %2 min</source>
        <comment>time left</comment>
        <translation>in %1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>+%1 min</source>
        <comment>added time</comment>
        <translation>+%1 Min.</translation>
    </message>
    <message>
        <source>+%1 h</source>
        <comment>added time</comment>
        <translation>+%1 Std.</translation>
    </message>
    <message>
        <source>+%1 h %2 min</source>
        <comment>added time</comment>
        <translation>+%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>tomorrow %1</source>
        <translation>morgen %1</translation>
    </message>
    <message>
        <source>OCO Agent: shutdown at %1 (%2)</source>
        <translation>OCO-Agent: Herunterfahren um %1 (%2)</translation>
    </message>
    <message>
        <source>OCO Agent: restart at %1 (%2)</source>
        <translation>OCO-Agent: Neustart um %1 (%2)</translation>
    </message>
    <message>
        <source>The software change “%1” needs this computer to shut down.</source>
        <translation>Für die Software-Änderung „%1“ muss dieser Computer heruntergefahren werden.</translation>
    </message>
    <message>
        <source>The software change “%1” needs a restart to take effect.</source>
        <translation>Die Software-Änderung „%1“ wird erst nach einem Neustart wirksam.</translation>
    </message>
    <message>
        <source>A software change from package %1 needs this computer to shut down.</source>
        <translation>Für eine Software-Änderung aus Paket %1 muss dieser Computer heruntergefahren werden.</translation>
    </message>
    <message>
        <source>A software change from package %1 needs a restart to take effect.</source>
        <translation>Eine Software-Änderung aus Paket %1 wird erst nach einem Neustart wirksam.</translation>
    </message>
    <message>
        <source>A software change needs this computer to shut down.</source>
        <translation>Für eine Software-Änderung muss dieser Computer heruntergefahren werden.</translation>
    </message>
    <message>
        <source>A software change needs a restart to take effect.</source>
        <translation>Eine Software-Änderung wird erst nach einem Neustart wirksam.</translation>
    </message>
    <message>
        <source>%1 (the latest possible)</source>
        <comment>postpone choice</comment>
        <translation>%1 (spätestmöglich)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>postpone choice: resulting time (added time)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>tonight at %1</source>
        <translation>heute Abend um %1</translation>
    </message>
    <message>
        <source>today at %1</source>
        <translation>heute um %1</translation>
    </message>
    <message>
        <source>tomorrow at %1</source>
        <translation>morgen um %1</translation>
    </message>
    <message>
        <source>on %1 at %2</source>
        <comment>weekday, time</comment>
        <translation>am %1 um %2</translation>
    </message>
    <message>
        <source>on %1</source>
        <comment>date and time</comment>
        <translation>am %1</translation>
    </message>
</context>
</TS>
