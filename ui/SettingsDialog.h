#pragma once

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QTabWidget;

namespace oco {
struct SettingSpec;
}

namespace oco::ui {

class Preferences;
class ServiceClient;

// Machine settings are read and written through the service (which decides who may change them); keys are
// shown only as set / not set. Per-user preferences are stored for this user only.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(ServiceClient *link, Preferences *prefs, QWidget *parent = nullptr);

    void load();
    bool canChange() const { return m_canChange; }
    QLabel *reasonLabel() const { return m_reason; }
    QLabel *testResultLabel() const { return m_testResult; }
    QLabel *saveResultLabel() const { return m_saveResult; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testButton() const { return m_test; }
    QTabWidget *tabs() const { return m_tabs; }
    // The editor for a machine setting ("api-url", "power/max-postponements"), or the key state label.
    QWidget *editor(const QString &key) const { return m_editors.value(key); }
    // A machine value as read-only text: commands as command lines, choices and durations in words.
    static QString displayText(const QString &key, const QJsonValue &value);
    // A choice's value in words ("Automatic (the server decides)" for protocol = auto).
    static QString choiceName(const SettingSpec &spec, const QString &value);
    QCheckBox *notificationsBox() const { return m_notifications; }
    QCheckBox *autostartBox() const { return m_autostart; }
    QComboBox *languageBox() const { return m_language; }
    QComboBox *panelBox() const { return m_panel; }
    // The changes the user made, shaped like the settings object the service sent.
    QJsonObject changes() const;
    void save();
    void testConnection();

Q_SIGNALS:
    void loaded();
    void panelChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *machinePage();
    QWidget *preferencesPage();
    void populate(const QJsonObject &settings);
    void addSetting(const QString &path, const QString &key, const QJsonValue &value, QFormLayout *form);
    static QJsonValue editorValue(QWidget *editor, const QJsonValue &original);

    ServiceClient *m_link;
    Preferences *m_prefs;
    QTabWidget *m_tabs;
    QWidget *m_machinePage;
    QFormLayout *m_machineForm;
    QLabel *m_reason;
    QLabel *m_saveResult;
    QLabel *m_testResult;
    QPushButton *m_save;
    QPushButton *m_test;
    QCheckBox *m_notifications;
    QCheckBox *m_autostart;
    QComboBox *m_language;
    QComboBox *m_panel;
    QLabel *m_prefsResult;
    bool m_canChange = false;
    QJsonObject m_fileOnly; // settings the service takes only from root's file: {key: reason}
    bool m_opened = false;  // the first load picked the page
    QJsonObject m_settings;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QJsonValue> m_original;
};

} // namespace oco::ui
