#include "SettingsDialog.h"

#include "Preferences.h"
#include "ScreenFit.h"
#include "ServiceClient.h"
#include "TrayState.h"
#include "config/SettingsTable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace oco::ui {

namespace {
// "message[de]" -> "message"
QString baseKey(const QString &key)
{
    const qsizetype bracket = key.indexOf(QLatin1Char('['));
    return bracket > 0 ? key.left(bracket) : key;
}

// What the settings table says about a key the service sent ("agent_key_set", "message[de]"); nullptr for keys
// this tray does not know (a newer service's): they are shown as text under "Details for IT".
const SettingSpec *specOf(const QString &key)
{
    return findSetting(baseKey(key));
}

bool isKeyFlag(const QString &key)
{
    const SettingSpec *s = specOf(key);
    return s ? s->type == SettingType::Secret : key.endsWith(QLatin1String("-key-set"));
}

bool hasType(const QString &key, SettingType type)
{
    const SettingSpec *s = specOf(key);
    return s && s->type == type;
}

SettingGroup groupOf(const QString &key)
{
    const SettingSpec *s = specOf(key);
    return s ? s->group : SettingGroup::Details;
}

// The order within a group: the table's, a translation right after its key, then the rest by name.
int rankOf(const QString &key)
{
    const SettingSpec *s = specOf(key);
    return s ? int(s - settingsTable().data()) : int(settingsTable().size());
}

QString plainText(const QJsonValue &value)
{
    if (value.isDouble())
        return QString::number(value.toDouble());
    QStringList parts;
    const QJsonArray arr = value.toArray();
    for (const QJsonValue &v : arr)
        parts << (v.isDouble() ? QString::number(v.toDouble()) : v.toString());
    return parts.join(QStringLiteral(", "));
}

// Shown, but only changeable where the service runs: it is used when the service starts.
bool isShownOnly(const QString &key)
{
    const SettingSpec *s = specOf(key);
    return s && s->readAtStart;
}

bool isCommand(const QString &key)
{
    return hasType(key, SettingType::Command);
}

// A program and its arguments as a person would type them.
QString commandLine(const QJsonArray &args)
{
    QStringList parts;
    for (const QJsonValue &v : args) {
        QString a = v.toString();
        // Quoted the way QProcess::splitCommand() reads it back.
        if (a.isEmpty() || a.contains(QLatin1Char(' ')) || a.contains(QLatin1Char('"')) ||
            a.contains(QLatin1Char('\t')))
            a = QLatin1Char('"') + a.replace(QLatin1Char('"'), QStringLiteral("\"\"\"")) + QLatin1Char('"');
        parts << a;
    }
    return parts.join(QLatin1Char(' '));
}
} // namespace

class SettingWords
{
    Q_DECLARE_TR_FUNCTIONS(oco::ui::SettingsDialog)
public:
    static QString label(const QString &key)
    {
        static const QHash<QString, const char *> groups{
            {QStringLiteral("group-server"), QT_TR_NOOP("Server")},
            {QStringLiteral("group-restarts"), QT_TR_NOOP("Restarts")},
            {QStringLiteral("group-details"), QT_TR_NOOP("Details for IT")},
            {QStringLiteral("group-organisation"), QT_TR_NOOP("Your organisation")},
        };
        const QString base = baseKey(key);
        if (base != key) {
            const QString code = key.mid(base.size() + 1).chopped(1);
            const QString language = QLocale(code).nativeLanguageName();
            //: a setting's name and the language of this translation of it, e.g. "Message in every notice (Deutsch)"
            return tr("%1 (%2)").arg(label(base),
                                     language.isEmpty() || QLocale(code).language() == QLocale::C ? code : language);
        }
        const SettingSpec *spec = findSetting(key);
        const char *n = spec && spec->label ? spec->label : groups.value(key);
        return n ? tr(n) : key;
    }
};

