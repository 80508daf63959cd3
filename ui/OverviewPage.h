#pragma once

#include <QTimer>
#include <QWidget>

class QFrame;
class QLabel;
class QPushButton;
class QFormLayout;

namespace oco::ui {

class ServiceClient;

// Where the agent stands: server, contacts, dialect, versions, state and the last error in words.
class OverviewPage : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPage(ServiceClient *link, QWidget *parent = nullptr);

    QString fieldText(const QString &name) const; // by object name, for tests
    void refresh();

    QFrame *powerBanner() const { return m_powerBanner; }
    QLabel *powerBannerLabel() const { return m_powerText; }
    QPushButton *powerPostponeButton() const { return m_powerPostpone; }
    QPushButton *powerActNowButton() const { return m_powerActNow; }

Q_SIGNALS:
    void settingsRequested();
    void noticeRequested(); // show the restart notice (to postpone there)
    void actNowRequested(); // the notice's Restart now, which asks first

private:
    QLabel *addField(QFormLayout *form, const QString &name, const QString &label);

    ServiceClient *m_link;
    void refreshPower();

    QLabel *m_banner;
    QFrame *m_powerBanner;
    QLabel *m_powerText;
    QPushButton *m_powerPostpone;
    QPushButton *m_powerActNow;
    QTimer m_powerTick;
    QPushButton *m_checkNow;
};

} // namespace oco::ui
