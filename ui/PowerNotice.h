#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QTimer>

class QLabel;
class QPushButton;
class QMenu;

namespace oco {
class Clock;
}

namespace oco::ui {

class ServiceLink;

// The restart/shutdown notice. It shows what the service decided and relays the user's choice; during the
// final countdown it has no postpone button, cannot be closed and stays on top.
class PowerNotice : public QDialog
{
    Q_OBJECT
public:
    PowerNotice(ServiceLink *link, const Clock &clock, QWidget *parent = nullptr);

    // Updates from the service's `power.pending`; an empty object dismisses the notice (even in the final
    // countdown: the action was done, cancelled or the service is gone).
    void setPending(const QJsonObject &pending);
    bool isFinalCountdown() const { return m_final; }
    QJsonObject pending() const { return m_pending; }

    QLabel *headlineLabel() const { return m_headline; }
    QLabel *whenLabel() const { return m_when; }
    QLabel *whyLabel() const { return m_why; }
    QLabel *countdownLabel() const { return m_countdown; }
    QLabel *postponeInfoLabel() const { return m_postponeInfo; }
    QLabel *resultLabel() const { return m_result; }
    QPushButton *actNowButton() const { return m_actNow; }
    QPushButton *postponeButton() const { return m_postponeButton; }
    QMenu *postponeMenu() const { return m_postponeMenu; }

    void postpone(int minutes);
    void actNow();
    void tick();

    void reject() override; // hides, except in the final countdown

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void applyFinalMode(bool final);

    ServiceLink *m_link;
    const Clock &m_clock;
    QJsonObject m_pending;
    bool m_final = false;
    bool m_dismissing = false;
    QTimer m_ticker;
    QLabel *m_headline;
    QLabel *m_when;
    QLabel *m_why;
    QLabel *m_countdown;
    QLabel *m_postponeInfo;
    QLabel *m_result;
    QPushButton *m_actNow;
    QPushButton *m_postponeButton;
    QPushButton *m_later;
    QMenu *m_postponeMenu;
};

} // namespace oco::ui
