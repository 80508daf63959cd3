#include "LogPage.h"

#include "ServiceClient.h"
#include "TrayState.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace oco::ui {

namespace {
constexpr int kRankRole = Qt::UserRole + 1;

class LevelFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    int minimum = 1;
    QString text;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex level = sourceModel()->index(row, 1, parent);
        if (level.data(kRankRole).toInt() < minimum)
            return false;
        if (text.isEmpty())
            return true;
        for (int c = 0; c < sourceModel()->columnCount(); ++c)
            if (sourceModel()->index(row, c, parent).data().toString().contains(text, Qt::CaseInsensitive))
                return true;
        return false;
    }
};
} // namespace

QString LogPage::levelName(int rank)
{
    switch (rank) {
    case 0:
        return tr("Debug", "log level");
    case 2:
        return tr("Warning", "log level");
    case 3:
        return tr("Error", "log level");
    default:
        return tr("Info", "log level");
    }
}

int LogPage::levelRank(control::LogLevel level)
{
    switch (level) {
    case control::LogLevel::Debug:
        return 0;
    case control::LogLevel::Info:
        return 1;
    case control::LogLevel::Warning:
        return 2;
    case control::LogLevel::Error:
    case control::LogLevel::Fatal:
        return 3;
    }
    return 1;
}

LogPage::LogPage(ServiceClient *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("levelFilter"));
    m_level->addItem(tr("Debug and above"), 0);
    m_level->addItem(tr("Information and above"), 1);
    m_level->addItem(tr("Warnings and errors"), 2);
    m_level->addItem(tr("Errors only"), 3);
    m_level->setCurrentIndex(1);
    m_level->setAccessibleName(tr("Minimum level"));
    auto *levelLabel = new QLabel(tr("&Level:"), this);
    levelLabel->setBuddy(m_level);
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setPlaceholderText(tr("Filter"));
    m_text->setAccessibleName(tr("Filter log lines"));
    m_text->setClearButtonEnabled(true);
    top->addWidget(levelLabel);
    top->addWidget(m_level);
    top->addWidget(m_text, 1);
    layout->addLayout(top);

    m_model = new QStandardItemModel(0, 4, this);
    m_model->setHorizontalHeaderLabels({tr("Time"), tr("Level"), tr("Category"), tr("Message")});
    auto *proxy = new LevelFilter(this);
    proxy->setSourceModel(m_model);
    m_proxy = proxy;
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setAccessibleName(tr("Service log"));
    m_table->setModel(m_proxy);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this, [this, proxy] {
        proxy->minimum = m_level->currentData().toInt();
        proxy->apply();
    });
    connect(m_text, &QLineEdit::textChanged, this, [proxy](const QString &t) {
        proxy->text = t;
        proxy->apply();
    });
    connect(link, &ServiceClient::logAppended, this, &LogPage::append);
    connect(link, &ServiceClient::connectionChanged, this, [this] {
        if (m_link->isConnected())
            reload(); // the service sends its last lines again on connect
    });
    reload();
}

void LogPage::reload()
{
    m_model->removeRows(0, m_model->rowCount());
    append(m_link->logLines());
}

void LogPage::append(const QList<control::LogRecord> &lines)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    for (const control::LogRecord &l : lines) {
        const int rank = levelRank(l.level);
        auto *levelItem = new QStandardItem(levelName(rank));
        levelItem->setData(rank, kRankRole);
        levelItem->setToolTip(control::wireName(l.level));
        m_model->appendRow({new QStandardItem(TrayText::localTime(l.time)), levelItem, new QStandardItem(l.category),
                            new QStandardItem(l.message)});
    }
    const int excess = m_model->rowCount() - ServiceClient::kMaxLogLines;
    if (excess > 0)
        m_model->removeRows(0, excess);
    if (atEnd)
        m_table->scrollToBottom();
}

} // namespace oco::ui
