#pragma once

#include "controlproto/Messages.h"
#include <QDateTime>
#include <QDialog>

#include <QJsonObject>
#include <QTimer>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QMenu;
class QProgressBar;
class QVBoxLayout;

namespace oco {
class Clock;
}

namespace oco::ui {

class AdminBanner;
class ServiceClient;

// The restart/shutdown notice. It shows what the service decided and relays the user's choice; during the
// final countdown it has no postpone button, cannot be closed and stays on top.
//
// It appears while the person may be typing elsewhere, so nothing typed or clicked by accident may act on it:
// it is shown without taking focus, has no default button, starts with focus on itself (not on a button),
// ignores keys and clicks for a moment after it appears or changes mode, and "Restart now" asks once.
class PowerNotice : public QDialog
{
    Q_OBJECT
public:
    PowerNotice(ServiceClient *link, const Clock &clock, QWidget *parent = nullptr);

    // Updates from the service's `power.pending`; an empty object dismisses the notice (even in the final
    // countdown: the action was done, cancelled or the service is gone).
    void setPending(const control::PowerPending &pending);
    bool isFinalCountdown() const { return m_final; }
    const control::PowerPending &pending() const { return m_pending; }

    QLabel *headlineLabel() const { return m_headline; }
    QLabel *whenLabel() const { return m_when; }
    QLabel *whyLabel() const { return m_why; }
    QLabel *countdownLabel() const { return m_countdown; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *hideButton() const { return m_later; }
    QLabel *postponeInfoLabel() const { return m_postponeInfo; }
    QLabel *resultLabel() const { return m_result; }
    QPushButton *actNowButton() const { return m_actNow; }
    QPushButton *postponeButton() const { return m_postponeButton; }
    QMenu *postponeMenu() const { return m_postponeMenu; }
    QPushButton *chooseTimeButton() const { return m_chooseTime; }
    QMenu *timeMenu() const { return m_timeMenu; }
    AdminBanner *adminBanner() const { return m_banner; }

    // Asks whether to act now; true means go ahead. Replaced in tests.
    using Confirm = std::function<bool(const QString &title, const QString &question)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    // Keys and clicks are ignored for this long after the notice appears or enters the final countdown.
    static constexpr qint64 InputGuardMs = 1000;
    bool inputGuarded() const;

    void postpone(int minutes);
    void chooseTime(const QString &isoUtc); // one of the service's time_choices
    void actNow();                          // asks first, then relays
    void tick();

    void reject() override; // hides, except in the final countdown

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addMessageArea(QVBoxLayout *layout);
    QHBoxLayout *createButtons();
    void ignoreStrayInput();
    void applyFinalMode(bool final);
    void armInputGuard();
    void applyUrgentColour();
    void rebuildChoices();
    void rebuildTimes();
    void showPostponing(const control::PowerPending &pending, const QDateTime &now);
    void relayPostpone(const QJsonObject &args, const QString &done);
    void requestActNow();
    bool askToActNow();

    ServiceClient *m_link;
    const Clock &m_clock;
    control::PowerPending m_pending;
    bool m_final = false;
    bool m_dismissing = false;
    QDateTime m_guardSince;
    QDateTime m_firstSeen;
    Confirm m_confirm;
    QTimer m_ticker;
    QLabel *m_headline;
    QLabel *m_when;
    QLabel *m_why;
    QLabel *m_countdown;
    QProgressBar *m_progress;
    QLabel *m_postponeInfo;
    QLabel *m_result;
    QPushButton *m_actNow;
    QPushButton *m_postponeButton;
    QPushButton *m_later;
    QMenu *m_postponeMenu;
    QPushButton *m_chooseTime;
    QMenu *m_timeMenu;
    AdminBanner *m_banner;
};

} // namespace oco::ui
