#include "JobsPage.h"

#include "ServiceLink.h"
#include "TrayState.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace oco::ui {

namespace {
QString text(const QJsonObject &o, std::initializer_list<const char *> keys)
{
    for (const char *k : keys) {
        const QJsonValue v = o.value(QLatin1String(k));
        if (v.isString())
            return v.toString();
        if (v.isDouble())
            return QString::number(qint64(v.toDouble()));
    }
    return {};
}

QTableView *makeTable(QStandardItemModel *model, QWidget *parent, const QString &name)
{
    auto *t = new QTableView(parent);
    t->setModel(model);
    t->setAccessibleName(name);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}
} // namespace

JobsPage::JobsPage(ServiceLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
{
    auto *layout = new QVBoxLayout(this);

    auto *runningBox = new QGroupBox(tr("Running"), this);
    auto *rl = new QVBoxLayout(runningBox);
    m_running = new QLabel(runningBox);
    m_running->setObjectName(QStringLiteral("runningLabel"));
    m_progress = new QProgressBar(runningBox);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setAccessibleName(tr("Job progress"));
    m_output = new QPlainTextEdit(runningBox);
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setReadOnly(true);
    m_output->setAccessibleName(tr("Output of the running job"));
    m_output->setMaximumBlockCount(2000);
    m_output->setFont(QFont(QStringLiteral("monospace")));
    rl->addWidget(m_running);
    rl->addWidget(m_progress);
    rl->addWidget(m_output);

    m_power = new QLabel(this);
    m_power->setObjectName(QStringLiteral("powerLabel"));
    m_power->setWordWrap(true);

    auto *pendingBox = new QGroupBox(tr("Waiting"), this);
    auto *pl = new QVBoxLayout(pendingBox);
    m_pendingModel = new QStandardItemModel(0, 3, this);
    m_pendingModel->setHorizontalHeaderLabels({tr("Job"), tr("Package"), tr("After the job")});
    pl->addWidget(makeTable(m_pendingModel, pendingBox, tr("Waiting jobs")));

    auto *historyBox = new QGroupBox(tr("History"), this);
    auto *hl = new QVBoxLayout(historyBox);
    m_historyModel = new QStandardItemModel(0, 6, this);
    m_historyModel->setHorizontalHeaderLabels(
        {tr("Job"), tr("Package"), tr("State"), tr("Return code"), tr("Started"), tr("Finished")});
    m_historyTable = makeTable(m_historyModel, historyBox, tr("Job history"));
    m_historyTable->setObjectName(QStringLiteral("historyTable"));
    m_historyOutput = new QPlainTextEdit(historyBox);
    m_historyOutput->setObjectName(QStringLiteral("historyOutput"));
    m_historyOutput->setReadOnly(true);
    m_historyOutput->setAccessibleName(tr("Output of the selected job"));
    m_historyOutput->setPlaceholderText(tr("Select a job to see its output."));
    auto *split = new QSplitter(Qt::Vertical, historyBox);
    split->addWidget(m_historyTable);
    split->addWidget(m_historyOutput);
    hl->addWidget(split);
    connect(m_historyTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_historyOutput->setPlainText(
                    current.isValid() ? m_historyModel->item(current.row(), 0)->data(Qt::UserRole).toString()
                                      : QString());
            });

    layout->addWidget(runningBox, 0);
    layout->addWidget(m_power);
    layout->addWidget(pendingBox, 1);
    layout->addWidget(historyBox, 3);

    connect(link, &ServiceLink::jobsChanged, this, &JobsPage::refresh);
    connect(link, &ServiceLink::connectionChanged, this, &JobsPage::refresh);
    connect(link, &ServiceLink::powerChanged, this, &JobsPage::refreshPower);
    connect(link, &ServiceLink::statusChanged, this, &JobsPage::refreshPower);
    refresh();
    refreshPower();
}

