#include "StateIcon.h"

#include <QApplication>
#include <QDir>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <cmath>

namespace oco::ui {

namespace {

QColor badgeColor(TrayState state)
{
    switch (state) {
    case TrayState::Idle:
        return QColor(0x2e, 0x9d, 0x4a);
    case TrayState::Syncing:
        return QColor(0x1e, 0x78, 0xd2);
    case TrayState::JobRunning:
        return QColor(0x6a, 0x4c, 0xd8);
    case TrayState::PowerPending:
        return QColor(0xe8, 0x7b, 0x0c);
    case TrayState::Error:
        return QColor(0xd3, 0x2f, 0x2f);
    case TrayState::NotRunning:
        return QColor(0x80, 0x80, 0x80);
    }
    return Qt::gray;
}

// Coordinates are designed on a 16 unit grid and snapped to whole pixels, so 1 unit lines stay sharp.
struct Grid
{
    double s;
    double px(double units) const { return std::round(units * s); }
    QRectF rect(double x, double y, double w, double h) const
    {
        const double l = px(x), t = px(y);
        return QRectF(l, t, px(x + w) - l, px(y + h) - t);
    }
    double line(double units) const { return std::max(1.0, px(units)); }
};

void paintBadgeSymbol(QPainter &p, TrayState state, const QRectF &b)
{
    const double w = b.width();
    QPen pen(Qt::white, std::max(1.0, std::round(w * 0.16)), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    const QPointF c = b.center();
    switch (state) {
    case TrayState::Idle: { // check mark
        QPainterPath path;
        path.moveTo(b.left() + w * 0.26, c.y() + w * 0.02);
        path.lineTo(b.left() + w * 0.44, c.y() + w * 0.2);
        path.lineTo(b.left() + w * 0.76, c.y() - w * 0.18);
        p.drawPath(path);
        break;
    }
    case TrayState::Syncing: { // circular arrow
        const QRectF r(c.x() - w * 0.26, c.y() - w * 0.26, w * 0.52, w * 0.52);
        p.drawArc(r, 90 * 16, 270 * 16);
        QPainterPath head;
        head.moveTo(c.x(), r.top() - w * 0.14);
        head.lineTo(c.x() + w * 0.16, r.top());
        head.lineTo(c.x(), r.top() + w * 0.14);
        p.drawPath(head);
        break;
    }
    case TrayState::JobRunning: { // download arrow
        p.drawLine(QPointF(c.x(), b.top() + w * 0.22), QPointF(c.x(), b.bottom() - w * 0.26));
        QPainterPath head;
        head.moveTo(c.x() - w * 0.2, c.y() + w * 0.02);
        head.lineTo(c.x(), b.bottom() - w * 0.24);
        head.lineTo(c.x() + w * 0.2, c.y() + w * 0.02);
        p.drawPath(head);
        break;
    }
    case TrayState::PowerPending: { // power symbol
        const QRectF r(c.x() - w * 0.25, c.y() - w * 0.22, w * 0.5, w * 0.5);
        p.drawArc(r, 120 * 16, 300 * 16);
        p.drawLine(QPointF(c.x(), b.top() + w * 0.18), QPointF(c.x(), c.y() + w * 0.02));
        break;
    }
    case TrayState::Error: { // exclamation mark
        p.drawLine(QPointF(c.x(), b.top() + w * 0.22), QPointF(c.x(), c.y() + w * 0.08));
        p.setBrush(Qt::white);
        p.setPen(Qt::NoPen);
        const double d = std::max(1.0, w * 0.16);
        p.drawEllipse(QPointF(c.x(), b.bottom() - w * 0.24), d / 2 + 0.3, d / 2 + 0.3);
        break;
    }
    case TrayState::NotRunning: { // a cross
        p.drawLine(QPointF(b.left() + w * 0.32, b.top() + w * 0.32),
                   QPointF(b.right() - w * 0.32, b.bottom() - w * 0.32));
        p.drawLine(QPointF(b.right() - w * 0.32, b.top() + w * 0.32),
                   QPointF(b.left() + w * 0.32, b.bottom() - w * 0.32));
        break;
    }
    }
}

void paintMonitor(QPainter &p, const Grid &g, const QColor &frame, const QColor &screen, double fill)
{
    // Frame as an outline made of filled rectangles, so each edge is whole pixels wide.
    const QRectF outer = g.rect(0.5, 1.5, 15, 10.5);
    const double t = g.line(1.2);
    QPainterPath frameShape;
    frameShape.addRoundedRect(outer, t * 0.8, t * 0.8);
    QPainterPath inner;
    const QRectF in = outer.adjusted(t, t, -t, -t);
    inner.addRect(in);
    p.setPen(Qt::NoPen);
    p.setBrush(frame);
    p.drawPath(frameShape.subtracted(inner));
    if (screen.isValid()) {
        p.setBrush(screen);
        p.drawRect(in);
    }
    if (fill >= 0) { // progress bar inside the screen
        const QRectF bar(in.left() + t, in.top() + t, std::round((in.width() - 2 * t) * fill), in.height() - 2 * t);
        p.setBrush(frame);
        p.drawRect(bar);
    }
    // Stand.
    p.setBrush(frame);
    p.drawRect(g.rect(6.5, 12, 3, 1.5));
    p.drawRect(g.rect(4, 13.5, 8, 1.5));
}

class StateIconEngine : public QIconEngine
{
public:
    StateIconEngine(TrayState state, Panel panel, int progress, bool app)
        : m_state(state)
        , m_panel(panel)
        , m_progress(progress)
        , m_app(app)
    {}
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode, QIcon::State) override
    {
        const int side = std::min(rect.width(), rect.height());
        const QImage img = m_app ? renderAppIcon(side) : renderStateIcon(m_state, m_panel, side, m_progress);
        painter->drawImage(QRect(rect.topLeft(), QSize(side, side)), img);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        // QIcon passes the size in device pixels already.
        const int side = std::max(1, std::min(size.width(), size.height()));
        QImage img = m_app ? renderAppIcon(side) : renderStateIcon(m_state, m_panel, side, m_progress);
        if (mode == QIcon::Disabled) {
            for (int y = 0; y < img.height(); ++y) {
                auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
                for (int x = 0; x < img.width(); ++x)
                    line[x] = qPremultiply(qRgba(qGray(qUnpremultiply(line[x])), qGray(qUnpremultiply(line[x])),
                                                 qGray(qUnpremultiply(line[x])), qAlpha(line[x]) / 2));
            }
        }
        QPixmap pm = QPixmap::fromImage(img);
        pm.setDevicePixelRatio(scale);
        return pm;
    }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = std::min(size.width(), size.height());
        return QSize(side, side);
    }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        return {QSize(16, 16), QSize(22, 22), QSize(24, 24),   QSize(32, 32),
                QSize(48, 48), QSize(64, 64), QSize(128, 128), QSize(256, 256)};
    }
    QIconEngine *clone() const override { return new StateIconEngine(m_state, m_panel, m_progress, m_app); }
    QString key() const override { return QStringLiteral("oco-state"); }

private:
    TrayState m_state;
    Panel m_panel;
    int m_progress;
    bool m_app;
};

} // namespace