SettingsDialog::SettingsDialog(ServiceClient *link, Preferences *prefs, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_prefs(prefs)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("OCO Agent Settings"));
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setAccessibleName(tr("Settings pages"));
    layout->addWidget(m_tabs, 1);

    m_tabs->addTab(machinePage(), tr("This &computer"));
    m_tabs->addTab(preferencesPage(), tr("My &preferences"));

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    resize(600, 700);
    populate({});
}

// Machine settings, from the service.
QWidget *SettingsDialog::machinePage()
{
    m_machinePage = new QWidget;
    auto *ml = new QVBoxLayout(m_machinePage);
    m_reason = new QLabel(m_machinePage);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setWordWrap(true);
    ml->addWidget(m_reason);
    auto *scroll = new QScrollArea(m_machinePage);
    scroll->setWidgetResizable(true);
    auto *formHost = new QWidget;
    m_machineForm = new QFormLayout(formHost);
    scroll->setWidget(formHost);
    ml->addWidget(scroll, 1);
    auto *mb = new QHBoxLayout;
    m_test = new QPushButton(tr("&Test connection"), m_machinePage);
    m_test->setObjectName(QStringLiteral("testButton"));
    connect(m_test, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    m_save = new QPushButton(tr("S&ave"), m_machinePage);
    m_save->setObjectName(QStringLiteral("saveButton"));
    connect(m_save, &QPushButton::clicked, this, &SettingsDialog::save);
    mb->addWidget(m_test);
    mb->addStretch();
    mb->addWidget(m_save);
    ml->addLayout(mb);
    m_testResult = new QLabel(m_machinePage);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveResult = new QLabel(m_machinePage);
    m_saveResult->setObjectName(QStringLiteral("saveResult"));
    m_saveResult->setWordWrap(true);
    ml->addWidget(m_testResult);
    ml->addWidget(m_saveResult);
    return m_machinePage;
}

// This user's own preferences.
QWidget *SettingsDialog::preferencesPage()
{
    auto *prefsPage = new QWidget;
    auto *pf = new QFormLayout(prefsPage);
    m_language = new QComboBox(prefsPage);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(m_prefs->language())));
    m_language->setAccessibleName(tr("Language"));
    m_panel = new QComboBox(prefsPage);
    m_panel->setObjectName(QStringLiteral("panel"));
    m_panel->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_panel->addItem(tr("Light panel"), QStringLiteral("light"));
    m_panel->addItem(tr("Dark panel"), QStringLiteral("dark"));
    m_panel->setCurrentIndex(qMax(0, m_panel->findData(m_prefs->panel())));
    m_panel->setAccessibleName(tr("Tray icon colours"));
    m_notifications =
        new QCheckBox(tr("Show &notifications (restart and shutdown warnings are always shown)"), prefsPage);
    m_notifications->setObjectName(QStringLiteral("notifications"));
    m_notifications->setChecked(m_prefs->notifications());
    m_autostart = new QCheckBox(tr("Start with my &session"), prefsPage);
    m_autostart->setObjectName(QStringLiteral("autostart"));
    m_autostart->setChecked(m_prefs->startWithSession());
    m_prefsResult = new QLabel(prefsPage);
    m_prefsResult->setWordWrap(true);
    auto *languageLabel = new QLabel(tr("&Language:"), prefsPage);
    languageLabel->setBuddy(m_language);
    auto *panelLabel = new QLabel(tr("Tray &icon:"), prefsPage);
    panelLabel->setBuddy(m_panel);
    pf->addRow(languageLabel, m_language);
    pf->addRow(panelLabel, m_panel);
    pf->addRow(m_notifications);
    pf->addRow(m_autostart);
    pf->addRow(m_prefsResult);

    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        m_prefs->setLanguage(m_language->currentData().toString());
        m_prefsResult->setText(tr("The language changes the next time the tray starts."));
    });
    connect(m_panel, &QComboBox::currentIndexChanged, this, [this] {
        m_prefs->setPanel(m_panel->currentData().toString());
        Q_EMIT panelChanged();
    });
    connect(m_notifications, &QCheckBox::toggled, this, [this](bool on) { m_prefs->setNotifications(on); });
    connect(m_autostart, &QCheckBox::toggled, this, [this](bool on) {
        QString error;
        if (!m_prefs->setStartWithSession(on, &error)) {
            m_prefsResult->setText(error);
            const QSignalBlocker block(m_autostart);
            m_autostart->setChecked(!on);
        } else {
            m_prefsResult->clear();
        }
    });
    return prefsPage;
}

