#include "Clock.h"

#include "TestHooks.h"

#include <QFile>

namespace oco {

namespace {
class FileClock : public Clock
{
public:
    explicit FileClock(QString path)
        : m_path(std::move(path))
    {}
    QDateTime nowUtc() const override
    {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly))
            return QDateTime::currentDateTimeUtc();
        const QByteArray text = f.readAll().trimmed();
        bool ok = false;
        const qint64 ms = text.toLongLong(&ok);
        if (ok)
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        const QDateTime t = QDateTime::fromString(QString::fromUtf8(text), Qt::ISODateWithMs);
        return t.isValid() ? t.toUTC() : QDateTime::currentDateTimeUtc();
    }

private:
    QString m_path;
};
} // namespace

const Clock &Clock::system()
{
    static const QString testFile = TestHooks::active().clockFile;
    if (!testFile.isEmpty()) {
        static const FileClock fileClock{testFile};
        return fileClock;
    }
    static const SystemClock clock;
    return clock;
}

} // namespace oco
