// wtmp login records (app/platform/linux/inventory/Accounts): any bytes give at most one record per 384-byte slot, each
// with a user name; a trailing partial record is ignored.
#include "FuzzSupport.h"
#include "platform/linux/inventory/Accounts.h"

using namespace oco;
using namespace oco::platform;

OCO_FUZZ_TARGET
{
    const QList<LoginRecord> records = parseWtmp(fuzz::bytes(data, size));
    FUZZ_CHECK(records.size() <= static_cast<qsizetype>(size / kUtmpRecordSize), QString::number(records.size()));
    for (const LoginRecord &r : records)
        FUZZ_CHECK(!r.user.isEmpty(), r.line);
    // passwd lines are read from the same kind of untrusted local file.
    (void)parsePasswd(fuzz::bytes(data, size));
    return 0;
}