void JobsPage::refresh()
{
    const QJsonObject jobs = m_link->jobs();
    const QJsonObject running = jobs.value(QStringLiteral("running")).toObject();
    if (running.isEmpty()) {
        m_running->setText(m_link->isConnected() ? tr("No job is running.") : tr("The service is not connected."));
        m_progress->setVisible(false);
        m_output->setVisible(false);
        if (auto *box = qobject_cast<QBoxLayout *>(layout()))
            box->setStretchFactor(m_running->parentWidget(), 0);
    } else {
        const QString phase = Words::phase(running.value(QStringLiteral("phase")).toString());
        m_running->setText(tr("%1: %2").arg(Words::jobLabel(running), phase));
        m_progress->setVisible(true);
        if (running.contains(QStringLiteral("progress"))) {
            m_progress->setRange(0, 100);
            m_progress->setValue(qBound(0, running.value(QStringLiteral("progress")).toInt(), 100));
        } else {
            m_progress->setRange(0, 0); // busy indicator
        }
        m_output->setVisible(true);
        if (auto *box = qobject_cast<QBoxLayout *>(layout()))
            box->setStretchFactor(m_running->parentWidget(), 2);
        const QString tail = running.value(QStringLiteral("output_tail")).toString();
        if (m_output->toPlainText() != tail) {
            QScrollBar *bar = m_output->verticalScrollBar();
            const bool atEnd = bar->value() == bar->maximum();
            m_output->setPlainText(tail);
            if (atEnd)
                bar->setValue(bar->maximum());
        }
    }

    m_pendingModel->removeRows(0, m_pendingModel->rowCount());
    const QJsonArray pending = jobs.value(QStringLiteral("pending")).toArray();
    for (const QJsonValue &v : pending) {
        const QJsonObject j = v.toObject();
        QString after;
        const QJsonValue restart = j.value(QStringLiteral("restart"));
        const QJsonValue shutdown = j.value(QStringLiteral("shutdown"));
        if (restart.isDouble())
            after = tr("Restart within %1").arg(Words::minutesChoice(restart.toInt()));
        else if (shutdown.isDouble())
            after = tr("Shutdown within %1").arg(Words::minutesChoice(shutdown.toInt()));
        m_pendingModel->appendRow({new QStandardItem(text(j, {"id"})),
                                   new QStandardItem(text(j, {"package_name", "package_id", "package-id"})),
                                   new QStandardItem(after)});
    }

    const int selected = m_historyTable->currentIndex().row();
    m_historyModel->removeRows(0, m_historyModel->rowCount());
    const QJsonArray history = jobs.value(QStringLiteral("history")).toArray();
    for (const QJsonValue &entry : history) { // the service sends the newest first
        const QJsonObject j = entry.toObject();
        auto *id = new QStandardItem(text(j, {"id"}));
        id->setData(j.value(QStringLiteral("message")).toString(), Qt::UserRole);
        const QJsonValue rc = j.value(QStringLiteral("return_code"));
        m_historyModel->appendRow(
            {id, new QStandardItem(text(j, {"package_name", "package_id", "package-id"})),
             new QStandardItem(Words::jobState(j.value(QStringLiteral("state")).toString())),
             new QStandardItem(rc.isDouble() ? QString::number(rc.toInt()) : QString()),
             new QStandardItem(Words::localTime(j.value(QStringLiteral("started")).toString())),
             new QStandardItem(Words::localTime(j.value(QStringLiteral("finished")).toString()))});
    }
    m_historyTable->resizeColumnsToContents();
    if (selected >= 0 && selected < m_historyModel->rowCount())
        m_historyTable->setCurrentIndex(m_historyModel->index(selected, 0));
}

void JobsPage::refreshPower()
{
    const QJsonObject p = m_link->powerPending();
    const QString held = m_link->status().value(QStringLiteral("held")).toString();
    if (p.isEmpty()) {
        m_power->setText(held.isEmpty() ? QString() : tr("Jobs are waiting: %1").arg(held));
        m_power->setVisible(!held.isEmpty());
        return;
    }
    const QString at = Words::localTime(Words::parseUtc(p.value(QStringLiteral("deadline")).toString()));
    const QString job =
        Words::jobLabel(QJsonObject{{QStringLiteral("id"), p.value(QStringLiteral("job_id"))},
                                    {QStringLiteral("package_id"), p.value(QStringLiteral("package_id"))}});
    if (p.value(QStringLiteral("action")).toString() == QLatin1String("shutdown"))
        m_power->setText(tr("Post action: shutdown at %1, requested by %2.").arg(at, job));
    else
        m_power->setText(tr("Post action: restart at %1, requested by %2.").arg(at, job));
    m_power->setVisible(true);
}

} // namespace oco::ui
