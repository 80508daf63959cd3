#pragma once

#include "TrayState.h"

#include <QIcon>
#include <QImage>
#include <QPalette>

#include <optional>

namespace oco::ui {

enum class Panel
{
    Light, // dark glyph on a light panel
    Dark   // light glyph on a dark panel
};

// The tray icons are painted at the exact pixel size asked for (no scaling of a bitmap), so they are crisp at
// 16 px and at 256 px and on HiDPI screens. The glyph is a monitor in the panel's contrast colour with a
// coloured badge per state; a running job also fills the screen as a progress bar.
QImage renderStateIcon(TrayState state, Panel panel, int pixels, int progress = -1);
QImage renderAppIcon(int pixels);
QIcon stateIcon(TrayState state, Panel panel, int progress = -1);
QIcon appIcon();
// The panel kind guessed from the application palette.
Panel panelFromPalette();
// The panel kind from what is painted behind the tray icon (its border pixels are the panel's background);
// nullopt when the picture says nothing (empty, or grabbing the screen is not possible).
std::optional<Panel> panelFromBackground(const QImage &behindIcon);
// Switches the application to the Fusion style with a light or dark palette.
void usePalette(Panel kind);
// Text colour for the final countdown: red with at least 4.5:1 contrast against the palette's window colour.
QColor urgentTextColor(const QPalette &palette);
// WCAG contrast ratio of two colours (1 to 21).
double contrastRatio(const QColor &a, const QColor &b);
QString stateIconName(TrayState state); // file base name, e.g. "oco-tray-idle"
// Writes hicolor/<n>x<n>/{apps,status}/*.png below dir; returns the number of files or -1.
int exportIcons(const QString &dir, QString *error);

} // namespace oco::ui
