#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>

namespace oco::ui {

// Per-user preferences (QSettings in the user's config dir) and whether the tray starts with the session. Machine
// settings are never stored here: they belong to the service.
class Preferences
{
public:
    Preferences();

    QString language() const; // "" = follow the system, else "en" / "de"
    void setLanguage(const QString &lang);
    bool notifications() const; // optional notifications; restart/shutdown warnings are always shown
    void setNotifications(bool on);
    QString panel() const; // "auto", "light", "dark"
    void setPanel(const QString &panel);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);

    // Autostart (platform/Autostart.h): the user's entry overrides a system-wide one.
    static QString autostartPath();
    static QString systemAutostartPath(); // the system-wide entry in effect, or "" when there is none
    bool startWithSession() const;
    // Makes the effective state `on`; false with the reason on failure.
    bool setStartWithSession(bool on, QString *error);

private:
    mutable QSettings m_settings;
};

} // namespace oco::ui
