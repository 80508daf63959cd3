#include "ServiceChecks.h"

#include "core/Log.h"
#include "jobs/Procedure.h"
#include "platform/ProcessRunner.h"
#include "platform/SecureFile.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

namespace oco {

namespace {

constexpr int StatusUnknown = 3;
constexpr qsizetype MaxDetails = 4096;

// Reads one word starting at `i` (after blanks); quoted words may hold blanks. Returns false at the end
// of the line or on an unterminated quote.
bool nextWord(const QString &line, qsizetype *i, QString *word, bool allowQuotes)
{
    qsizetype p = *i;
    while (p < line.size() && line.at(p).isSpace())
        ++p;
    if (p >= line.size())
        return false;
    word->clear();
    const QChar first = line.at(p);
    if (allowQuotes && (first == QLatin1Char('"') || first == QLatin1Char('\''))) {
        const qsizetype end = line.indexOf(first, p + 1);
        if (end < 0)
            return false;
        *word = line.mid(p + 1, end - p - 1);
        p = end + 1;
        if (p < line.size() && !line.at(p).isSpace())
            return false; // text glued to the closing quote: not a local-check line
    } else {
        const qsizetype start = p;
        while (p < line.size() && !line.at(p).isSpace())
            ++p;
        *word = line.mid(start, p - start);
    }
    *i = p;
    return true;
}

bool parseNumber(QString text, double *out)
{
    // Values may carry a unit ("12ms", "80%"); levels may be empty.
    static const QRegularExpression unit(QStringLiteral("[A-Za-z%]+$"));
    text.remove(unit);
    bool ok = false;
    *out = text.toDouble(&ok);
    return ok;
}

struct Level
{
    bool hasLower = false, hasUpper = false;
    double lower = 0, upper = 0;
};

bool parseLevel(const QString &text, Level *level)
{
    if (text.isEmpty())
        return true;
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        level->hasUpper = parseNumber(text, &level->upper);
        return level->hasUpper;
    }
    const QString lo = text.left(colon), hi = text.mid(colon + 1);
    if (!lo.isEmpty() && !(level->hasLower = parseNumber(lo, &level->lower)))
        return false;
    if (!hi.isEmpty() && !(level->hasUpper = parseNumber(hi, &level->upper)))
        return false;
    return true;
}

bool beyond(const Level &l, double v)
{
    return (l.hasUpper && v >= l.upper) || (l.hasLower && v < l.lower);
}

// A link is never followed (its target could sit where another user controls it).
bool ownedSafely(const platform::ProgramFileFacts &st, QString *why)
{
    if (st.symbolicLink) {
        *why = QStringLiteral("not run: a symbolic link (checks must be regular files in the directory)");
        return false;
    }
    if (!st.regularFile) {
        *why = QStringLiteral("not run: not a regular file");
        return false;
    }
    if (!platform::TrustedDir::ownedByUs(st.owner)) {
        *why = QStringLiteral("not run: owned by uid %1 (must be root's)").arg(st.owner);
        return false;
    }
    if (st.writableByOthers) {
        *why = QStringLiteral("not run: writable by group or others (mode %1)")
                   .arg(st.permissions, 4, 8, QLatin1Char('0'));
        return false;
    }
    return true;
}

bool ignoredName(const QString &name)
{
    return name.startsWith(QLatin1Char('.')) || name.endsWith(QLatin1Char('~')) ||
           name.contains(QLatin1String(".dpkg-")) || name.contains(QLatin1String(".ucf-"));
}

struct CheckRun
{
    QString name;
    QString path;
    std::unique_ptr<QProcess> proc;
    std::unique_ptr<QTimer> timer;
    QByteArray out, err;
    bool outTruncated = false;
    bool timedOut = false;
    bool done = false;
    qint64 pgid = 0;
    QJsonArray services;
};

// Keeps at most `max` bytes of stdout; the rest is read (so the check never blocks on a full pipe) and dropped.
void takeOutput(CheckRun *r, qsizetype max)
{
    const QByteArray chunk = r->proc->readAllStandardOutput();
    const qsizetype room = std::max<qsizetype>(0, max - r->out.size());
    if (chunk.size() > room)
        r->outTruncated = true;
    r->out += chunk.left(room);
}

QString firstLine(const QByteArray &bytes)
{
    const QString text = decodeOutput(bytes).trimmed();
    return text.section(QLatin1Char('\n'), 0, 0).left(300);
}

} // namespace

QJsonObject ServiceChecks::failedEntry(const QString &name, const QString &reason)
{
    return {{QStringLiteral("status"), StatusUnknown},
            {QStringLiteral("name"), name},
            {QStringLiteral("metrics"), QStringLiteral("-")},
            {QStringLiteral("details"), reason.left(MaxDetails)}};
}

