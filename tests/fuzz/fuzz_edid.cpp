// EDID blobs from /sys/class/drm/*/edid (app/platform/linux/inventory/Edid): any bytes are parsed or refused with a
// reason; what is parsed has plausible numbers and a three-letter manufacturer id.
#include "FuzzSupport.h"
#include "platform/linux/inventory/Edid.h"

using namespace oco;
using namespace oco::platform;

OCO_FUZZ_TARGET
{
    QString error;
    const std::optional<Edid> edid = Edid::parse(fuzz::bytes(data, size), &error);
    if (!edid) {
        FUZZ_CHECK(!error.isEmpty(), QString());
        return 0;
    }
    FUZZ_CHECK(edid->pnpId.isEmpty() || edid->pnpId.size() == 3, edid->pnpId);
    FUZZ_CHECK(edid->widthCm >= 0 && edid->heightCm >= 0, QString::number(edid->widthCm));
    FUZZ_CHECK(edid->nativeWidth >= 0 && edid->nativeHeight >= 0, QString::number(edid->nativeWidth));
    FUZZ_CHECK(edid->year >= 0 && edid->year < 2400, QString::number(edid->year));
    return 0;
}
