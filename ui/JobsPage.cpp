#include "JobsPage.h"

#include "ServiceClient.h"
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
QString text(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(qint64(v.toDouble())) : v.toString();
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

JobsPage::JobsPage(ServiceClient *link, QWidget *parent)
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

    connect(link, &ServiceClient::jobsChanged, this, &JobsPage::refresh);
    connect(link, &ServiceClient::connectionChanged, this, &JobsPage::refresh);
    connect(link, &ServiceClient::powerChanged, this, &JobsPage::refreshPower);
    connect(link, &ServiceClient::statusChanged, this, &JobsPage::refreshPower);
    refresh();
    refreshPower();
}

void JobsPage::refresh()
{
    const control::Jobs &jobs = m_link->jobs();
    const std::optional<control::RunningJob> &running = jobs.running;
    if (!running) {
        m_running->setText(m_link->isConnected() ? tr("No job is running.") : tr("The service is not connected."));
        m_progress->setVisible(false);
        m_output->setVisible(false);
        if (auto *box = qobject_cast<QBoxLayout *>(layout()))
            box->setStretchFactor(m_running->parentWidget(), 0);
    } else {
        const QString phase = TrayText::phase(running->phase);
        m_running->setText(tr("%1: %2").arg(TrayText::jobLabel(running->id, running->packageId), phase));
        m_progress->setVisible(true);
        if (running->progress) {
            m_progress->setRange(0, 100);
            m_progress->setValue(qBound(0, int(*running->progress), 100));
        } else {
            m_progress->setRange(0, 0); // busy indicator
        }
        m_output->setVisible(true);
        if (auto *box = qobject_cast<QBoxLayout *>(layout()))
            box->setStretchFactor(m_running->parentWidget(), 2);
        const QString tail = running->outputTail.value_or(QString());
        if (m_output->toPlainText() != tail) {
            QScrollBar *bar = m_output->verticalScrollBar();
            const bool atEnd = bar->value() == bar->maximum();
            m_output->setPlainText(tail);
            if (atEnd)
                bar->setValue(bar->maximum());
        }
    }

    m_pendingModel->removeRows(0, m_pendingModel->rowCount());
    for (const control::JobInfo &j : jobs.pending) {
        QString after;
        if (j.restartMinutes)
            after = tr("Restart within %1").arg(TrayText::minutesChoice(*j.restartMinutes));
        else if (j.shutdownMinutes)
            after = tr("Shutdown within %1").arg(TrayText::minutesChoice(*j.shutdownMinutes));
        m_pendingModel->appendRow(
            {new QStandardItem(text(j.id)), new QStandardItem(text(j.packageId)), new QStandardItem(after)});
    }

    const int selected = m_historyTable->currentIndex().row();
    m_historyModel->removeRows(0, m_historyModel->rowCount());
    for (const control::JobRecord &j : jobs.history) { // the service sends the newest first
        auto *id = new QStandardItem(text(j.id));
        id->setData(j.message.value_or(QString()), Qt::UserRole);
        m_historyModel->appendRow(
            {id, new QStandardItem(text(j.packageId)), new QStandardItem(TrayText::jobResult(j.result)),
             new QStandardItem(j.returnCode ? QString::number(*j.returnCode) : QString()),
             new QStandardItem(TrayText::localTime(j.started)), new QStandardItem(TrayText::localTime(j.finished))});
    }
    m_historyTable->resizeColumnsToContents();
    if (selected >= 0 && selected < m_historyModel->rowCount())
        m_historyTable->setCurrentIndex(m_historyModel->index(selected, 0));
}

void JobsPage::refreshPower()
{
    const control::PowerPending &p = m_link->powerPending();
    const QString held = m_link->status().held;
    if (p.isEmpty()) {
        m_power->setText(held.isEmpty() ? QString() : tr("Jobs are waiting: %1").arg(held));
        m_power->setVisible(!held.isEmpty());
        return;
    }
    const QString at = TrayText::localTime(p.deadline);
    const QString job = TrayText::jobLabel(p.jobId, p.packageId);
    if (p.isShutdown())
        m_power->setText(tr("Post action: shutdown at %1, requested by %2.").arg(at, job));
    else
        m_power->setText(tr("Post action: restart at %1, requested by %2.").arg(at, job));
    m_power->setVisible(true);
}

} // namespace oco::ui
