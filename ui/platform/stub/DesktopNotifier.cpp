#include "platform/DesktopNotifier.h"

#include "platform/Platform.h"

namespace oco::ui {

namespace {
class UnavailableNotifier : public DesktopNotifier
{
public:
    explicit UnavailableNotifier(QObject *parent)
        : DesktopNotifier(parent)
    {}
    void notify(const QString &topic, const QString &, const QString &, Urgency, const QStringList &) override
    {
        fail(topic, oco::platform::notAvailable(QStringLiteral("Desktop notifications")));
    }
};
} // namespace

std::unique_ptr<DesktopNotifier> DesktopNotifier::create(QObject *parent)
{
    return std::make_unique<UnavailableNotifier>(parent);
}

} // namespace oco::ui
