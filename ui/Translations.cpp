#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace oco::ui {

QString installTranslations(const QString &language)
{
    static QTranslator *own = nullptr;
    static QTranslator *qt = nullptr;
    if (own) {
        QCoreApplication::removeTranslator(own);
        delete own;
        own = nullptr;
    }
    if (qt) {
        QCoreApplication::removeTranslator(qt);
        delete qt;
        qt = nullptr;
    }
    QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    own = new QTranslator;
    if (!own->load(locale, QStringLiteral("oco-tray"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
        if (!own->load(QStringLiteral(":/i18n/oco-tray_en.qm"))) {
            delete own;
            own = nullptr;
            return {};
        }
    }
    QLocale::setDefault(locale);
    QCoreApplication::installTranslator(own);
    qt = new QTranslator;
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return own->language().left(2);
}

} // namespace oco::ui
