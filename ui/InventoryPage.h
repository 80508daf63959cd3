#pragma once

#include <QJsonObject>
#include <QWidget>

class QJsonArray;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace oco::ui {

class ServiceClient;

// The inventory exactly as the server receives it: the scalar fields in one table and each list in its own
// tab (columns from the list's objects), software with a filter box; copy and "Export JSON".
class InventoryPage : public QWidget
{
    Q_OBJECT
public:
    explicit InventoryPage(ServiceClient *link, QWidget *parent = nullptr);

    QTabWidget *sections() const { return m_sections; }
    QLineEdit *softwareFilter() const { return m_softwareFilter; }
    // The (filtered) view of a section: "general" or the list's key.
    QSortFilterProxyModel *view(const QString &key) const { return m_views.value(key); }
    // Tab-separated text of the current section (selected rows, or all rows when none is selected).
    QString currentSectionText() const;
    void copyCurrentSection();
    bool exportJson(const QString &path, QString *error) const;
    void refresh();

private:
    void removeSections();
    QWidget *createGeneralPage(const QJsonObject &inv, QStringList *lists);
    static QStandardItemModel *createListModel(const QJsonArray &arr, QObject *parent);
    QWidget *createListPage(const QString &key, const QJsonArray &arr, const QString &filterText);
    QTableView *addTable(const QString &key, const QString &title, QStandardItemModel *model, QWidget *page);

    ServiceClient *m_link;
    QLabel *m_collected;
    QTabWidget *m_sections;
    QLineEdit *m_softwareFilter = nullptr;
    QHash<QString, QSortFilterProxyModel *> m_views;
    QHash<QString, QTableView *> m_tables;
};

} // namespace oco::ui
