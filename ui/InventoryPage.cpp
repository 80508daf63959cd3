#include "InventoryPage.h"

#include "ServiceClient.h"
#include "TrayState.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace oco::ui {

namespace {

QString cellText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("—"); // not reported
    case QJsonValue::Bool:
        return v.toBool() ? InventoryPage::tr("Yes") : InventoryPage::tr("No");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == qint64(d) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::String:
        return v.toString().isEmpty() ? QStringLiteral("—") : v.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

class InventoryWords
{
    Q_DECLARE_TR_FUNCTIONS(oco::ui::InventoryPage)
public:
    static QString section(const QString &key)
    {
        if (key == QLatin1String("networks"))
            return tr("Networks");
        if (key == QLatin1String("screens"))
            return tr("Screens");
        if (key == QLatin1String("printers"))
            return tr("Printers");
        if (key == QLatin1String("partitions"))
            return tr("Partitions");
        if (key == QLatin1String("software"))
            return tr("Software");
        if (key == QLatin1String("logins"))
            return tr("Logins");
        if (key == QLatin1String("users"))
            return tr("Users");
        if (key == QLatin1String("devices"))
            return tr("Devices");
        return key;
    }
    static QString field(const QString &key)
    {
        static const QHash<QString, const char *> names{
            {QStringLiteral("hostname"), QT_TR_NOOP("Host name")},
            {QStringLiteral("uid"), QT_TR_NOOP("Machine ID")},
            {QStringLiteral("os"), QT_TR_NOOP("Operating system")},
            {QStringLiteral("os_version"), QT_TR_NOOP("OS version")},
            {QStringLiteral("os_license"), QT_TR_NOOP("OS license")},
            {QStringLiteral("os_language"), QT_TR_NOOP("OS language")},
            {QStringLiteral("kernel_version"), QT_TR_NOOP("Kernel")},
            {QStringLiteral("architecture"), QT_TR_NOOP("Architecture")},
            {QStringLiteral("cpu"), QT_TR_NOOP("Processor")},
            {QStringLiteral("gpu"), QT_TR_NOOP("Graphics")},
            {QStringLiteral("ram"), QT_TR_NOOP("Memory")},
            {QStringLiteral("agent_version"), QT_TR_NOOP("Agent version")},
            {QStringLiteral("serial"), QT_TR_NOOP("Serial number")},
            {QStringLiteral("manufacturer"), QT_TR_NOOP("Manufacturer")},
            {QStringLiteral("model"), QT_TR_NOOP("Model")},
            {QStringLiteral("bios_version"), QT_TR_NOOP("BIOS version")},
            {QStringLiteral("uptime"), QT_TR_NOOP("Uptime")},
            {QStringLiteral("boot_type"), QT_TR_NOOP("Boot type")},
            {QStringLiteral("secure_boot"), QT_TR_NOOP("Secure Boot")},
            {QStringLiteral("domain"), QT_TR_NOOP("Domain")},
            {QStringLiteral("battery_level"), QT_TR_NOOP("Battery level")},
            {QStringLiteral("battery_status"), QT_TR_NOOP("Battery status")},
        };
        const char *n = names.value(key);
        return n ? tr(n) : key;
    }
    // Sections and fields in the order a person looks for them; unknown ones follow by name.
    static int sectionRank(const QString &key)
    {
        static const QStringList order{
            QStringLiteral("software"),   QStringLiteral("general"), QStringLiteral("networks"),
            QStringLiteral("partitions"), QStringLiteral("screens"), QStringLiteral("printers"),
            QStringLiteral("devices"),    QStringLiteral("users"),   QStringLiteral("logins")};
        const qsizetype i = order.indexOf(key);
        return i < 0 ? int(order.size()) : int(i);
    }
    static int fieldRank(const QString &key)
    {
        static const QStringList order{QStringLiteral("hostname"),
                                       QStringLiteral("domain"),
                                       QStringLiteral("os"),
                                       QStringLiteral("os_version"),
                                       QStringLiteral("kernel_version"),
                                       QStringLiteral("architecture"),
                                       QStringLiteral("manufacturer"),
                                       QStringLiteral("model"),
                                       QStringLiteral("serial"),
                                       QStringLiteral("cpu"),
                                       QStringLiteral("ram"),
                                       QStringLiteral("gpu"),
                                       QStringLiteral("bios_version"),
                                       QStringLiteral("boot_type"),
                                       QStringLiteral("secure_boot"),
                                       QStringLiteral("uptime"),
                                       QStringLiteral("battery_level"),
                                       QStringLiteral("battery_status"),
                                       QStringLiteral("os_language"),
                                       QStringLiteral("os_license"),
                                       QStringLiteral("agent_version"),
                                       QStringLiteral("uid")};
        const qsizetype i = order.indexOf(key);
        return i < 0 ? int(order.size()) : int(i);
    }
    static int columnRank(const QString &key)
    {
        static const QStringList order{
            QStringLiteral("name"),         QStringLiteral("version"),    QStringLiteral("description"),
            QStringLiteral("interface"),    QStringLiteral("addr"),       QStringLiteral("netmask"),
            QStringLiteral("broadcast"),    QStringLiteral("mac"),        QStringLiteral("mountpoint"),
            QStringLiteral("device"),       QStringLiteral("filesystem"), QStringLiteral("size"),
            QStringLiteral("free"),         QStringLiteral("username"),   QStringLiteral("display_name"),
            QStringLiteral("console"),      QStringLiteral("timestamp"),  QStringLiteral("manufacturer"),
            QStringLiteral("type"),         QStringLiteral("resolution"), QStringLiteral("driver"),
            QStringLiteral("paper"),        QStringLiteral("dpi"),        QStringLiteral("uri"),
            QStringLiteral("status"),       QStringLiteral("subsystem"),  QStringLiteral("vendor"),
            QStringLiteral("product"),      QStringLiteral("serial"),     QStringLiteral("serialno"),
            QStringLiteral("manufactured"), QStringLiteral("uid"),        QStringLiteral("gid"),
            QStringLiteral("home"),         QStringLiteral("shell"),      QStringLiteral("disabled")};
        const qsizetype i = order.indexOf(key);
        return i < 0 ? int(order.size()) : int(i);
    }
    static QString column(const QString &key)
    {
        static const QHash<QString, const char *> names{
            {QStringLiteral("name"), QT_TR_NOOP("Name")},
            {QStringLiteral("version"), QT_TR_NOOP("Version")},
            {QStringLiteral("description"), QT_TR_NOOP("Description")},
            {QStringLiteral("interface"), QT_TR_NOOP("Interface")},
            {QStringLiteral("addr"), QT_TR_NOOP("IP address")},
            {QStringLiteral("netmask"), QT_TR_NOOP("Netmask")},
            {QStringLiteral("broadcast"), QT_TR_NOOP("Broadcast")},
            {QStringLiteral("mac"), QT_TR_NOOP("MAC address")},
            {QStringLiteral("mountpoint"), QT_TR_NOOP("Mounted at")},
            {QStringLiteral("device"), QT_TR_NOOP("Device")},
            {QStringLiteral("filesystem"), QT_TR_NOOP("File system")},
            {QStringLiteral("size"), QT_TR_NOOP("Size")},
            {QStringLiteral("free"), QT_TR_NOOP("Free")},
            {QStringLiteral("username"), QT_TR_NOOP("User name")},
            {QStringLiteral("display_name"), QT_TR_NOOP("Full name")},
            {QStringLiteral("console"), QT_TR_NOOP("Console")},
            {QStringLiteral("timestamp"), QT_TR_NOOP("Time")},
            {QStringLiteral("manufacturer"), QT_TR_NOOP("Manufacturer")},
            {QStringLiteral("type"), QT_TR_NOOP("Type")},
            {QStringLiteral("resolution"), QT_TR_NOOP("Resolution")},
            {QStringLiteral("driver"), QT_TR_NOOP("Driver")},
            {QStringLiteral("paper"), QT_TR_NOOP("Paper")},
            {QStringLiteral("dpi"), QT_TR_NOOP("DPI")},
            {QStringLiteral("uri"), QT_TR_NOOP("Address")},
            {QStringLiteral("status"), QT_TR_NOOP("Status")},
            {QStringLiteral("subsystem"), QT_TR_NOOP("Bus")},
            {QStringLiteral("vendor"), QT_TR_NOOP("Vendor ID")},
            {QStringLiteral("product"), QT_TR_NOOP("Product ID")},
            {QStringLiteral("serial"), QT_TR_NOOP("Serial number")},
            {QStringLiteral("serialno"), QT_TR_NOOP("Serial number")},
            {QStringLiteral("manufactured"), QT_TR_NOOP("Manufactured")},
            {QStringLiteral("uid"), QT_TR_NOOP("User ID")},
            {QStringLiteral("gid"), QT_TR_NOOP("Group ID")},
            {QStringLiteral("home"), QT_TR_NOOP("Home folder")},
            {QStringLiteral("shell"), QT_TR_NOOP("Shell")},
            {QStringLiteral("disabled"), QT_TR_NOOP("Disabled")},
        };
        const char *n = names.value(key);
        return n ? tr(n) : key;
    }
    static QString value(const QString &key, const QJsonValue &v)
    {
        if ((key == QLatin1String("size") || key == QLatin1String("free")) && v.isDouble())
            return QLocale().formattedDataSize(qint64(v.toDouble()), 1, QLocale::DataSizeTraditionalFormat);
        if (key == QLatin1String("secure_boot") &&
            (v.toString() == QLatin1String("1") || v.toString() == QLatin1String("0")))
            return v.toString() == QLatin1String("1") ? tr("Yes") : tr("No");
        if (key == QLatin1String("battery_level") && v.isDouble())
            return tr("%1 %").arg(v.toDouble());
        if (key == QLatin1String("ram") && v.isDouble() && v.toDouble() > 0)
            return tr("%1 (%2 bytes)")
                .arg(QLocale().formattedDataSize(qint64(v.toDouble()), 1, QLocale::DataSizeTraditionalFormat))
                .arg(cellText(v));
        if (key == QLatin1String("uptime") && v.isDouble()) {
            const qint64 s = qint64(v.toDouble());
            return tr("%n day(s)", "", int(s / 86400)) + QStringLiteral(", ") + TrayText::countdown(s % 86400);
        }
        return cellText(v);
    }
};

InventoryPage::InventoryPage(ServiceClient *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_collected = new QLabel(this);
    m_collected->setObjectName(QStringLiteral("collected"));
    top->addWidget(m_collected, 1);
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copyButton"));
    copy->setToolTip(tr("Copies the selected rows, or the whole section, as text."));
    connect(copy, &QPushButton::clicked, this, &InventoryPage::copyCurrentSection);
    auto *exportButton = new QPushButton(tr("&Export JSON…"), this);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the inventory"),
                                                          QStringLiteral("inventory.json"), tr("JSON files (*.json)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!exportJson(path, &error))
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    top->addWidget(copy);
    top->addWidget(exportButton);
    layout->addLayout(top);
    m_sections = new QTabWidget(this);
    m_sections->setObjectName(QStringLiteral("inventorySections"));
    m_sections->setAccessibleName(tr("Inventory sections"));
    m_sections->setUsesScrollButtons(true);
    layout->addWidget(m_sections, 1);
    connect(link, &ServiceClient::inventoryChanged, this, &InventoryPage::refresh);
    refresh();
}

QTableView *InventoryPage::addTable(const QString &key, const QString &title, QStandardItemModel *model, QWidget *page)
{
    auto *proxy = new QSortFilterProxyModel(page);
    proxy->setSourceModel(model);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy->setFilterKeyColumn(-1);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    auto *table = new QTableView(page);
    table->setObjectName(key + QStringLiteral("Table"));
    table->setAccessibleName(title);
    table->setModel(proxy);
    table->setSortingEnabled(key != QLatin1String("general"));
    if (key != QLatin1String("general"))
        table->sortByColumn(0, Qt::AscendingOrder); // A to Z by the first column (the name)
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    m_views.insert(key, proxy);
    m_tables.insert(key, table);
    return table;
}

void InventoryPage::refresh()
{
    const QJsonObject inv = m_link->inventory();
    const QString previous =
        m_sections->currentIndex() >= 0 ? m_sections->widget(m_sections->currentIndex())->objectName() : QString();
    const QString filterText = m_softwareFilter ? m_softwareFilter->text() : QString();
    removeSections();
    if (inv.isEmpty()) {
        m_collected->setText(tr("No inventory has been collected yet."));
    } else {
        m_collected->setText(tr("Collected: %1").arg(TrayText::localTime(m_link->inventoryCollected())));
    }

    QStringList lists;
    QList<QPair<QString, QWidget *>> pages{{QStringLiteral("general"), createGeneralPage(inv, &lists)}};
    QHash<QString, QString> titles{{QStringLiteral("general"), tr("General")}};
    for (const QString &key : std::as_const(lists)) {
        const QJsonArray arr = inv.value(key).toArray();
        pages.append({key, createListPage(key, arr, filterText)});
        titles.insert(key, tr("%1 (%2)").arg(InventoryWords::section(key)).arg(arr.size()));
    }
    std::stable_sort(pages.begin(), pages.end(), [](const auto &a, const auto &b) {
        return InventoryWords::sectionRank(a.first) < InventoryWords::sectionRank(b.first);
    });
    for (const auto &[key, page] : std::as_const(pages))
        m_sections->addTab(page, titles.value(key));
    for (int i = 0; i < m_sections->count(); ++i)
        if (m_sections->widget(i)->objectName() == previous)
            m_sections->setCurrentIndex(i);
}

void InventoryPage::removeSections()
{
    while (m_sections->count() > 0) {
        QWidget *w = m_sections->widget(0);
        m_sections->removeTab(0);
        w->deleteLater();
    }
    m_views.clear();
    m_tables.clear();
    m_softwareFilter = nullptr;
}

// General: every field that is not a list (JSON objects keep their keys sorted). The keys of the lists go to
// *lists, in the order their pages are built.
QWidget *InventoryPage::createGeneralPage(const QJsonObject &inv, QStringList *lists)
{
    auto *general = new QWidget;
    general->setObjectName(QStringLiteral("general"));
    auto *gl = new QVBoxLayout(general);
    auto *gm = new QStandardItemModel(0, 2, general);
    gm->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    QStringList keys = inv.keys();
    std::stable_sort(keys.begin(), keys.end(), [](const QString &a, const QString &b) {
        return InventoryWords::fieldRank(a) < InventoryWords::fieldRank(b);
    });
    for (const QString &key : keys) {
        const QJsonValue v = inv.value(key);
        if (v.isArray()) {
            *lists << key;
            continue;
        }
        auto *name = new QStandardItem(InventoryWords::field(key));
        name->setToolTip(key);
        name->setData(key, Qt::UserRole);
        gm->appendRow({name, new QStandardItem(InventoryWords::value(key, v))});
    }
    gl->addWidget(addTable(QStringLiteral("general"), tr("General"), gm, general));
    return general;
}

// One table for a list: a column per key found in its objects, or a single "Value" column for plain values.
QStandardItemModel *InventoryPage::createListModel(const QJsonArray &arr, QObject *parent)
{
    QStringList columns;
    for (const QJsonValue &row : arr) {
        const QJsonObject o = row.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!columns.contains(it.key()))
                columns << it.key();
    }
    std::stable_sort(columns.begin(), columns.end(), [](const QString &a, const QString &b) {
        return InventoryWords::columnRank(a) < InventoryWords::columnRank(b);
    });
    QStringList headers;
    for (const QString &c : std::as_const(columns))
        headers << InventoryWords::column(c);
    if (columns.isEmpty())
        headers << tr("Value");
    auto *model = new QStandardItemModel(0, int(columns.size()), parent);
    model->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < columns.size(); ++c)
        model->horizontalHeaderItem(c)->setToolTip(columns.at(c)); // the key the server gets
    for (const QJsonValue &row : arr) {
        QList<QStandardItem *> items;
        if (row.isObject()) {
            const QJsonObject o = row.toObject();
            for (const QString &c : std::as_const(columns))
                items << new QStandardItem(InventoryWords::value(c, o.value(c)));
        } else {
            items << new QStandardItem(cellText(row));
        }
        model->appendRow(items);
    }
    return model;
}

