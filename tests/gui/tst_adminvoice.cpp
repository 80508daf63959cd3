// The admin's voice ([ui] organisation, logo, message, info-url, helpdesk-url, per language): chosen by the
// tray's language, shown in the notice's banner, the tray menu, About and the settings dialog.
#include "AdminBanner.h"
#include "AdminVoice.h"
#include "GuiTest.h"
#include "PowerNotice.h"
#include "SettingsDialog.h"
#include "Translations.h"
#include "TrayApp.h"
#include "TrayIcon.h"
#include "core/Clock.h"
#include "platform/linux/DBusNotifier.h"

#include <QBuffer>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>

using namespace oco::ui;

namespace {
QByteArray png(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(QColor(0x1f, 0x6f, 0xb2));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QJsonObject pending(const QDateTime &now)
{
    return {{QStringLiteral("action"), QStringLiteral("restart")},
            {QStringLiteral("job_id"), 18},
            {QStringLiteral("package_id"), QStringLiteral("Kernel")},
            {QStringLiteral("deadline"), now.addSecs(5400).toString(Qt::ISODate)},
            {QStringLiteral("postponements_left"), 2},
            {QStringLiteral("choices_minutes"), QJsonArray{60}},
            {QStringLiteral("can_postpone"), true},
            {QStringLiteral("message"), QStringLiteral("Restarts install this month's security updates. Questions? "
                                                       "Call extension 4711.")},
            {QStringLiteral("info_url"), QStringLiteral("https://it.example.org/restarts")},
            {QStringLiteral("final_countdown"), false}};
}
} // namespace

class TestAdminVoice : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        useTemporaryConfigHome(m_home);
        installTranslations(QStringLiteral("en"));
    }

    void languageWithFallback()
    {
        const QJsonObject texts{{QString(), QStringLiteral("Save your work.")},
                                {QStringLiteral("de"), QStringLiteral("Speichern Sie.")},
                                {QStringLiteral("de_at"), QStringLiteral("Speichern S' bitte.")}};
        QCOMPARE(AdminVoice::pick(texts, QLocale(QStringLiteral("de_AT"))), QStringLiteral("Speichern S' bitte."));
        QCOMPARE(AdminVoice::pick(texts, QLocale(QStringLiteral("de_CH"))), QStringLiteral("Speichern Sie."));
        QCOMPARE(AdminVoice::pick(texts, QLocale(QStringLiteral("fr_FR"))), QStringLiteral("Save your work."));
        QCOMPARE(AdminVoice::pick({}, QLocale(QStringLiteral("fr_FR"))), QString());
    }

    void unsafeLinksAndLogosAreLeftOut()
    {
        QJsonObject push = ServiceStub::demoAdminVoice(png(64, 32));
        AdminVoice v = AdminVoice::fromPush(push, QLocale(QStringLiteral("en_US")));
        QCOMPARE(v.organisation, QStringLiteral("Example Corp IT"));
        QCOMPARE(v.helpdeskUrl, QUrl(QStringLiteral("https://help.example.org/")));
        QCOMPARE(v.logo.size(), QSize(64, 32));
        push.insert(QStringLiteral("info_url"), QJsonObject{{QString(), QStringLiteral("javascript:alert(1)")}});
        push.insert(QStringLiteral("helpdesk_url"), QJsonObject{{QString(), QStringLiteral("file:///etc/shadow")}});
        push.insert(QStringLiteral("logo"), QString::fromLatin1(QByteArray("<svg/>").toBase64()));
        v = AdminVoice::fromPush(push);
        QVERIFY(v.infoUrl.isEmpty());
        QVERIFY(v.helpdeskUrl.isEmpty());
        QVERIFY(v.logo.isNull());
        // Bounded: a picture whose header claims a huge size is not decoded.
        push.insert(QStringLiteral("logo"), QString::fromLatin1(png(AdminVoice::kMaxLogoSide + 1, 1).toBase64()));
        QVERIFY(AdminVoice::fromPush(push).logo.isNull());
        push.insert(QStringLiteral("helpdesk_url"), QJsonObject{{QString(), QStringLiteral("tel:+49-30-4711")}});
        QCOMPARE(AdminVoice::fromPush(push).helpdeskUrl.scheme(), QStringLiteral("tel"));
    }

    void bannerInTheNotice()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        PowerNotice notice(s.link.get(), clock);
        AdminBanner *banner = notice.adminBanner();
        QVERIFY(banner);
        QVERIFY(banner->isHidden()); // an older service: no banner, the pending's own words as before
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc())));
        QVERIFY(notice.whyLabel()->text().contains(QStringLiteral("extension 4711")));

        QList<QUrl> opened;
        banner->setOpenUrl([&opened](const QUrl &u) { opened << u; });
        s.stub.setAdminVoice(ServiceStub::demoAdminVoice(png(80, 40)));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 5000);
        QCOMPARE(banner->organisationLabel()->text(), QStringLiteral("Example Corp IT"));
        QVERIFY(banner->messageLabel()->text().contains(QStringLiteral("extension 4711")));
        QVERIFY(banner->messageLabel()->text().contains(QStringLiteral("https://it.example.org/restarts")));
        QVERIFY(!banner->logoLabel()->isHidden());
        QCOMPARE(banner->logoLabel()->pixmap().deviceIndependentSize().height(), qreal(AdminBanner::kLogoHeight));
        QVERIFY(!banner->helpdeskButton()->isHidden());
        banner->helpdeskButton()->click();
        QCOMPARE(opened, QList<QUrl>{QUrl(QStringLiteral("https://help.example.org/"))});
        // Said once: the banner has the message, the reason line no longer repeats it.
        notice.setPending(oco::control::PowerPending::fromJson(pending(clock.nowUtc())));
        QVERIFY2(!notice.whyLabel()->text().contains(QStringLiteral("extension 4711")),
                 qPrintable(notice.whyLabel()->text()));
    }

    void germanWhereGiven()
    {
        installTranslations(QStringLiteral("de"));
        StubbedLink s;
        QVERIFY(s.start());
        s.stub.setAdminVoice(ServiceStub::demoAdminVoice());
        QTRY_VERIFY_WITH_TIMEOUT(s.link->hasAdminVoice(), 5000);
        AdminBanner banner(s.link.get());
        QVERIFY(banner.messageLabel()->text().startsWith(QStringLiteral("Neustarts installieren")));
        installTranslations(QStringLiteral("en"));
    }

    void menuAboutAndHelpdesk()
    {
        StubbedLink s;
        QVERIFY(s.start());
        oco::ManualClock clock;
        DBusNotifier notifier(QDBusConnection(QStringLiteral("none")));
        TrayApp app(s.link.get(), clock, &notifier);
        QList<QUrl> opened;
        app.setOpenUrl([&opened](const QUrl &u) { opened << u; });
        QVERIFY(!app.trayIcon()->helpdeskAction()->isVisible());
        QVERIFY(!app.trayIcon()->organisationLine()->isVisible());
        QVERIFY(!app.aboutText().contains(QStringLiteral("managed by")));

        s.stub.setAdminVoice(ServiceStub::demoAdminVoice());
        QTRY_VERIFY_WITH_TIMEOUT(app.trayIcon()->helpdeskAction()->isVisible(), 5000);
        QCOMPARE(app.trayIcon()->organisationLine()->text(), QStringLiteral("Managed by Example Corp IT"));
        QVERIFY(app.trayIcon()->organisationLine()->isVisible());
        QVERIFY(!app.trayIcon()->organisationLine()->isEnabled());
        app.trayIcon()->helpdeskAction()->trigger();
        QCOMPARE(opened, QList<QUrl>{QUrl(QStringLiteral("https://help.example.org/"))});
        const QString about = app.aboutText();
        QVERIFY2(about.contains(QStringLiteral("This computer is managed by Example Corp IT.")), qPrintable(about));
        QVERIFY(about.contains(QStringLiteral("extension 4711")));
        QVERIFY(about.contains(QStringLiteral("href=\"https://help.example.org/\"")));
        QVERIFY(about.contains(QStringLiteral("href=\"https://it.example.org/restarts\"")));
    }

    void settingsDialogShowsThem()
    {
        StubbedLink s;
        s.stub.settings = QJsonObject{{QStringLiteral("organisation"), QStringLiteral("Example Corp IT")},
                                      {QStringLiteral("message"), QStringLiteral("Save your work.")},
                                      {QStringLiteral("message[de]"), QStringLiteral("Speichern Sie.")},
                                      {QStringLiteral("helpdesk-url"), QStringLiteral("tel:+49-30-4711")},
                                      {QStringLiteral("logo"), QStringLiteral("/usr/share/pixmaps/example.png")},
                                      {QStringLiteral("api-url"), QStringLiteral("https://oco.example.org/api")}};
        s.stub.peer.insert(QStringLiteral("admin"), true);
        s.stub.fileOnly = QJsonObject{{QStringLiteral("organisation"), QStringLiteral("in the file")},
                                      {QStringLiteral("message"), QStringLiteral("in the file")},
                                      {QStringLiteral("message[de]"), QStringLiteral("in the file")},
                                      {QStringLiteral("helpdesk-url"), QStringLiteral("in the file")},
                                      {QStringLiteral("logo"), QStringLiteral("in the file")}};
        QVERIFY(s.start());
        Preferences prefs;
        SettingsDialog d(s.link.get(), &prefs);
        QSignalSpy loaded(&d, &SettingsDialog::loaded);
        d.load();
        QVERIFY(loaded.wait(5000));
        auto *org = d.findChild<QLabel *>(QStringLiteral("organisation"));
        QVERIFY(org);
        QCOMPARE(org->text(), QStringLiteral("Example Corp IT")); // shown, read-only
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("message[de]")));
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("group-organisation")));
        QStringList labels;
        for (QLabel *l : d.findChildren<QLabel *>())
            labels << l->text();
        QVERIFY2(labels.contains(QStringLiteral("Message in every notice (Deutsch):")),
                 qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY(labels.contains(QStringLiteral("Help desk link:")));
    }
};

QTEST_MAIN(TestAdminVoice)
#include "tst_adminvoice.moc"
