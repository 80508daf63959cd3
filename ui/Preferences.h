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

    static QString autostartPath();
    bool startWithSession() const;
    // Creates or removes ~/.config/autostart/oco-tray.desktop; false with the reason on failure.
    bool setStartWithSession(bool on, QString *error);

private:
    mutable QSettings m_settings;
};

} // namespace oco::ui
