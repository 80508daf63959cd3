#include "ServiceStub.h"

#include "config/SettingsTable.h"
#include "controlproto/LineCodec.h"
#include "controlproto/Messages.h"
#include <QDateTime>
#include <QFile>

namespace {

// A default from the settings table as the service sends it: numbers, booleans and lists typed.
QJsonValue defaultJson(const oco::SettingSpec &s)
{
    const QString text = QLatin1String(s.defaultValue);
    switch (s.type) {
    case oco::SettingType::Bool:
        return text == QLatin1String("1");
    case oco::SettingType::Number:
    case oco::SettingType::Integer:
        return text.toDouble();
    case oco::SettingType::MinutesList: {
        QJsonArray minutes;
        for (const QString &m : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            minutes.append(m.trimmed().toInt());
        return minutes;
    }
    case oco::SettingType::Command:
        return QJsonArray::fromStringList(text.split(QLatin1Char(' '), Qt::SkipEmptyParts));
    default:
        return text;
    }
}

} // namespace

ServiceStub::ServiceStub(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QLocalServer::newConnection, this, &ServiceStub::onNewConnection);
    // What the service would answer for a file with every default, as its get_settings builds it.
    for (const oco::SettingSpec &s : oco::settingsTable()) {
        if (s.access == oco::SettingAccess::FileOnly)
            continue;
        settings.insert(s.jsonName(), s.type == oco::SettingType::Secret ? QJsonValue(false) : defaultJson(s));
        if (s.access == oco::SettingAccess::RootFile)
            fileOnly.insert(s.name(), QStringLiteral("can be changed only by root, in /etc/oco-agent.ini: %1")
                                          .arg(QLatin1String(s.rootOnlyBecause)));
    }
}

ServiceStub::~ServiceStub()
{
    close();
}

bool ServiceStub::listen(const QString &path)
{
    QFile::remove(path);
    m_path = path;
    return m_server.listen(path);
}

void ServiceStub::close()
{
    m_server.close();
    const QList<QLocalSocket *> sockets = m_server.findChildren<QLocalSocket *>();
    for (QLocalSocket *s : m_welcomed) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    m_welcomed.clear();
    m_buffers.clear();
    for (QLocalSocket *s : sockets) {
        s->disconnect(this);
        s->abort();
    }
}

void ServiceStub::onNewConnection()
{
    while (QLocalSocket *s = m_server.nextPendingConnection()) {
        m_buffers.insert(s, {});
        connect(s, &QLocalSocket::readyRead, this, [this, s] { onReadyRead(s); });
        connect(s, &QLocalSocket::disconnected, this, [this, s] {
            m_welcomed.removeAll(s);
            m_buffers.remove(s);
            s->deleteLater();
        });
    }
}

void ServiceStub::onReadyRead(QLocalSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    qsizetype nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
        const QByteArray line = buf.left(nl);
        buf.remove(0, nl + 1);
        QJsonObject message;
        QString error;
        if (!oco::control::decodeLine(line, &message, &error)) {
            socket->abort();
            return;
        }
        handle(socket, message);
        if (!m_buffers.contains(socket))
            return;
    }
}

void ServiceStub::handle(QLocalSocket *socket, const QJsonObject &message)
{
    using namespace oco::control;
    const QString type = message.value(QStringLiteral("type")).toString();
    if (!m_welcomed.contains(socket)) {
        Hello hello;
        QString reason;
        if (!Hello::fromJson(message, &hello, &reason) && reason.isEmpty())
            reason = QStringLiteral("not a hello");
        if (!refuseReason.isEmpty())
            reason = refuseReason;
        if (!reason.isEmpty()) {
            send(socket, Refused{reason}.toJson());
            socket->disconnectFromServer();
            return;
        }
        requests << message;
        m_welcomed << socket;
        QJsonObject welcome = Welcome{kProtocolVersion, QStringLiteral("1.3.0"), {}}.toJson();
        welcome.insert(QStringLiteral("peer"), peer); // as the test set it, members and all
        send(socket, welcome);
        pushAll(socket);
        Q_EMIT clientWelcomed();
        return;
    }
    requests << message;
    Q_EMIT requestReceived(message);
    if (!answer)
        return;
    const QJsonObject reply = handlers.contains(type) ? handlers.value(type)(message) : defaultReply(message);
    send(socket, Reply::complete(reply, message.value(QStringLiteral("id"))));
}