QImage renderStateIcon(TrayState state, Panel panel, int pixels, int progress)
{
    QImage img(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    const Grid g{pixels / 16.0};
    QColor fg = panel == Panel::Light ? QColor(0x26, 0x2a, 0x30) : QColor(0xf2, 0xf4, 0xf7);
    if (state == TrayState::NotRunning)
        fg.setAlphaF(0.55);
    const double fill = state == TrayState::JobRunning && progress >= 0 ? progress / 100.0 : -1;
    paintMonitor(p, g, fg, QColor(), fill);

    // Badge in the lower right, cut out of the monitor by a transparent ring so it reads on any panel.
    const double d = g.px(9.5);
    const QRectF badge(pixels - d, pixels - d, d, d);
    const double gap = std::max(1.0, g.px(1));
    p.setCompositionMode(QPainter::CompositionMode_Clear);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    p.drawEllipse(badge.adjusted(-gap, -gap, gap, gap));
    p.setCompositionMode(QPainter::CompositionMode_SourceOver);
    p.setBrush(badgeColor(state));
    p.drawEllipse(badge);
    paintBadgeSymbol(p, state, badge);
    return img;
}

QImage renderAppIcon(int pixels)
{
    QImage img(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    const Grid g{pixels / 16.0};
    paintMonitor(p, g, QColor(0x5b, 0x65, 0x73), QColor(0x3b, 0x8e, 0xe6), -1);
    const double d = g.px(9.5);
    const QRectF badge(pixels - d, pixels - d, d, d);
    p.setPen(QPen(Qt::white, std::max(1.0, g.px(0.8))));
    p.setBrush(badgeColor(TrayState::Idle));
    p.drawEllipse(badge.adjusted(0.5, 0.5, -0.5, -0.5));
    paintBadgeSymbol(p, TrayState::Idle, badge);
    return img;
}

QIcon stateIcon(TrayState state, Panel panel, int progress)
{
    return QIcon(new StateIconEngine(state, panel, progress, false));
}

QIcon appIcon()
{
    return QIcon(new StateIconEngine(TrayState::Idle, Panel::Light, -1, true));
}

Panel panelFromPalette()
{
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128 ? Panel::Dark : Panel::Light;
}

std::optional<Panel> panelFromBackground(const QImage &behindIcon)
{
    if (behindIcon.width() < 3 || behindIcon.height() < 3)
        return std::nullopt;
    // The glyph sits inside; the outermost ring of pixels is the panel.
    double sum = 0;
    int n = 0;
    const int w = behindIcon.width();
    const int h = behindIcon.height();
    for (int x = 0; x < w; ++x) {
        sum += QColor(behindIcon.pixel(x, 0)).lightnessF() + QColor(behindIcon.pixel(x, h - 1)).lightnessF();
        n += 2;
    }
    for (int y = 1; y < h - 1; ++y) {
        sum += QColor(behindIcon.pixel(0, y)).lightnessF() + QColor(behindIcon.pixel(w - 1, y)).lightnessF();
        n += 2;
    }
    return sum / n < 0.5 ? Panel::Dark : Panel::Light;
}

double contrastRatio(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

void usePalette(Panel kind)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = QApplication::style()->standardPalette();
    if (kind == Panel::Dark) {
        const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe8, 0xea, 0xed);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window.lighter(115));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window.lighter(110));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, base);
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
        p.setColor(QPalette::PlaceholderText, text.darker(160));
        p.setColor(QPalette::Disabled, QPalette::Text, text.darker(170));
        p.setColor(QPalette::Disabled, QPalette::WindowText, text.darker(170));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, text.darker(170));
    }
    QApplication::setPalette(p);
}

