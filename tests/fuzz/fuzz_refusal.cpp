// A refused request as the dialects put it into words: status, reason phrase and body are all the server's
// (or a proxy's). Input: two bytes of status, the reason phrase up to the first line break, the body after it.
// Invariants: every dialect's text is non-empty, quotes the status as "HTTP <code>" after some words, never
// carries more than a short piece of the body, and only a 401 can count as an authentication failure.
#include "FuzzSupport.h"
#include "protocol/Dialect2021.h"
#include "protocol/DialectCurrent.h"
#include "protocol/DialectPlain.h"

using namespace oco;

namespace {
void checkText(const Failure &f, int status, const QByteArray &body)
{
    const QString code = QStringLiteral("HTTP %1").arg(status);
    FUZZ_CHECK(!f.message.isEmpty(), QString());
    FUZZ_CHECK(f.message.indexOf(code) > 0, f.message);
    FUZZ_CHECK(f.httpStatus == status, f.message);
    FUZZ_CHECK(f.message.size() < 1200 + body.size() / 100, f.message);
}
} // namespace

OCO_FUZZ_TARGET
{
    if (size < 2)
        return 0;
    const int status = 100 + (data[0] * 256 + data[1]) % 500;
    const QByteArray rest = fuzz::bytes(data + 2, size - 2);
    const int nl = rest.indexOf('\n');
    const QByteArray reason = nl < 0 ? rest : rest.left(nl);
    const QByteArray body = nl < 0 ? QByteArray() : rest.mid(nl + 1);
    const QString method = QStringLiteral("oco.agent.hello");
    const QString host = QStringLiteral("pc1");

    const Failure plain = describePlainHttpError(method, status, reason, body, host);
    checkText(plain, status, body);
    FUZZ_CHECK(plain.kind != FailureKind::Auth || status == 401, plain.message);
    checkText(describeLegacyRefusal(method, status, reason, body, host), status, body);
    checkText(describeCurrentHttpError(method, status, body, host, {}, {}), status, body);
    return 0;
}
