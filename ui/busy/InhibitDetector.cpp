#include "InhibitDetector.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>

namespace oco::ui {

namespace {
const QString kScreenSaver = QStringLiteral("org.freedesktop.ScreenSaver");
const QString kGnome = QStringLiteral("org.gnome.SessionManager");
const QString kPowerManagement = QStringLiteral("org.freedesktop.PowerManagement");
constexpr int kMaxCookies = 256; // per session; a runaway caller gets no more
} // namespace

ScreenSaverService::ScreenSaverService(InhibitDetector *detector)
    : QObject(detector)
    , m_detector(detector)
{}

uint ScreenSaverService::Inhibit(const QString &application, const QString &reason)
{
    const uint cookie = m_detector->inhibit(message().service(), application, reason);
    if (cookie == 0)
        sendErrorReply(QDBusError::LimitsExceeded, QStringLiteral("too many inhibitors"));
    return cookie;
}

void ScreenSaverService::UnInhibit(uint cookie)
{
    m_detector->uninhibit(message().service(), cookie);
}

InhibitDetector::InhibitDetector(QDBusConnection bus, QObject *parent)
    : BusyDetector(parent)
    , m_bus(std::move(bus))
{
    if (!m_bus.isConnected() || !m_bus.interface())
        return;
    QDBusConnectionInterface *names = m_bus.interface();
    if (!names->isServiceRegistered(kScreenSaver).value()) {
        m_service = new ScreenSaverService(this);
        // Both paths are in use: /org/freedesktop/ScreenSaver (Chromium, Firefox, mpv) and /ScreenSaver (older KDE).
        const bool exported =
            m_bus.registerObject(QStringLiteral("/org/freedesktop/ScreenSaver"), m_service,
                                 QDBusConnection::ExportAllSlots) &&
            m_bus.registerObject(QStringLiteral("/ScreenSaver"), m_service, QDBusConnection::ExportAllSlots);
        if (exported && m_bus.registerService(kScreenSaver)) {
            m_mode = Mode::Serving;
            m_watcher = new QDBusServiceWatcher(this);
            m_watcher->setConnection(m_bus);
            m_watcher->setWatchMode(QDBusServiceWatcher::WatchForUnregistration);
            connect(m_watcher, &QDBusServiceWatcher::serviceUnregistered, this, &InhibitDetector::ownerLeft);
            setState(State::Idle);
            return;
        }
        m_bus.unregisterObject(QStringLiteral("/org/freedesktop/ScreenSaver"));
        m_bus.unregisterObject(QStringLiteral("/ScreenSaver"));
        delete m_service;
        m_service = nullptr;
    }
    if (names->isServiceRegistered(kGnome).value())
        m_mode = Mode::AskingGnome;
    else if (names->isServiceRegistered(kPowerManagement).value())
        m_mode = Mode::AskingPowerManagement;
}

InhibitDetector::~InhibitDetector()
{
    if (m_mode == Mode::Serving) {
        m_bus.unregisterService(kScreenSaver);
        m_bus.unregisterObject(QStringLiteral("/org/freedesktop/ScreenSaver"));
        m_bus.unregisterObject(QStringLiteral("/ScreenSaver"));
    }
}

uint InhibitDetector::inhibit(const QString &owner, const QString &application, const QString &reason)
{
    if (m_cookies.size() >= kMaxCookies)
        return 0;
    uint cookie = m_nextCookie++;
    if (cookie == 0)
        cookie = m_nextCookie++;
    m_cookies.insert(cookie, {owner, application.left(100), reason.left(200)});
    if (!owner.isEmpty())
        m_watcher->addWatchedService(owner);
    update();
    return cookie;
}

void InhibitDetector::uninhibit(const QString &owner, uint cookie)
{
    const auto it = m_cookies.constFind(cookie);
    if (it == m_cookies.cend() || it->owner != owner)
        return; // only its holder may release it
    m_cookies.erase(it);
    update();
}

void InhibitDetector::ownerLeft(const QString &owner)
{
    // A player that crashed or quit without UnInhibit does not keep the session busy.
    for (auto it = m_cookies.begin(); it != m_cookies.end();)
        it = it->owner == owner ? m_cookies.erase(it) : std::next(it);
    m_watcher->removeWatchedService(owner);
    update();
}

void InhibitDetector::update()
{
    if (m_cookies.isEmpty()) {
        setState(State::Idle);
        return;
    }
    // The oldest one names the reason: it is the one that has been holding longest.
    const Cookie &c = m_cookies.value(*std::min_element(m_cookies.keyBegin(), m_cookies.keyEnd()));
    const QString who = c.application.isEmpty() ? c.owner : c.application;
    setState(State::Busy, c.reason.isEmpty() ? tr("%1 keeps the screen on").arg(who)
                                             : tr("%1 keeps the screen on: %2").arg(who, c.reason));
}

void InhibitDetector::poll()
{
    switch (m_mode) {
    case Mode::None:
    case Mode::Serving:
        return; // told by the calls themselves
    case Mode::AskingGnome:
        ask(kGnome, QStringLiteral("/org/gnome/SessionManager"), kGnome, QStringLiteral("IsInhibited"),
            {QVariant::fromValue(8u)});
        return;
    case Mode::AskingPowerManagement:
        ask(kPowerManagement, QStringLiteral("/org/freedesktop/PowerManagement/Inhibit"),
            QStringLiteral("org.freedesktop.PowerManagement.Inhibit"), QStringLiteral("HasInhibit"), {});
        return;
    }
}

void InhibitDetector::ask(const QString &service, const QString &path, const QString &interface, const QString &method,
                          const QVariantList &args)
{
    if (m_asking)
        return; // the last question is still open
    QDBusMessage call = QDBusMessage::createMethodCall(service, path, interface, method);
    call.setArguments(args);
    m_asking = true;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        m_asking = false;
        const QDBusPendingReply<bool> reply = *w;
        if (reply.isError())
            setState(State::Unknown);
        else if (reply.value())
            setState(State::Busy, tr("an application keeps the screen on"));
        else
            setState(State::Idle);
    });
}

} // namespace oco::ui
