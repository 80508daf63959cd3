#pragma once

#include <QString>

namespace oco::ui {

// Installs the tray's translation for `language` ("" = the system's), falling back to English so that
// plural forms read well, plus Qt's own strings. Returns the language actually loaded ("en", "de").
QString installTranslations(const QString &language);

} // namespace oco::ui