QJsonObject ServiceStub::defaultReply(const QJsonObject &request)
{
    using namespace oco::control;
    const RequestType type = requestTypeOf(request);
    const bool admin = peer.value(QStringLiteral("admin")).toBool();
    auto refuse = [](const QString &reason) {
        return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("reason"), reason}};
    };
    const QJsonObject ok{{QStringLiteral("ok"), true}};
    if (type == RequestType::CheckNow)
        return ok;
    if (type == RequestType::GetSettings) {
        QJsonObject r = ok;
        r.insert(QStringLiteral("settings"), settings);
        r.insert(QStringLiteral("can_change"), admin);
        r.insert(QStringLiteral("file_only"), fileOnly);
        r.insert(QStringLiteral("reason"),
                 admin ? QString()
                       : QStringLiteral("only root or members of group 'ocoadmins' may change the settings"));
        return r;
    }
    if (type == RequestType::SetSettings) {
        if (!admin)
            return refuse(QStringLiteral("only root or members of group 'ocoadmins' may change the settings"));
        const QJsonObject changes = request.value(QStringLiteral("settings")).toObject();
        for (auto it = changes.begin(); it != changes.end(); ++it)
            if (fileOnly.contains(it.key()))
                return refuse(it.key() + QLatin1Char(' ') + fileOnly.value(it.key()).toString());
        for (auto it = changes.begin(); it != changes.end(); ++it)
            settings.insert(it.key(), it.value());
        return ok;
    }
    if (type == RequestType::TestConnection) {
        QJsonObject r = ok;
        r.insert(QStringLiteral("result"), QStringLiteral("the server answered the hello in 42 ms"));
        return r;
    }
    if (type == RequestType::Postpone) {
        if (m_power.isEmpty())
            return refuse(QStringLiteral("no restart or shutdown is pending"));
        const int minutes = request.value(QStringLiteral("minutes")).toInt();
        const int left = m_power.value(QStringLiteral("postponements_left")).toInt();
        const int used = m_power.value(QStringLiteral("postponements_used")).toInt();
        if (m_power.value(QStringLiteral("final_countdown")).toBool())
            return refuse(QStringLiteral("the final countdown has started"));
        if (request.contains(QStringLiteral("until"))) {
            // A chosen time: one of time_choices, like the service.
            const QJsonValue until = request.value(QStringLiteral("until"));
            if (!m_power.value(QStringLiteral("time_choices")).toArray().contains(until))
                return refuse(QStringLiteral("%1 is not one of the times offered").arg(until.toString()));
            QJsonObject p = m_power;
            p.insert(QStringLiteral("deadline"), until);
            p.insert(QStringLiteral("postponements_used"), used + 1);
            p.insert(QStringLiteral("postponements_left"), left - 1);
            setPower(p);
            QJsonObject r = ok;
            r.insert(QStringLiteral("message"), QStringLiteral("Restart moved to the chosen time"));
            return r;
        }
        if (left <= 0)
            return refuse(QStringLiteral("no postponement left (%1 of %1 used)").arg(used));
        if (!m_power.value(QStringLiteral("choices_minutes")).toArray().contains(minutes))
            return refuse(QStringLiteral("%1 minutes is not one of the allowed choices").arg(minutes));
        QJsonObject p = m_power;
        const QDateTime deadline =
            QDateTime::fromString(p.value(QStringLiteral("deadline")).toString(), Qt::ISODate).addSecs(minutes * 60);
        p.insert(QStringLiteral("deadline"), deadline.toUTC().toString(Qt::ISODate));
        p.insert(QStringLiteral("seconds_left"), QDateTime::currentDateTimeUtc().secsTo(deadline));
        p.insert(QStringLiteral("postponements_used"), used + 1);
        p.insert(QStringLiteral("postponements_left"), left - 1);
        p.insert(QStringLiteral("can_postpone"), left - 1 > 0);
        setPower(p);
        QJsonObject r = ok;
        r.insert(QStringLiteral("message"),
                 QStringLiteral("Restart postponed by %1 minutes (%2 of %3 postponements used)")
                     .arg(minutes)
                     .arg(used + 1)
                     .arg(used + left));
        return r;
    }
    if (type == RequestType::PowerNow) {
        if (m_power.isEmpty())
            return refuse(QStringLiteral("no restart or shutdown is pending"));
        setPower({});
        return ok;
    }
    if (type == RequestType::CancelPower) {
        if (!admin)
            return refuse(QStringLiteral("only root or members of group 'ocoadmins' may cancel a restart"));
        setPower({});
        return ok;
    }
    return refuse(QStringLiteral("unknown request '%1'").arg(request.value(QStringLiteral("type")).toString()));
}

