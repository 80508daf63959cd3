#include "PowerNotice.h"

#include "ServiceLink.h"
#include "StateIcon.h"
#include "TrayState.h"

#include "core/Clock.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace oco::ui {

PowerNotice::PowerNotice(ServiceLink *link, const Clock &clock, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("powerNotice"));
    setWindowIcon(stateIcon(TrayState::PowerPending, Panel::Light));
    auto *layout = new QVBoxLayout(this);
    m_headline = new QLabel(this);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_headline->setFont(big);
    m_when = new QLabel(this);
    m_why = new QLabel(this);
    m_why->setWordWrap(true);
    m_countdown = new QLabel(this);
    QFont huge = m_countdown->font();
    huge.setPointSizeF(huge.pointSizeF() * 2.2);
    huge.setBold(true);
    m_countdown->setFont(huge);
    m_countdown->setAlignment(Qt::AlignCenter);
    m_countdown->setAccessibleName(tr("Time left"));
    m_postponeInfo = new QLabel(this);
    m_postponeInfo->setWordWrap(true);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QLabel *l : {m_headline, m_when, m_why, m_countdown, m_postponeInfo, m_result})
        layout->addWidget(l);

    auto *buttons = new QHBoxLayout;
    m_later = new QPushButton(tr("&Remind me later"), this);
    m_later->setObjectName(QStringLiteral("laterButton"));
    m_later->setToolTip(tr("Hides this notice; it comes back at the next reminder."));
    connect(m_later, &QPushButton::clicked, this, &PowerNotice::reject);
    m_postponeButton = new QPushButton(tr("&Postpone…"), this);
    m_postponeButton->setObjectName(QStringLiteral("postponeButton"));
    m_postponeMenu = new QMenu(m_postponeButton);
    m_postponeButton->setMenu(m_postponeMenu);
    m_actNow = new QPushButton(this);
    m_actNow->setObjectName(QStringLiteral("actNowButton"));
    connect(m_actNow, &QPushButton::clicked, this, &PowerNotice::actNow);
    buttons->addWidget(m_later);
    buttons->addStretch();
    buttons->addWidget(m_postponeButton);
    buttons->addWidget(m_actNow);
    layout->addLayout(buttons);

    // Never steal the keyboard: Enter and Space typed for another window must not reach a button.
    setAttribute(Qt::WA_ShowWithoutActivating);
    setFocusPolicy(Qt::StrongFocus);
    for (QPushButton *b : {m_later, m_postponeButton, m_actNow}) {
        b->setAutoDefault(false);
        b->setDefault(false);
        b->installEventFilter(this);
    }
    installEventFilter(this);

    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &PowerNotice::tick);
    setMinimumWidth(460);
}

void PowerNotice::setPending(const QJsonObject &pending)
{
    if (pending.isEmpty()) {
        m_pending = {};
        m_ticker.stop();
        m_dismissing = true;
        hide();
        m_dismissing = false;
        applyFinalMode(false);
        return;
    }
    const bool sameAction = m_pending.value(QStringLiteral("deadline")) == pending.value(QStringLiteral("deadline"));
    m_pending = pending;
    if (!sameAction)
        m_result->clear();
    const bool shutdown = pending.value(QStringLiteral("action")).toString() == QLatin1String("shutdown");
    const QDateTime deadline = Words::parseUtc(pending.value(QStringLiteral("deadline")).toString());
    const QString at = Words::localTime(deadline);
    if (shutdown) {
        setWindowTitle(tr("Shutdown scheduled"));
        m_headline->setText(tr("This computer will shut down at %1.").arg(at));
        m_actNow->setText(tr("Shut &down now"));
    } else {
        setWindowTitle(tr("Restart scheduled"));
        m_headline->setText(tr("This computer will restart at %1.").arg(at));
        m_actNow->setText(tr("Restart &now"));
    }
    m_when->setText(pending.value(QStringLiteral("final_countdown")).toBool()
                        ? tr("Save your work now.")
                        : tr("Please save your work before then."));
    const QString reason = pending.value(QStringLiteral("reason")).toString();
    const QString job =
        Words::jobLabel(QJsonObject{{QStringLiteral("id"), pending.value(QStringLiteral("job_id"))},
                                    {QStringLiteral("package_id"), pending.value(QStringLiteral("package_id"))}});
    if (reason.isEmpty())
        m_why->setText(tr("Requested by: %1").arg(job));
    else
        m_why->setText(tr("Reason: %1").arg(reason) + QLatin1Char('\n') + tr("Requested by: %1").arg(job));

    const bool final = pending.value(QStringLiteral("final_countdown")).toBool();
    const int left = pending.value(QStringLiteral("postponements_left")).toInt();
    const bool canPostpone = !final && pending.value(QStringLiteral("can_postpone")).toBool() && left > 0;
    m_postponeMenu->clear();
    const QJsonArray choices = pending.value(QStringLiteral("choices_minutes")).toArray();
    for (const QJsonValue &v : choices) {
        const int minutes = v.toInt();
        QAction *a =
            m_postponeMenu->addAction(Words::minutesChoice(minutes), this, [this, minutes] { postpone(minutes); });
        a->setData(minutes);
    }
    if (final) {
        m_postponeInfo->setText(shutdown ? tr("The final countdown has started: the shutdown can no longer be "
                                              "postponed.")
                                         : tr("The final countdown has started: the restart can no longer be "
                                              "postponed."));
    } else if (canPostpone) {
        m_postponeInfo->setText(tr("You can postpone %n more time(s).", "", left));
    } else if (left <= 0) {
        m_postponeInfo->setText(tr("No postponement is left."));
    } else {
        const QString hard = Words::localTime(pending.value(QStringLiteral("hard_deadline")).toString());
        m_postponeInfo->setText(tr("It can no longer be postponed (latest time: %1).").arg(hard));
    }
    const QString lastError = pending.value(QStringLiteral("last_error")).toString();
    if (pending.value(QStringLiteral("running")).toBool())
        m_result->setText(shutdown ? tr("The shutdown is being carried out now.")
                                   : tr("The restart is being carried out now."));
    else if (!lastError.isEmpty())
        m_result->setText(tr("The last attempt failed: %1").arg(lastError));
    m_postponeButton->setVisible(canPostpone);
    m_postponeButton->setEnabled(canPostpone && !choices.isEmpty());
    m_postponeButton->setAccessibleName(tr("Postpone, %n postponement(s) left", "", left));
    applyFinalMode(final);
    tick();
    m_ticker.start();
}

