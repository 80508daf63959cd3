#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QSettings>
#include <QString>

namespace oco::ui {

// Per-user preferences (QSettings in the user's config dir) and the XDG autostart entry. Machine settings are
// never stored here: they belong to the service.
class Preferences
{
    Q_DECLARE_TR_FUNCTIONS(oco::ui::Preferences)
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

    // XDG autostart: the user's entry (~/.config/autostart/oco-tray.desktop) overrides a system-wide one of
    // the same name (the package installs /etc/xdg/autostart/oco-tray.desktop); Hidden=true disables.
    static QString autostartPath();
    static QString systemAutostartPath(); // the system-wide entry in effect, or "" when there is none
    // Whether the tray starts with the session, from both entries.
    bool startWithSession() const;
    // Writes or removes the user's entry so that the effective state is `on`: with a system-wide entry,
    // "off" is an override with Hidden=true; false with the reason on failure.
    bool setStartWithSession(bool on, QString *error);

private:
    mutable QSettings m_settings;
};

} // namespace oco::ui
