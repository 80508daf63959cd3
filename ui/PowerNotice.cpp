#include "PowerNotice.h"

#include "AdminBanner.h"
#include "ScreenFit.h"
#include "ServiceClient.h"
#include "StateIcon.h"
#include "TrayState.h"

#include "core/Clock.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace oco::ui {

PowerNotice::PowerNotice(ServiceClient *link, const Clock &clock, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("powerNotice"));
    setWindowIcon(stateIcon(TrayState::PowerPending, Panel::Light));
    auto *layout = new QVBoxLayout(this);
    m_banner = new AdminBanner(link, this);
    layout->addWidget(m_banner);
    addMessageArea(layout);
    layout->addLayout(createButtons());
    ignoreStrayInput();

    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &PowerNotice::tick);
    setMinimumWidth(460);
}

// Headline, time, reason, countdown with its progress bar, postpone information and the last result.
void PowerNotice::addMessageArea(QVBoxLayout *layout)
{
    m_headline = new QLabel(this);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_headline->setFont(big);
    m_when = new QLabel(this);
    m_why = new QLabel(this);
    m_why->setObjectName(QStringLiteral("reason"));
    m_why->setWordWrap(true);
    m_why->setTextFormat(Qt::RichText);
    m_why->setOpenExternalLinks(true);
    m_countdown = new QLabel(this);
    QFont huge = m_countdown->font();
    huge.setPointSizeF(huge.pointSizeF() * 2.2);
    huge.setBold(true);
    m_countdown->setFont(huge);
    m_countdown->setAlignment(Qt::AlignCenter);
    m_countdown->setAccessibleName(tr("Time left"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("deadlineProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(fontMetrics().height() / 2 + 4);
    m_postponeInfo = new QLabel(this);
    m_postponeInfo->setWordWrap(true);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_headline, m_when, m_why, m_countdown, m_progress, m_postponeInfo, m_result})
        layout->addWidget(w);
}

// Hide, the two postpone menus and "act now", in one row.
QHBoxLayout *PowerNotice::createButtons()
{
    auto *buttons = new QHBoxLayout;
    m_later = new QPushButton(tr("&Hide"), this);
    m_later->setObjectName(QStringLiteral("hideButton"));
    m_later->setToolTip(tr("Hides this notice without postponing; it comes back at the next reminder."));
    connect(m_later, &QPushButton::clicked, this, &PowerNotice::reject);
    // The menu lists the resulting times ("19:55 (+1 h)"), worked out when it opens.
    m_postponeButton = new QPushButton(tr("&Postpone until"), this);
    m_postponeButton->setObjectName(QStringLiteral("postponeButton"));
    m_postponeMenu = new QMenu(m_postponeButton);
    m_postponeButton->setMenu(m_postponeMenu);
    connect(m_postponeMenu, &QMenu::aboutToShow, this, &PowerNotice::rebuildChoices);
    // Any time up to the latest allowed, from the service's list (on the hour, inside the restart window).
    m_chooseTime = new QPushButton(tr("&Choose a time"), this);
    m_chooseTime->setObjectName(QStringLiteral("chooseTimeButton"));
    m_timeMenu = new QMenu(m_chooseTime);
    m_chooseTime->setMenu(m_timeMenu);
    connect(m_timeMenu, &QMenu::aboutToShow, this, &PowerNotice::rebuildTimes);
    m_actNow = new QPushButton(this);
    m_actNow->setObjectName(QStringLiteral("actNowButton"));
    connect(m_actNow, &QPushButton::clicked, this, &PowerNotice::actNow);
    buttons->addWidget(m_later);
    buttons->addStretch();
    buttons->addWidget(m_postponeButton);
    buttons->addWidget(m_chooseTime);
    buttons->addWidget(m_actNow);
    return buttons;
}

void PowerNotice::ignoreStrayInput()
{
    // Never steal the keyboard: Enter and Space typed for another window must not reach a button.
    setAttribute(Qt::WA_ShowWithoutActivating);
    setFocusPolicy(Qt::StrongFocus);
    for (QPushButton *b : {m_later, m_postponeButton, m_chooseTime, m_actNow}) {
        b->setAutoDefault(false);
        b->setDefault(false);
        b->installEventFilter(this);
    }
    installEventFilter(this);
}

void PowerNotice::setPending(const control::PowerPending &pending)
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
    const bool sameAction = m_pending.present && m_pending.jobId == pending.jobId && m_pending.action == pending.action;
    if (m_pending.deadline != pending.deadline)
        m_result->clear();
    if (!sameAction)
        m_firstSeen = m_clock.nowUtc();
    m_pending = pending;
    const bool shutdown = pending.isShutdown();
    const bool final = pending.finalCountdown;
    const QDateTime now = m_clock.nowUtc();
    const QDateTime deadline = pending.deadline;
    const QString at = TrayText::localTime(deadline);
    // Waiting for the admin's restart window: say when in words, and offer not to wait.
    const bool waiting = !final && pending.waitingForWindow;
    if (waiting) {
        const QString when = TrayText::plannedTime(deadline, now);
        m_headline->setText(shutdown ? tr("This computer will shut down %1.", "%1: e.g. 'tonight at 18:00'").arg(when)
                                     : tr("This computer will restart %1.", "%1: e.g. 'tonight at 18:00'").arg(when));
        m_actNow->setText(shutdown ? tr("Shut down now &instead") : tr("Restart now &instead"));
    } else if (shutdown) {
        m_headline->setText(tr("This computer will shut down at %1.").arg(at));
        m_actNow->setText(tr("Shut &down now"));
    } else {
        m_headline->setText(tr("This computer will restart at %1.").arg(at));
        m_actNow->setText(tr("Restart &now"));
    }
    if (waiting)
        m_when->setText(shutdown ? tr("That is the time set for shutdowns. Please save your work before then.")
                                 : tr("That is the time set for restarts. Please save your work before then."));
    else
        m_when->setText(final ? tr("Save your work now.") : tr("Please save your work before then."));
    // One sentence in the user's language from the structured fields (the service's "reason" is English),
    // then the admin's own words and link when the service passes them on.
    QString why = TrayText::powerReason(pending).toHtmlEscaped();
    const bool bannerSaysIt = m_banner->replacesNoticeText();
    const QString message = bannerSaysIt ? QString() : pending.message.trimmed();
    if (!message.isEmpty())
        why += QStringLiteral("<br>") + tr("Message from your IT: %1").arg(message.toHtmlEscaped());
    const QUrl info(bannerSaysIt ? QString() : pending.infoUrl);
    if (info.isValid() && (info.scheme() == QLatin1String("https") || info.scheme() == QLatin1String("http")))
        why += QStringLiteral(" <a href=\"%1\">%2</a>")
                   .arg(info.toString(QUrl::FullyEncoded).toHtmlEscaped(), tr("More information"));
    m_why->setText(why);
    m_why->setToolTip(TrayText::jobLabel(pending.jobId, pending.packageId));

    showPostponing(pending, now);
    const QString lastError = pending.lastError;
    if (pending.running)
        m_result->setText(shutdown ? tr("The shutdown is being carried out now.")
                                   : tr("The restart is being carried out now."));
    else if (!lastError.isEmpty())
        m_result->setText(tr("The last attempt failed: %1").arg(lastError));
    applyFinalMode(final);
    tick();
    m_ticker.start();
}