void ServiceStub::send(QLocalSocket *socket, const QJsonObject &message)
{
    socket->write(oco::control::encodeLine(message));
}

void ServiceStub::broadcast(const QJsonObject &message)
{
    for (QLocalSocket *s : std::as_const(m_welcomed))
        send(s, message);
}

void ServiceStub::sendRaw(const QByteArray &bytes)
{
    for (QLocalSocket *s : std::as_const(m_welcomed))
        s->write(bytes);
}

QJsonObject ServiceStub::lastRequest(const QString &type) const
{
    for (auto it = requests.crbegin(); it != requests.crend(); ++it)
        if (it->value(QStringLiteral("type")).toString() == type)
            return *it;
    return {};
}

void ServiceStub::pushAll(QLocalSocket *socket)
{
    QJsonObject status = m_status;
    status.insert(QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Status));
    send(socket, status);
    send(socket, {{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Inventory)},
                  {QStringLiteral("inventory"), m_inventory},
                  {QStringLiteral("collected"), m_collected}});
    QJsonObject jobs = m_jobs;
    jobs.insert(QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Jobs));
    send(socket, jobs);
    if (m_adminVoice.size() > 1)
        send(socket, m_adminVoice);
    send(socket, {{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Power)},
                  {QStringLiteral("pending"), m_power.isEmpty() ? QJsonValue() : QJsonValue(m_power)}});
    send(socket, {{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Log)},
                  {QStringLiteral("lines"), m_log}});
}

void ServiceStub::setStatus(const QJsonObject &status)
{
    m_status = status;
    QJsonObject m = status;
    m.insert(QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Status));
    broadcast(m);
}

void ServiceStub::setInventory(const QJsonObject &inventory, const QString &collected)
{
    m_inventory = inventory;
    m_collected = collected;
    broadcast({{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Inventory)},
               {QStringLiteral("inventory"), inventory},
               {QStringLiteral("collected"), collected}});
}

void ServiceStub::setJobs(const QJsonObject &jobs)
{
    m_jobs = jobs;
    QJsonObject m = jobs;
    m.insert(QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Jobs));
    broadcast(m);
}

void ServiceStub::setAdminVoice(const QJsonObject &ui)
{
    m_adminVoice = ui;
    m_adminVoice.insert(QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::AdminVoice));
    if (!ui.isEmpty())
        broadcast(m_adminVoice);
}

QJsonObject ServiceStub::demoAdminVoice(const QByteArray &logo)
{
    QJsonObject ui{
        {QStringLiteral("organisation"), QJsonObject{{QString(), QStringLiteral("Example Corp IT")},
                                                     {QStringLiteral("de"), QStringLiteral("Example Corp IT")}}},
        {QStringLiteral("message"),
         QJsonObject{
             {QString(), QStringLiteral("Restarts install this month's security updates. Questions? Call "
                                        "extension 4711.")},
             {QStringLiteral("de"), QStringLiteral("Neustarts installieren die Sicherheitsupdates dieses Monats. "
                                                   "Fragen? Durchwahl 4711.")}}},
        {QStringLiteral("info_url"), QJsonObject{{QString(), QStringLiteral("https://it.example.org/restarts")}}},
        {QStringLiteral("helpdesk_url"), QJsonObject{{QString(), QStringLiteral("https://help.example.org/")}}}};
    if (!logo.isEmpty())
        ui.insert(QStringLiteral("logo"), QString::fromLatin1(logo.toBase64()));
    return ui;
}

void ServiceStub::setPower(const QJsonObject &pending, bool reminder)
{
    m_power = pending;
    QJsonObject m{{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Power)},
                  {QStringLiteral("pending"), pending.isEmpty() ? QJsonValue() : QJsonValue(pending)}};
    if (reminder)
        m.insert(QStringLiteral("reminder"), true);
    broadcast(m);
}

void ServiceStub::addLog(const QJsonArray &lines)
{
    for (const QJsonValue &l : lines)
        m_log.append(l);
    broadcast({{QStringLiteral("type"), oco::control::wireName(oco::control::MessageType::Log)},
               {QStringLiteral("lines"), lines}});
}