void SettingsDialog::load()
{
    m_reason->setText(tr("Reading the settings from the service…"));
    m_link->request(control::RequestType::GetSettings, {}, [this](const QJsonObject &reply) {
        if (!reply.value(QStringLiteral("ok")).toBool()) {
            m_canChange = false;
            populate({});
            m_reason->setText(
                tr("The settings cannot be read: %1").arg(reply.value(QStringLiteral("reason")).toString()));
            Q_EMIT loaded();
            return;
        }
        QJsonObject settings = reply.value(QStringLiteral("settings")).toObject();
        // can_change / reason may sit in the reply or inside the settings object.
        const QJsonObject &holder = settings.contains(QStringLiteral("can_change")) ? settings : reply;
        m_canChange = holder.value(QStringLiteral("can_change")).toBool();
        const QString reason = holder.value(QStringLiteral("reason")).toString();
        m_fileOnly = holder.value(QStringLiteral("file_only")).toObject();
        settings.remove(QStringLiteral("can_change"));
        settings.remove(QStringLiteral("reason"));
        settings.remove(QStringLiteral("file_only"));
        populate(settings);
        // Worded here, in the user's language; the service's English reason stays in the tooltip.
        const QString group = settings.value(QStringLiteral("admin-group")).toString();
        if (m_canChange)
            m_reason->setText(tr("You may change these settings for this computer."));
        else if (!group.isEmpty())
            m_reason->setText(tr("Only the administrator (root) and members of the group “%1” may change these "
                                 "settings; they are shown here for information.")
                                  .arg(group));
        else
            m_reason->setText(tr("Only administrators may change these settings; they are shown here for "
                                 "information."));
        m_reason->setToolTip(reason);
        if (!m_canChange && !m_opened)
            m_tabs->setCurrentIndex(1); // what an employee can change comes first
        m_opened = true;
        Q_EMIT loaded();
    });
}

void SettingsDialog::populate(const QJsonObject &settings)
{
    m_settings = settings;
    while (m_machineForm->rowCount() > 0)
        m_machineForm->removeRow(0);
    m_editors.clear();
    m_original.clear();
    QStringList keys = settings.keys();
    std::stable_sort(keys.begin(), keys.end(),
                     [](const QString &a, const QString &b) { return rankOf(a) < rankOf(b); });
    const std::pair<SettingGroup, const char *> groups[] = {{SettingGroup::Server, "group-server"},
                                                            {SettingGroup::Restarts, "group-restarts"},
                                                            {SettingGroup::Organisation, "group-organisation"},
                                                            {SettingGroup::Details, "group-details"}};
    for (const auto &[group, name] : groups) {
        bool titled = false;
        for (const QString &key : std::as_const(keys)) {
            if (groupOf(key) != group || settings.value(key).isObject())
                continue;
            if (!titled) {
                auto *title = new QLabel(
                    QStringLiteral("<b>%1</b>").arg(SettingWords::label(QLatin1String(name)).toHtmlEscaped()));
                title->setObjectName(QLatin1String(name));
                m_machineForm->addRow(title);
                titled = true;
            }
            addSetting(key, key, settings.value(key), m_machineForm);
        }
    }
    for (const QString &key : std::as_const(keys)) {
        if (!settings.value(key).isObject())
            continue;
        auto *title = new QLabel(QStringLiteral("<b>%1</b>").arg(SettingWords::label(key).toHtmlEscaped()));
        m_machineForm->addRow(title);
        const QJsonObject section = settings.value(key).toObject();
        for (auto it = section.begin(); it != section.end(); ++it)
            addSetting(key + QLatin1Char('/') + it.key(), it.key(), it.value(), m_machineForm);
    }
    m_save->setVisible(m_canChange);
    m_save->setEnabled(m_canChange && !settings.isEmpty());
}

