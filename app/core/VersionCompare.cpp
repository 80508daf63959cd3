#include "VersionCompare.h"

#include <QStringList>

namespace oco {

namespace {

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// PHP's canonical form: '-', '_', '+' and other non-alphanumerics become '.', and a '.' is inserted
// wherever digits and letters meet ("1.0rc1" -> "1.0.rc.1").
QString canonical(const QString &v)
{
    if (v.isEmpty())
        return v;
    QString out(v.at(0));
    QChar last = v.at(0);
    for (int i = 1; i < v.size(); ++i) {
        const QChar c = v.at(i);
        const bool lastDigit = isDigit(last) && last != QLatin1Char('.');
        const bool lastNonDigit = !isDigit(last) && last != QLatin1Char('.');
        const bool digit = isDigit(c);
        const bool nonDigit = !digit && c != QLatin1Char('.');
        if (c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('+')) {
            if (!out.endsWith(QLatin1Char('.')))
                out += QLatin1Char('.');
        } else if ((lastNonDigit && digit) || (lastDigit && nonDigit)) {
            if (!out.endsWith(QLatin1Char('.')))
                out += QLatin1Char('.');
            out += c;
        } else if (!c.isLetterOrNumber() || c.unicode() > 0x7f) {
            if (!out.endsWith(QLatin1Char('.')))
                out += QLatin1Char('.');
        } else {
            out += c;
        }
        last = c;
    }
    return out;
}

// Order of PHP's special forms; a part is matched by prefix ("alpha2" is "alpha"), anything else is
// below "dev". "#" stands for a number.
int specialOrder(const QString &part)
{
    static const struct
    {
        const char *name;
        int order;
    } forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
                 {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
    for (const auto &f : forms)
        if (part.startsWith(QLatin1String(f.name)))
            return f.order;
    return -1;
}

int sign(long long d)
{
    return d < 0 ? -1 : (d > 0 ? 1 : 0);
}

int compareParts(const QString &a, const QString &b)
{
    const bool da = !a.isEmpty() && isDigit(a.at(0));
    const bool db = !b.isEmpty() && isDigit(b.at(0));
    if (da && db)
        return sign(a.toLongLong() - b.toLongLong());
    if (!da && !db)
        return sign(specialOrder(a) - specialOrder(b));
    if (da)
        return sign(specialOrder(QStringLiteral("#N#")) - specialOrder(b));
    return sign(specialOrder(a) - specialOrder(QStringLiteral("#N#")));
}

} // namespace

int versionCompare(const QString &a, const QString &b)
{
    if (a.isEmpty() || b.isEmpty())
        return a.isEmpty() ? (b.isEmpty() ? 0 : -1) : 1;
    const QStringList pa = canonical(a).split(QLatin1Char('.'));
    const QStringList pb = canonical(b).split(QLatin1Char('.'));
    const int n = static_cast<int>(std::min(pa.size(), pb.size()));
    for (int i = 0; i < n; ++i) {
        const int c = compareParts(pa.at(i), pb.at(i));
        if (c != 0)
            return c;
    }
    if (pa.size() > n) {
        const QString rest = pa.at(n);
        return !rest.isEmpty() && isDigit(rest.at(0)) ? 1 : compareParts(rest, QStringLiteral("#N#"));
    }
    if (pb.size() > n) {
        const QString rest = pb.at(n);
        return !rest.isEmpty() && isDigit(rest.at(0)) ? -1 : compareParts(QStringLiteral("#N#"), rest);
    }
    return 0;
}

} // namespace oco