QColor urgentTextColor(const QPalette &palette)
{
    const QColor background = palette.color(QPalette::Window);
    // A dark red on light windows, a light red on dark ones; lighten or darken further if a theme needs it.
    const bool dark = background.lightnessF() < 0.5;
    QColor red = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    for (int i = 0; i < 10 && contrastRatio(red, background) < 4.5; ++i)
        red = dark ? red.lighter(110) : red.darker(115);
    return red;
}

QString stateIconName(TrayState state)
{
    switch (state) {
    case TrayState::NotRunning:
        return QStringLiteral("oco-tray-offline");
    case TrayState::Idle:
        return QStringLiteral("oco-tray-idle");
    case TrayState::Syncing:
        return QStringLiteral("oco-tray-syncing");
    case TrayState::JobRunning:
        return QStringLiteral("oco-tray-job");
    case TrayState::PowerPending:
        return QStringLiteral("oco-tray-power");
    case TrayState::Error:
        return QStringLiteral("oco-tray-error");
    }
    return {};
}

int exportIcons(const QString &dir, QString *error)
{
    int count = 0;
    const TrayState states[] = {TrayState::NotRunning, TrayState::Idle,         TrayState::Syncing,
                                TrayState::JobRunning, TrayState::PowerPending, TrayState::Error};
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        const QString base = QStringLiteral("%1/hicolor/%2x%2").arg(dir).arg(size);
        if (!QDir().mkpath(base + QStringLiteral("/apps")) || !QDir().mkpath(base + QStringLiteral("/status"))) {
            *error = QStringLiteral("cannot create %1").arg(base);
            return -1;
        }
        auto save = [&](const QImage &img, const QString &path) {
            if (!img.save(path, "PNG")) {
                *error = QStringLiteral("cannot write %1").arg(path);
                return false;
            }
            ++count;
            return true;
        };
        if (!save(renderAppIcon(size), base + QStringLiteral("/apps/oco-tray.png")))
            return -1;
        for (TrayState s : states) {
            const int progress = s == TrayState::JobRunning ? 50 : -1;
            if (!save(renderStateIcon(s, Panel::Light, size, progress),
                      QStringLiteral("%1/status/%2.png").arg(base, stateIconName(s))) ||
                !save(renderStateIcon(s, Panel::Dark, size, progress),
                      QStringLiteral("%1/status/%2-dark.png").arg(base, stateIconName(s))))
                return -1;
        }
    }
    return count;
}

} // namespace oco::ui