// How often and until when the user may still postpone, and the buttons for it.
void PowerNotice::showPostponing(const control::PowerPending &pending, const QDateTime &now)
{
    const bool shutdown = pending.isShutdown();
    const bool final = pending.finalCountdown;
    const int left = pending.postponementsLeft;
    const bool canPostpone = !final && pending.canPostpone && left > 0;
    const QList<int> &choices = pending.choicesMinutes;
    rebuildChoices();
    const QDateTime hardDeadline = pending.hardDeadline;
    const QString latest = TrayText::clockTime(hardDeadline, now);
    if (final) {
        m_postponeInfo->setText(shutdown ? tr("The final countdown has started: the shutdown can no longer be "
                                              "postponed.")
                                         : tr("The final countdown has started: the restart can no longer be "
                                              "postponed."));
    } else if (canPostpone && hardDeadline.isValid()) {
        m_postponeInfo->setText(tr("You can postpone %n more time(s), until %1 at the latest.", "", left).arg(latest));
    } else if (canPostpone) {
        m_postponeInfo->setText(tr("You can postpone %n more time(s).", "", left));
    } else if (left <= 0) {
        m_postponeInfo->setText(tr("No postponement is left."));
    } else {
        m_postponeInfo->setText(tr("It can no longer be postponed (latest time: %1).").arg(latest));
    }
    m_postponeButton->setVisible(canPostpone);
    m_postponeButton->setEnabled(canPostpone && !choices.isEmpty());
    m_postponeButton->setAccessibleName(tr("Postpone until, %n postponement(s) left", "", left));
    // Earlier times stay possible without postponements left; the service sends only what it accepts.
    const bool canChoose = !final && !pending.timeChoices.isEmpty();
    rebuildTimes();
    m_chooseTime->setVisible(canChoose);
    m_chooseTime->setEnabled(canChoose);
    m_chooseTime->setAccessibleName(shutdown ? tr("Choose a time for the shutdown")
                                             : tr("Choose a time for the restart"));
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
    fitToScreen(this);
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

void PowerNotice::applyUrgentColour()
{
    QPalette p = m_countdown->palette();
    p.setColor(QPalette::WindowText, m_final ? urgentTextColor(palette()) : palette().color(QPalette::WindowText));
    m_countdown->setPalette(p);
}

void PowerNotice::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyUrgentColour(); // a switch between light and dark themes
    QDialog::changeEvent(event);
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
    applyUrgentColour();
    if (wasVisible)
        show();
    armInputGuard(); // the buttons just changed under the pointer
}

