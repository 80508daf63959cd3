#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QFormLayout;

namespace oco::ui {

class ServiceLink;

// Where the agent stands: server, contacts, dialect, versions, state and the last error in words.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(ServiceLink *link, QWidget *parent = nullptr);

    QString fieldText(const QString &name) const; // by object name, for tests
    void refresh();

Q_SIGNALS:
    void settingsRequested();

private:
    QLabel *addField(QFormLayout *form, const QString &name, const QString &label);

    ServiceLink *m_link;
    QLabel *m_banner;
    QPushButton *m_checkNow;
};

} // namespace oco::ui