int ServiceChecks::statusFromMetrics(const QString &metrics)
{
    if (metrics == QLatin1String("-") || metrics.isEmpty())
        return 0;
    int worst = 0;
    const QStringList parts = metrics.split(QLatin1Char('|'), Qt::SkipEmptyParts);
    for (const QString &metric : parts) {
        const qsizetype eq = metric.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return StatusUnknown;
        const QStringList fields = metric.mid(eq + 1).split(QLatin1Char(';'));
        double value = 0;
        if (!parseNumber(fields.value(0), &value))
            return StatusUnknown;
        Level warn, crit;
        if (!parseLevel(fields.value(1), &warn) || !parseLevel(fields.value(2), &crit))
            return StatusUnknown;
        if (beyond(crit, value))
            worst = 2;
        else if (beyond(warn, value))
            worst = std::max(worst, 1);
    }
    return worst;
}

bool ServiceChecks::parseLine(const QString &line, QJsonObject *service)
{
    qsizetype i = 0;
    QString status, name, metrics;
    if (!nextWord(line, &i, &status, false) || !nextWord(line, &i, &name, true) || !nextWord(line, &i, &metrics, false))
        return false;
    if (name.trimmed().isEmpty())
        return false;
    int code = 0;
    if (status == QLatin1String("P")) {
        code = statusFromMetrics(metrics);
    } else if (status.size() == 1 && status.at(0) >= QLatin1Char('0') && status.at(0) <= QLatin1Char('3')) {
        code = status.at(0).digitValue();
    } else {
        return false;
    }
    *service = {{QStringLiteral("status"), code},
                {QStringLiteral("name"), name},
                {QStringLiteral("metrics"), metrics},
                {QStringLiteral("details"), line.mid(i).trimmed().left(MaxDetails)}};
    return true;
}

QJsonArray ServiceChecks::parseOutput(const QString &output, QStringList *rejected)
{
    QJsonArray services;
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (QString line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        QJsonObject s;
        if (parseLine(line, &s))
            services.append(s);
        else if (rejected)
            rejected->append(line.left(300));
    }
    return services;
}

QJsonArray ServiceChecks::run(const QString &dir, double timeoutSecs)
{
    ServiceCheckOptions o;
    o.dir = dir;
    o.timeoutSecs = timeoutSecs;
    return run(o);
}

namespace {

// The checks of one run: started `parallel` at a time, each ended by its timeout.
class CheckBatch
{
public:
    explicit CheckBatch(const ServiceCheckOptions &options)
        : o(options)
    {}
    // Every file of the directory that may run; refusals become entries of their own.
    void collect(const QDir &dir, const platform::TrustedDir &trustedDir);
    // Runs them all and returns the entries, refusals first.
    QJsonArray run();

private:
    void startNext();
    void start(CheckRun *r);
    void finish(CheckRun *r, const QString &failure);
    QJsonArray servicesOf(CheckRun *r) const;

    const ServiceCheckOptions &o;
    std::vector<std::unique_ptr<CheckRun>> runs;
    QJsonArray refused;
    QEventLoop loop;
    size_t next = 0;
    int running = 0;
};

void CheckBatch::collect(const QDir &dir, const platform::TrustedDir &trustedDir)
{
    // Warnings about files that are never run are given once per process, not every hello.
    static QSet<QString> warnedNotExecutable;
    const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &fi : files) {
        if (ignoredName(fi.fileName()))
            continue;
        platform::ProgramFileFacts facts;
        if (!platform::programFileFacts(trustedDir.fd(), fi.fileName(), &facts))
            continue; // gone since the listing
        if (!facts.symbolicLink && !facts.executable) {
            if (!warnedNotExecutable.contains(fi.absoluteFilePath())) {
                warnedNotExecutable.insert(fi.absoluteFilePath());
                qCWarning(lcInventory).noquote()
                    << "service check" << fi.absoluteFilePath() << "is not executable and is not run (chmod +x it)";
            }
            continue;
        }
        QString why;
        if (!ownedSafely(facts, &why)) {
            qCWarning(lcInventory).noquote() << "service check" << fi.absoluteFilePath() << why;
            refused.append(
                ServiceChecks::failedEntry(fi.fileName(), QStringLiteral("check %1 %2").arg(fi.fileName(), why)));
            continue;
        }
        auto r = std::make_unique<CheckRun>();
        r->name = fi.fileName();
        r->path = fi.absoluteFilePath();
        runs.push_back(std::move(r));
    }
}

