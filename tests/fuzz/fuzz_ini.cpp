// The INI reader and writer (app/config/IniFile): any bytes give a clear error or a file that writes back
// unchanged, and a value the agent stores reads back exactly (keys handed over by a server end up here).
#include "FuzzSupport.h"
#include "config/IniFile.h"

using namespace oco;

namespace {
QStringList sectionsOf(const QByteArray &text)
{
    QStringList out;
    for (const QByteArray &line : text.split('\n')) {
        const QString t = QString::fromUtf8(line).trimmed();
        if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
            out << t.mid(1, t.size() - 2).trimmed();
    }
    return out;
}
} // namespace

OCO_FUZZ_TARGET
{
    const QByteArray text = fuzz::bytes(data, size);
    IniFile ini;
    IniFile::Error error;
    if (!ini.parse(text, QStringLiteral("fuzz.ini"), &error)) {
        FUZZ_CHECK(!error.message.isEmpty() && error.line > 0, error.toString());
        FUZZ_CHECK(error.toString().startsWith(QStringLiteral("fuzz.ini:")), error.toString());
        return 0;
    }
    // Writing back what was read keeps every section, key and value. (Not every byte: a BOM is dropped
    // and a line ending in "\r\r" loses one \r per round, which changes no value.)
    const QByteArray written = ini.serialize();
    IniFile again;
    FUZZ_CHECK(again.parse(written, QStringLiteral("again.ini"), &error), error.toString());
    for (const QString &s : sectionsOf(written)) {
        FUZZ_CHECK(again.keys(s) == ini.keys(s), s);
        for (const QString &k : ini.keys(s))
            FUZZ_CHECK(again.value(s, k) == ini.value(s, k), s + QLatin1Char('.') + k);
    }

    // Store a value taken from the input the way Config::store* does, then read the file back.
    const QStringList sections{QStringLiteral("agent"), QStringLiteral("server"), QStringLiteral("fuzz")};
    const QString section = sections.at(static_cast<int>(size % 3));
    const QString value = QString::fromUtf8(text.right(24));
    if (!IniFile::isStorable(value))
        return 0; // Config::storeValue refuses these with an error (tests/unit/tst_fuzzregressions)
    QStringList before;
    for (const QString &s : sections)
        for (const QString &k : ini.keys(s))
            if (!(s == section && k == QLatin1String("agent-key")))
                before << s + QLatin1Char('.') + k + QLatin1Char('=') + ini.value(s, k);
    ini.setValue(section, QStringLiteral("agent-key"), value);
    IniFile stored;
    FUZZ_CHECK(stored.parse(ini.serialize(), QStringLiteral("stored.ini"), &error), error.toString());
    FUZZ_CHECK(
        stored.value(section, QStringLiteral("agent-key")) == value,
        QStringLiteral("stored '%1', read back '%2'").arg(value, stored.value(section, QStringLiteral("agent-key"))));
    // ...and no other key changed or appeared.
    QStringList after;
    for (const QString &s : sections)
        for (const QString &k : stored.keys(s))
            if (!(s == section && k == QLatin1String("agent-key")))
                after << s + QLatin1Char('.') + k + QLatin1Char('=') + stored.value(s, k);
    FUZZ_CHECK(before == after,
               before.join(QLatin1Char('|')) + QStringLiteral(" became ") + after.join(QLatin1Char('|')));
    return 0;
}