QString SettingsDialog::displayText(const QString &key, const QJsonValue &value)
{
    if (isKeyFlag(key))
        return value.toBool() ? tr("set") : tr("not set");
    if (value.isBool())
        return value.toBool() ? tr("on") : tr("off");
    if (isCommand(key))
        return commandLine(value.toArray());
    if (hasType(key, SettingType::Choice))
        return choiceName(*specOf(key), value.toString());
    if (hasType(key, SettingType::RestartWindow) && value.toString().isEmpty())
        return tr("any time");
    if (hasType(key, SettingType::MinutesList)) {
        QStringList parts;
        const QJsonArray arr = value.toArray();
        for (const QJsonValue &v : arr)
            parts << TrayText::minutesChoice(v.toInt());
        return parts.join(QStringLiteral(", "));
    }
    if (value.isArray()) {
        QStringList parts;
        const QJsonArray arr = value.toArray();
        for (const QJsonValue &v : arr)
            parts << (v.isDouble() ? QString::number(v.toDouble()) : v.toString());
        return parts.join(QStringLiteral(", "));
    }
    if (value.isDouble())
        return QLocale().toString(value.toDouble(), 'g', 15);
    if (value.toString().isEmpty())
        return tr("(none)");
    return value.toString();
}

QString SettingsDialog::choiceName(const SettingSpec &spec, const QString &value)
{
    const QStringList choices = spec.choiceList();
    const qsizetype i = choices.indexOf(value);
    if (!spec.choiceLabels)
        return value;
    return tr(spec.choiceLabels[i < 0 ? 0 : i]); // an unknown value reads like the default, as the service does
}

void SettingsDialog::addSetting(const QString &path, const QString &key, const QJsonValue &value, QFormLayout *form)
{
    const QString label = SettingWords::label(key);
    QWidget *editor = nullptr;
    const bool fileOnly = m_fileOnly.contains(key);
    if (isKeyFlag(key) || !m_canChange || isShownOnly(key) || fileOnly) {
        // Read-only values are text, not fields that look editable; keys only as set / not set.
        auto *text = new QLabel(displayText(key, value));
        if (fileOnly && m_canChange)
            text->setToolTip(tr("Only root changes this, in the configuration file.") + QLatin1Char('\n') +
                             m_fileOnly.value(key).toString());
        text->setWordWrap(true);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        text->setFocusPolicy(Qt::TabFocus);
        editor = text;
    } else if (value.isBool()) {
        auto *box = new QCheckBox;
        box->setChecked(value.toBool());
        editor = box;
    } else if (hasType(key, SettingType::Choice)) {
        const SettingSpec &spec = *specOf(key);
        auto *choice = new QComboBox;
        const QStringList choices = spec.choiceList();
        for (const QString &v : choices)
            choice->addItem(choiceName(spec, v), v);
        const int i = choice->findData(value.toString());
        if (i < 0)
            choice->addItem(value.toString(), value.toString());
        choice->setCurrentIndex(i < 0 ? choice->count() - 1 : i);
        editor = choice;
    } else {
        auto *edit = new QLineEdit;
        if (isCommand(key))
            edit->setText(commandLine(value.toArray()));
        else if (value.isArray() || value.isDouble())
            edit->setText(plainText(value)); // plain numbers: what editorValue() reads back
        else
            edit->setText(value.toString());
        editor = edit;
    }
    editor->setObjectName(path);
    editor->setAccessibleName(label);
    auto *l = new QLabel(label + QLatin1Char(':'));
    l->setBuddy(editor);
    l->setToolTip(path);
    form->addRow(l, editor);
    m_editors.insert(path, editor);
    m_original.insert(path, value);
}