QJsonObject ServiceStub::demoInventory()
{
    auto sw = [](const char *name, const char *version, const char *description) {
        return QJsonObject{{QStringLiteral("name"), QString::fromUtf8(name)},
                           {QStringLiteral("version"), QString::fromUtf8(version)},
                           {QStringLiteral("description"), QString::fromUtf8(description)}};
    };
    return QJsonObject{
        {QStringLiteral("hostname"), QStringLiteral("pc-lab-07")},
        {QStringLiteral("uid"), QStringLiteral("4c4c4544-0051-3510-8052-b4c04f4e3832")},
        {QStringLiteral("os"), QStringLiteral("Debian GNU/Linux")},
        {QStringLiteral("os_version"), QStringLiteral("12")},
        {QStringLiteral("os_license"), QStringLiteral("-")},
        {QStringLiteral("os_language"), QStringLiteral("de_DE")},
        {QStringLiteral("kernel_version"), QStringLiteral("6.1.0-18-amd64")},
        {QStringLiteral("architecture"), QStringLiteral("x86_64")},
        {QStringLiteral("cpu"), QStringLiteral("Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz")},
        {QStringLiteral("gpu"), QStringLiteral("Intel Corporation CoffeeLake-S GT2 [UHD Graphics 630]")},
        {QStringLiteral("ram"), 16658726912.0},
        {QStringLiteral("agent_version"), QStringLiteral("1.3.0")},
        {QStringLiteral("serial"), QStringLiteral("5Q5RB32")},
        {QStringLiteral("manufacturer"), QStringLiteral("Dell Inc.")},
        {QStringLiteral("model"), QStringLiteral("OptiPlex 5060")},
        {QStringLiteral("bios_version"), QStringLiteral("1.24.0")},
        {QStringLiteral("uptime"), 93784},
        {QStringLiteral("boot_type"), QStringLiteral("UEFI")},
        {QStringLiteral("secure_boot"), QStringLiteral("1")},
        {QStringLiteral("domain"), QStringLiteral("lab.example.org")},
        {QStringLiteral("battery_level"), QJsonValue()},
        {QStringLiteral("battery_status"), QJsonValue()},
        {QStringLiteral("networks"),
         QJsonArray{QJsonObject{{QStringLiteral("addr"), QStringLiteral("192.168.20.57")},
                                {QStringLiteral("netmask"), QStringLiteral("255.255.255.0")},
                                {QStringLiteral("broadcast"), QStringLiteral("192.168.20.255")},
                                {QStringLiteral("mac"), QStringLiteral("d8:9e:f3:12:6a:01")},
                                {QStringLiteral("interface"), QStringLiteral("enp0s31f6")}}}},
        {QStringLiteral("screens"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("DELL P2419H")},
                                {QStringLiteral("manufacturer"), QStringLiteral("DEL")},
                                {QStringLiteral("serialno"), QStringLiteral("CFV9N93")},
                                {QStringLiteral("type"), QStringLiteral("Digital")},
                                {QStringLiteral("resolution"), QStringLiteral("1920 x 1080")},
                                {QStringLiteral("size"), QStringLiteral("53 x 30 cm")},
                                {QStringLiteral("manufactured"), QStringLiteral("2019")}}}},
        {QStringLiteral("printers"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Lab-Laser")},
                                {QStringLiteral("driver"), QStringLiteral("HP LaserJet Pro M404")},
                                {QStringLiteral("paper"), QStringLiteral("A4")},
                                {QStringLiteral("dpi"), QStringLiteral("600")},
                                {QStringLiteral("uri"), QStringLiteral("ipp://printer.lab.example.org/ipp/print")},
                                {QStringLiteral("status"), QStringLiteral("idle")}}}},
        {QStringLiteral("partitions"),
         QJsonArray{QJsonObject{{QStringLiteral("device"), QStringLiteral("/dev/nvme0n1p2")},
                                {QStringLiteral("mountpoint"), QStringLiteral("/")},
                                {QStringLiteral("filesystem"), QStringLiteral("ext4")},
                                {QStringLiteral("size"), 250790436864.0},
                                {QStringLiteral("free"), 171798691840.0}},
                    QJsonObject{{QStringLiteral("device"), QStringLiteral("/dev/nvme0n1p1")},
                                {QStringLiteral("mountpoint"), QStringLiteral("/boot/efi")},
                                {QStringLiteral("filesystem"), QStringLiteral("vfat")},
                                {QStringLiteral("size"), 535805952.0},
                                {QStringLiteral("free"), 529530880.0}}}},
        {QStringLiteral("software"),
         QJsonArray{
             sw("firefox-esr", "115.9.1esr-1~deb12u1", "Mozilla Firefox web browser - ESR"),
             sw("libreoffice-writer", "4:7.4.7-1+deb12u1", "office productivity suite -- word processor"),
             sw("thunderbird", "1:115.9.0-1~deb12u1", "mail/news client with RSS, chat and integrated spam filter"),
             sw("vlc", "3.0.20-0+deb12u1", "multimedia player and streamer"),
             sw("gimp", "2.10.34-1", "GNU Image Manipulation Program"),
             sw("openssh-client", "1:9.2p1-2+deb12u2", "secure shell (SSH) client"),
             sw("python3", "3.11.2-1+b1", "interactive high-level object-oriented language"),
             sw("cups", "2.4.2-3+deb12u5", "Common UNIX Printing System(tm) - PPD/driver support"),
             sw("inkscape", "1.2.2-2+b1", "vector-based drawing program"),
             sw("7zip", "22.01+dfsg-8", "7-Zip file archiver with a high compression ratio")}},
        {QStringLiteral("logins"),
         QJsonArray{QJsonObject{{QStringLiteral("username"), QStringLiteral("jane")},
                                {QStringLiteral("console"), QStringLiteral("tty2")},
                                {QStringLiteral("timestamp"), QStringLiteral("2026-11-26 07:58:12")}}}},
        {QStringLiteral("users"), QJsonArray{QJsonObject{{QStringLiteral("username"), QStringLiteral("jane")},
                                                         {QStringLiteral("display_name"), QStringLiteral("Jane Doe")},
                                                         {QStringLiteral("uid"), 1000},
                                                         {QStringLiteral("gid"), 1000},
                                                         {QStringLiteral("home"), QStringLiteral("/home/jane")},
                                                         {QStringLiteral("shell"), QStringLiteral("/bin/bash")},
                                                         {QStringLiteral("disabled"), false}}}},
        {QStringLiteral("devices"),
         QJsonArray{QJsonObject{{QStringLiteral("subsystem"), QStringLiteral("usb")},
                                {QStringLiteral("vendor"), QStringLiteral("046d")},
                                {QStringLiteral("product"), QStringLiteral("c52b")},
                                {QStringLiteral("name"), QStringLiteral("Logitech Unifying Receiver")},
                                {QStringLiteral("serial"), QString()}}}},
    };
}

