#pragma once

#include "controlproto/Messages.h"

#include <QJsonArray>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QStandardItemModel;
class QSortFilterProxyModel;
class QTableView;

namespace oco::ui {

class ServiceClient;

// The service's recent log lines, filtered by minimum level and text.
class LogPage : public QWidget
{
    Q_OBJECT
public:
    explicit LogPage(ServiceClient *link, QWidget *parent = nullptr);

    QComboBox *levelFilter() const { return m_level; }
    QLineEdit *textFilter() const { return m_text; }
    QSortFilterProxyModel *view() const { return m_proxy; }
    static int levelRank(control::LogLevel level);
    static QString levelName(int rank); // in the user's language

private:
    void append(const QList<oco::control::LogRecord> &lines);
    void reload();

    ServiceClient *m_link;
    QComboBox *m_level;
    QLineEdit *m_text;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
};

} // namespace oco::ui
