#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QStandardItemModel;
class QTableView;

namespace oco::ui {

class ServiceClient;

// Pending jobs, the running one (phase, progress, live output), the post action with its deadline, and the
// recent history with state, return code, times and output.
class JobsPage : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPage(ServiceClient *link, QWidget *parent = nullptr);

    QLabel *runningLabel() const { return m_running; }
    QProgressBar *progressBar() const { return m_progress; }
    QPlainTextEdit *outputView() const { return m_output; }
    QLabel *powerLabel() const { return m_power; }
    QStandardItemModel *pendingModel() const { return m_pendingModel; }
    QStandardItemModel *historyModel() const { return m_historyModel; }
    QTableView *historyTable() const { return m_historyTable; }
    QPlainTextEdit *historyOutput() const { return m_historyOutput; }
    void refresh();
    void refreshPower();

private:
    ServiceClient *m_link;
    QLabel *m_running;
    QProgressBar *m_progress;
    QPlainTextEdit *m_output;
    QLabel *m_power;
    QStandardItemModel *m_pendingModel;
    QStandardItemModel *m_historyModel;
    QTableView *m_historyTable;
    QPlainTextEdit *m_historyOutput;
};

} // namespace oco::ui