QJsonObject ServiceStub::demoPower(bool finalCountdown, bool waitingForWindow)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto iso = [](const QDateTime &t) { return t.toUTC().toString(Qt::ISODate); };
    QDateTime deadline = finalCountdown ? now.addSecs(272) : now.addSecs(3 * 3600 + 1500);
    QDateTime hard = now.addSecs(20 * 3600);
    if (waitingForWindow) {
        // The next 18:00 local time, where a "Mon-Fri 18:00-07:00, Sat-Sun" window opens on weekdays.
        const QDateTime local = now.toLocalTime();
        deadline = QDateTime(local.date(), QTime(18, 0));
        if (deadline <= local.addSecs(3600))
            deadline = deadline.addDays(1);
        hard = deadline.addSecs(13 * 3600); // the window's end the next morning
    }
    // A time of one's choosing: every full hour from an hour ahead up to the hard deadline (the last one).
    QJsonArray times;
    if (!finalCountdown) {
        const QDateTime local = now.toLocalTime().addSecs(2 * 3600);
        for (QDateTime t(local.date(), QTime(local.time().hour(), 0)); t < hard; t = t.addSecs(3600))
            times.append(iso(t));
        times.append(iso(hard));
    }
    QJsonObject p{{QStringLiteral("action"), QStringLiteral("restart")},
                  {QStringLiteral("reason"), QStringLiteral("the kernel security update needs a restart")},
                  {QStringLiteral("job_id"), 18},
                  {QStringLiteral("package_id"), QStringLiteral("Kernel security update")},
                  {QStringLiteral("job_finished"), iso(now.addSecs(-600))},
                  {QStringLiteral("deadline"), iso(deadline)},
                  {QStringLiteral("seconds_left"), now.secsTo(deadline)},
                  {QStringLiteral("postponements_used"), finalCountdown ? 3 : 1},
                  {QStringLiteral("postponements_left"), finalCountdown ? 0 : 2},
                  {QStringLiteral("choices_minutes"), QJsonArray{60, 240, 480}},
                  {QStringLiteral("can_postpone"), !finalCountdown},
                  {QStringLiteral("final_countdown"), finalCountdown},
                  {QStringLiteral("hard_deadline"), iso(hard)},
                  {QStringLiteral("time_choices"), times}};
    if (waitingForWindow) {
        p.insert(QStringLiteral("window"), QStringLiteral("Mon-Fri 18:00-07:00, Sat-Sun"));
        p.insert(QStringLiteral("waiting_for_window"), true);
    }
    return p;
}