QJsonArray CheckBatch::servicesOf(CheckRun *r) const
{
    QStringList rejected;
    const QJsonArray services = ServiceChecks::parseOutput(decodeOutput(r->out), &rejected);
    const int exitCode = r->proc->exitCode();
    if (services.isEmpty() && (exitCode != 0 || !rejected.isEmpty())) {
        QString reason = exitCode != 0 ? QStringLiteral("check %1 exited with code %2").arg(r->name).arg(exitCode)
                                       : QStringLiteral("check %1 printed no CheckMK local-check line").arg(r->name);
        const QString detail = !r->err.trimmed().isEmpty() ? firstLine(r->err) : rejected.value(0);
        if (!detail.isEmpty())
            reason += QStringLiteral(": ") + detail;
        return QJsonArray{ServiceChecks::failedEntry(r->name, reason)};
    }
    if (!rejected.isEmpty())
        qCDebug(lcInventory).noquote() << "service check" << r->name << "printed" << rejected.size()
                                       << "unusable line(s), first:" << rejected.first();
    return services;
}

void CheckBatch::finish(CheckRun *r, const QString &failure)
{
    if (r->done)
        return;
    r->done = true;
    r->timer->stop();
    platform::endProcessGroup(r->pgid, platform::GroupEnd::Kill); // children left behind by the check go with it
    if (r->outTruncated)
        qCWarning(lcInventory).noquote() << "service check" << r->name << "printed more than" << o.maxOutputBytes
                                         << "bytes; the rest was ignored";
    r->services = failure.isEmpty() ? servicesOf(r) : QJsonArray{ServiceChecks::failedEntry(r->name, failure)};
    --running;
    startNext();
}

void CheckBatch::start(CheckRun *r)
{
    r->proc = std::make_unique<QProcess>();
    r->timer = std::make_unique<QTimer>();
    r->timer->setSingleShot(true);
    r->proc->setProgram(r->path);
    r->proc->setWorkingDirectory(o.dir);
    r->proc->setStandardInputFile(QProcess::nullDevice());
    // Root code like the procedures: a fixed environment, nothing inherited from the service.
    r->proc->setProcessEnvironment(serverProgramEnvironment());
    platform::prepareChild(*r->proc, platform::ChildSetup{});
    QObject::connect(r->proc.get(), &QProcess::readyReadStandardOutput, &loop,
                     [this, r] { takeOutput(r, o.maxOutputBytes); });
    QObject::connect(r->proc.get(), &QProcess::readyReadStandardError, &loop, [r] {
        const QByteArray chunk = r->proc->readAllStandardError();
        if (r->err.size() < 4096)
            r->err += chunk.left(4096 - r->err.size());
    });
    QObject::connect(r->proc.get(), &QProcess::finished, &loop, [this, r](int, QProcess::ExitStatus st) {
        takeOutput(r, o.maxOutputBytes);
        if (r->timedOut)
            finish(
                r,
                QStringLiteral("check %1 did not finish within %2 s and was stopped").arg(r->name).arg(o.timeoutSecs));
        else if (st == QProcess::CrashExit)
            finish(r, QStringLiteral("check %1 crashed").arg(r->name));
        else
            finish(r, QString());
    });
    QObject::connect(r->proc.get(), &QProcess::errorOccurred, &loop, [this, r](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(r, QStringLiteral("check %1 could not be started: %2").arg(r->name, r->proc->errorString()));
    });
    QObject::connect(r->timer.get(), &QTimer::timeout, &loop, [r] {
        r->timedOut = true;
        qCWarning(lcInventory).noquote() << "service check" << r->name << "timed out; stopping it";
        platform::endProcessGroup(r->pgid, platform::GroupEnd::Kill);
        r->proc->kill();
    });
    ++running;
    r->timer->start(static_cast<int>(o.timeoutSecs * 1000));
    r->proc->start();
    if (r->proc->state() != QProcess::NotRunning)
        r->pgid = r->proc->processId();
}

void CheckBatch::startNext()
{
    while (running < std::max(1, o.parallel) && next < runs.size())
        start(runs[next++].get());
    if (running == 0 && next >= runs.size())
        loop.quit();
}

QJsonArray CheckBatch::run()
{
    startNext();
    if (running > 0)
        loop.exec();
    QJsonArray all = refused;
    for (const auto &r : runs)
        for (const QJsonValue &s : r->services)
            all.append(s);
    return all;
}

} // namespace

QJsonArray ServiceChecks::run(const ServiceCheckOptions &options)
{
    QDir d(options.dir);
    if (!d.exists()) {
        qCDebug(lcInventory).noquote() << "no service check directory" << options.dir;
        return {};
    }
    // The checks run as root: neither the directory nor any above it may be changeable by another user.
    platform::TrustedDir trustedDir;
    QString dirProblem;
    if (!trustedDir.open(d.absolutePath(), false, &dirProblem)) {
        qCWarning(lcInventory).noquote() << "service checks not run:" << dirProblem;
        return QJsonArray{failedEntry(QStringLiteral("service-checks"),
                                      QStringLiteral("service checks not run: %1").arg(dirProblem))};
    }
    CheckBatch batch(options);
    batch.collect(d, trustedDir);
    return batch.run();
}

} // namespace oco