void PowerNotice::tick()
{
    if (m_pending.isEmpty())
        return;
    const QDateTime now = m_clock.nowUtc();
    const qint64 left = TrayText::secondsLeft(m_pending, now);
    const bool shutdown = m_pending.isShutdown();
    m_countdown->setText(TrayText::timeLeft(left, m_final));
    m_countdown->setAccessibleDescription(tr("%n second(s) left", "", int(qMin<qint64>(left, INT_MAX))));
    if (m_final) {
        // The title is what shows in the task bar: it says how close it is.
        const int minutes = int(qMax<qint64>(1, (left + 59) / 60));
        setWindowTitle(shutdown ? tr("Shutdown in %n minute(s)", "", minutes)
                                : tr("Restart in %n minute(s)", "", minutes));
    } else {
        setWindowTitle(shutdown ? tr("Shutdown scheduled") : tr("Restart scheduled"));
    }

    // Progress towards the deadline: from the job's end (or when this tray first heard of it), and over the
    // final countdown once that runs.
    const QDateTime deadline = m_pending.deadline;
    QDateTime start = m_pending.jobFinished;
    if (!start.isValid())
        start = m_firstSeen;
    if (m_final) {
        const int finalMinutes = m_pending.finalCountdownMinutes;
        start = deadline.addSecs(-60LL * qMax(1, finalMinutes));
    }
    const qint64 span = start.isValid() && deadline.isValid() ? start.secsTo(deadline) : 0;
    const qint64 done = span > 0 ? qBound<qint64>(0, start.secsTo(now), span) : 0;
    m_progress->setValue(span > 0 ? int(done * 1000 / span) : 0);
    m_progress->setAccessibleName(shutdown ? tr("Time until the shutdown") : tr("Time until the restart"));
}

void PowerNotice::rebuildChoices()
{
    m_postponeMenu->clear();
    if (m_pending.isEmpty())
        return;
    const QList<QPair<int, QString>> choices = TrayText::postponeChoices(m_pending, m_clock.nowUtc());
    for (const auto &[minutes, text] : choices) {
        QAction *a = m_postponeMenu->addAction(text, this, [this, m = minutes] { postpone(m); });
        a->setData(minutes);
    }
}

void PowerNotice::rebuildTimes()
{
    m_timeMenu->clear();
    if (m_pending.isEmpty())
        return;
    const QList<QPair<QString, QString>> times = TrayText::timeChoices(m_pending, m_clock.nowUtc());
    for (const auto &[iso, text] : times) {
        QAction *a = m_timeMenu->addAction(text, this, [this, t = iso] { chooseTime(t); });
        a->setData(iso);
    }
}

void PowerNotice::postpone(int minutes)
{
    relayPostpone(QJsonObject{{QStringLiteral("minutes"), minutes}},
                  tr("Postponed by %1.").arg(TrayText::minutesChoice(minutes)));
}

void PowerNotice::chooseTime(const QString &isoUtc)
{
    relayPostpone(QJsonObject{{QStringLiteral("until"), isoUtc}},
                  tr("Moved to %1.").arg(TrayText::plannedTime(TrayText::parseUtc(isoUtc), m_clock.nowUtc())));
}

void PowerNotice::relayPostpone(const QJsonObject &args, const QString &done)
{
    m_result->setText(tr("Asking the service to postpone…"));
    m_link->request(control::RequestType::Postpone, args, [this, done](const QJsonObject &json) {
        const control::Reply reply = control::Reply::fromJson(json);
        if (reply.ok) {
            m_result->setText(reply.message.isEmpty() ? done : reply.message);
            hide(); // the updated deadline arrives as a push to every session
        } else {
            m_result->setText(tr("Not postponed: %1").arg(reply.reason));
        }
    });
}

bool PowerNotice::askToActNow()
{
    const bool shutdown = m_pending.isShutdown();
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
    m_link->request(control::RequestType::PowerNow, {}, [this](const QJsonObject &json) {
        const control::Reply reply = control::Reply::fromJson(json);
        m_actNow->setEnabled(true);
        if (reply.ok)
            m_result->setText(reply.message.isEmpty() ? tr("The service is carrying it out now.") : reply.message);
        else
            m_result->setText(tr("Refused: %1").arg(reply.reason));
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