void ServiceStub::loadDemoState(bool finalCountdown, bool waitingForWindow)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto iso = [](const QDateTime &t) { return t.toUTC().toString(Qt::ISODate); };
    setStatus({{QStringLiteral("state"), oco::control::wireName(oco::control::AgentState::Idle)},
               {QStringLiteral("server"), QStringLiteral("https://oco.example.org/api-agent.php")},
               {QStringLiteral("dialect"), QStringLiteral("2021")},
               {QStringLiteral("last_contact"), iso(now.addSecs(-42))},
               {QStringLiteral("last_success"), iso(now.addSecs(-42))},
               {QStringLiteral("next_contact"), iso(now.addSecs(18))},
               {QStringLiteral("last_inventory"), iso(now.addSecs(-3600))},
               {QStringLiteral("last_error"), QString()},
               {QStringLiteral("error_kind"), QStringLiteral("ok")}});
    setInventory(demoInventory(), iso(now.addSecs(-3600)));
    setJobs(
        {{QStringLiteral("pending"),
          QJsonArray{QJsonObject{{QStringLiteral("id"), 19},
                                 {QStringLiteral("package_id"), QStringLiteral("LibreOffice 7.6")},
                                 {QStringLiteral("restart"), QJsonValue()},
                                 {QStringLiteral("shutdown"), QJsonValue()}}}},
         {QStringLiteral("running"), QJsonValue()},
         {QStringLiteral("history"),
          QJsonArray{QJsonObject{{QStringLiteral("id"), 18},
                                 {QStringLiteral("package_id"), QStringLiteral("Kernel security update")},
                                 {QStringLiteral("state"), oco::control::wireName(oco::control::JobResult::Succeeded)},
                                 {QStringLiteral("return_code"), 0},
                                 {QStringLiteral("started"), iso(now.addSecs(-700))},
                                 {QStringLiteral("finished"), iso(now.addSecs(-600))},
                                 {QStringLiteral("message"),
                                  QStringLiteral("Unpacking linux-image-6.1.0-18-amd64 ...\nupdate-initramfs: "
                                                 "Generating /boot/initrd.img-6.1.0-18-amd64")}},
                     QJsonObject{{QStringLiteral("id"), 17},
                                 {QStringLiteral("package_id"), QStringLiteral("VLC 3.0.20")},
                                 {QStringLiteral("state"), oco::control::wireName(oco::control::JobResult::Succeeded)},
                                 {QStringLiteral("return_code"), 0},
                                 {QStringLiteral("started"), iso(now.addSecs(-1900))},
                                 {QStringLiteral("finished"), iso(now.addSecs(-1860))},
                                 {QStringLiteral("message"),
                                  QStringLiteral("Setting up vlc (3.0.20-0+deb12u1) ...\nProcessing triggers "
                                                 "for desktop-file-utils ...")}}}}});
    setPower(demoPower(finalCountdown, waitingForWindow));
    QJsonArray log;
    const char *lines[][3] = {{"info", "oco.agent", "contacting https://oco.example.org/api-agent.php"},
                              {"info", "oco.jobs", "job 18: downloading package 'Kernel security update'"},
                              {"debug", "oco.protocol", "agent_hello answered in 38 ms"},
                              {"info", "oco.jobs", "job 18: procedure finished with return code 0"},
                              {"warning", "oco.agent", "job 18 asks for a restart within 240 minutes"},
                              {"info", "oco.inventory", "inventory unchanged; not uploaded"},
                              {"error", "oco.protocol", "previous cycle: the server did not answer in 30 s"}};
    int i = 0;
    for (const auto &l : lines) {
        log.append(QJsonObject{{QStringLiteral("time"), iso(now.addSecs(-600 + 60 * i++))},
                               {QStringLiteral("level"), QString::fromUtf8(l[0])},
                               {QStringLiteral("category"), QString::fromUtf8(l[1])},
                               {QStringLiteral("message"), QString::fromUtf8(l[2])}});
    }
    addLog(log);
}