// The software page gets the filter box, which keeps filterText across refreshes. Once it exists, the filter
// box also drives the tables of the lists built after it.
QWidget *InventoryPage::createListPage(const QString &key, const QJsonArray &arr, const QString &filterText)
{
    auto *page = new QWidget;
    page->setObjectName(key);
    auto *pl = new QVBoxLayout(page);
    QStandardItemModel *model = createListModel(arr, page);
    const QString title = InventoryWords::section(key);
    if (key == QLatin1String("software")) {
        m_softwareFilter = new QLineEdit(page);
        m_softwareFilter->setObjectName(QStringLiteral("softwareFilter"));
        m_softwareFilter->setPlaceholderText(tr("Filter software by name, version or description"));
        m_softwareFilter->setAccessibleName(tr("Filter software"));
        m_softwareFilter->setClearButtonEnabled(true);
        pl->addWidget(m_softwareFilter);
    }
    QTableView *table = addTable(key, title, model, page);
    pl->addWidget(table);
    if (m_softwareFilter) {
        QSortFilterProxyModel *proxy = m_views.value(key);
        connect(m_softwareFilter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
        m_softwareFilter->setText(filterText);
        proxy->setFilterFixedString(filterText);
    }
    return page;
}

QString InventoryPage::currentSectionText() const
{
    QWidget *page = m_sections->currentWidget();
    if (!page)
        return {};
    QTableView *table = m_tables.value(page->objectName());
    QSortFilterProxyModel *model = m_views.value(page->objectName());
    if (!table || !model)
        return {};
    QList<int> rows;
    if (table->selectionModel()) {
        const QModelIndexList sel = table->selectionModel()->selectedRows();
        for (const QModelIndex &i : sel)
            rows << i.row();
    }
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty()) {
        for (int r = 0; r < model->rowCount(); ++r)
            rows << r;
    }
    QStringList lines;
    QStringList header;
    for (int c = 0; c < model->columnCount(); ++c)
        header << model->headerData(c, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList cells;
        for (int c = 0; c < model->columnCount(); ++c)
            cells << model->index(r, c).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void InventoryPage::copyCurrentSection()
{
    QApplication::clipboard()->setText(currentSectionText());
}

bool InventoryPage::exportJson(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QJsonDocument(m_link->inventory()).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace oco::ui