QJsonValue SettingsDialog::editorValue(QWidget *editor, const QJsonValue &original)
{
    if (auto *box = qobject_cast<QCheckBox *>(editor))
        return box->isChecked();
    if (auto *choice = qobject_cast<QComboBox *>(editor))
        return choice->currentData().toString();
    if (isCommand(editor->objectName())) {
        QJsonArray args;
        const QStringList parts = QProcess::splitCommand(qobject_cast<QLineEdit *>(editor)->text());
        for (const QString &a : parts)
            args.append(a);
        return args;
    }
    auto *edit = qobject_cast<QLineEdit *>(editor);
    if (!edit)
        return original;
    const QString text = edit->text().trimmed();
    if (original.isDouble()) {
        bool ok = false;
        const double d = text.toDouble(&ok);
        return ok ? QJsonValue(d) : QJsonValue(text); // the service says why a text is not a number
    }
    if (original.isArray()) {
        QJsonArray arr;
        const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &p : parts) {
            bool ok = false;
            const double d = p.trimmed().toDouble(&ok);
            arr.append(ok ? QJsonValue(d) : QJsonValue(p.trimmed()));
        }
        return arr;
    }
    return text;
}

QJsonObject SettingsDialog::changes() const
{
    QJsonObject out;
    for (auto it = m_editors.begin(); it != m_editors.end(); ++it) {
        if (qobject_cast<QLabel *>(it.value()) || isShownOnly(it.key()))
            continue;
        const QJsonValue original = m_original.value(it.key());
        const QJsonValue now = editorValue(it.value(), original);
        if (now == original)
            continue;
        const qsizetype slash = it.key().indexOf(QLatin1Char('/'));
        if (slash < 0) {
            out.insert(it.key(), now);
        } else {
            const QString section = it.key().left(slash);
            QJsonObject o = out.value(section).toObject();
            o.insert(it.key().mid(slash + 1), now);
            out.insert(section, o);
        }
    }
    return out;
}

void SettingsDialog::save()
{
    const QJsonObject changed = changes();
    if (changed.isEmpty()) {
        m_saveResult->setText(tr("Nothing was changed."));
        return;
    }
    m_save->setEnabled(false);
    m_saveResult->setText(tr("Saving…"));
    m_link->request(
        control::RequestType::SetSettings, QJsonObject{{QStringLiteral("settings"), changed}},
        [this](const QJsonObject &reply) {
            m_save->setEnabled(m_canChange);
            if (reply.value(QStringLiteral("ok")).toBool()) {
                // A contact with the server runs with the settings it started with.
                const bool later = reply.value(QStringLiteral("effect")).toString() == QLatin1String("after_contact");
                m_saveResult->setText(later ? tr("Saved. The service uses the new settings when the "
                                                 "running contact with the server has ended.")
                                            : tr("Saved. The service uses the new settings now."));
                load();
            } else {
                m_saveResult->setText(tr("Not saved: %1").arg(reply.value(QStringLiteral("reason")).toString()));
            }
        });
}

void SettingsDialog::testConnection()
{
    m_test->setEnabled(false);
    m_testResult->setText(tr("Testing the connection to the server…"));
    m_link->request(
        control::RequestType::TestConnection, {},
        [this](const QJsonObject &reply) {
            m_test->setEnabled(true);
            QString result = reply.value(QStringLiteral("result")).toString();
            if (result.isEmpty())
                result = reply.value(QStringLiteral("reason")).toString();
            if (reply.value(QStringLiteral("ok")).toBool())
                m_testResult->setText(tr("The connection works: %1").arg(result));
            else
                m_testResult->setText(tr("The connection failed: %1").arg(result));
        },
        90000);
}

void SettingsDialog::showEvent(QShowEvent *event)
{
    fitToScreen(this);
    QDialog::showEvent(event);
}

} // namespace oco::ui