bool PowerNotice::inputGuarded() const
{
    if (!m_guardSince.isValid())
        return false;
    const qint64 since = m_guardSince.msecsTo(m_clock.nowUtc());
    return since >= 0 && since < InputGuardMs; // a clock stepped backwards ends the guard
}

void PowerNotice::armInputGuard()
{
    m_guardSince = m_clock.nowUtc();
}

void PowerNotice::showEvent(QShowEvent *event)
{
    armInputGuard();
    setFocus(Qt::OtherFocusReason); // the notice itself, never a button; Tab reaches the buttons
    QDialog::showEvent(event);
}

bool PowerNotice::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
    case QEvent::Shortcut:
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
        if (inputGuarded())
            return true;
        break;
    default:
        break;
    }
    return QDialog::eventFilter(watched, event);
}

void PowerNotice::applyFinalMode(bool final)
{
    if (final == m_final && windowFlags().testFlag(Qt::WindowStaysOnTopHint) == final)
        return;
    m_final = final;
    const bool wasVisible = isVisible();
    Qt::WindowFlags flags = Qt::Dialog | Qt::WindowTitleHint;
    if (final)
        flags |= Qt::WindowStaysOnTopHint | Qt::CustomizeWindowHint; // no close button
    else
        flags |= Qt::WindowCloseButtonHint;
    setWindowFlags(flags);
    m_later->setVisible(!final);
    // The final countdown is the last warning: make it stand out.
    m_countdown->setStyleSheet(final ? QStringLiteral("color: #c62828;") : QString());
    if (wasVisible)
        show();
    armInputGuard(); // the buttons just changed under the pointer
}

void PowerNotice::tick()
{
    if (m_pending.isEmpty())
        return;
    const qint64 left = Words::secondsLeft(m_pending, m_clock.nowUtc());
    m_countdown->setText(Words::countdown(left));
    m_countdown->setAccessibleDescription(tr("%n second(s) left", "", int(qMin<qint64>(left, INT_MAX))));
}

void PowerNotice::postpone(int minutes)
{
    m_result->setText(tr("Asking the service to postpone…"));
    m_link->request(
        QStringLiteral("postpone"), QJsonObject{{QStringLiteral("minutes"), minutes}},
        [this, minutes](const QJsonObject &reply) {
            if (reply.value(QStringLiteral("ok")).toBool()) {
                const QString message = reply.value(QStringLiteral("message")).toString();
                m_result->setText(message.isEmpty() ? tr("Postponed by %1.").arg(Words::minutesChoice(minutes))
                                                    : message);
                hide(); // the updated deadline arrives as a push to every session
            } else {
                m_result->setText(tr("Not postponed: %1").arg(reply.value(QStringLiteral("reason")).toString()));
            }
        });
}

bool PowerNotice::askToActNow()
{
    const bool shutdown = m_pending.value(QStringLiteral("action")).toString() == QLatin1String("shutdown");
    const QString title = shutdown ? tr("Shut down now?") : tr("Restart now?");
    const QString question = shutdown ? tr("Unsaved work in open programs will be lost. Shut down now?")
                                      : tr("Unsaved work in open programs will be lost. Restart now?");
    if (m_confirm)
        return m_confirm(title, question);
    QMessageBox box(QMessageBox::Warning, title, question, QMessageBox::NoButton, this);
    QPushButton *go = box.addButton(shutdown ? tr("Shut down now") : tr("Restart now"), QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == go;
}

void PowerNotice::actNow()
{
    if (m_pending.isEmpty() || !askToActNow())
        return;
    requestActNow();
}

void PowerNotice::requestActNow()
{
    m_actNow->setEnabled(false);
    m_result->setText(tr("Asking the service to act now…"));
    m_link->request(QStringLiteral("power_now"), {}, [this](const QJsonObject &reply) {
        m_actNow->setEnabled(true);
        if (reply.value(QStringLiteral("ok")).toBool())
            m_result->setText(reply.value(QStringLiteral("message")).toString().isEmpty()
                                  ? tr("The service is carrying it out now.")
                                  : reply.value(QStringLiteral("message")).toString());
        else
            m_result->setText(tr("Refused: %1").arg(reply.value(QStringLiteral("reason")).toString()));
    });
}

void PowerNotice::closeEvent(QCloseEvent *event)
{
    if (m_final && !m_dismissing) {
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

void PowerNotice::reject()
{
    if (m_final && !m_dismissing)
        return; // Escape does nothing in the final countdown
    QDialog::reject();
}

} // namespace oco::ui
