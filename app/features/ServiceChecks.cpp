#include "ServiceChecks.h"

#include "core/Log.h"
#include "jobs/Procedure.h"
#include "platform/SecureFile.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <csignal>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

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

// `st` from lstat: a link is never followed (its target could sit where another user controls it).
bool ownedSafely(const struct stat &st, QString *why)
{
    if (S_ISLNK(st.st_mode)) {
        *why = QStringLiteral("not run: a symbolic link (checks must be regular files in the directory)");
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = QStringLiteral("not run: not a regular file");
        return false;
    }
    if (!platform::TrustedDir::ownedByUs(st.st_uid)) {
        *why = QStringLiteral("not run: owned by uid %1 (must be root's)").arg(st.st_uid);
        return false;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        *why = QStringLiteral("not run: writable by group or others (mode %1)")
                   .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
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

QJsonArray ServiceChecks::run(const ServiceCheckOptions &options)
{
    // Warnings about files that are never run are given once per process, not every hello.
    static QSet<QString> warnedNotExecutable;

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
    const QFileInfoList files = d.entryInfoList(QDir::Files | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    std::vector<std::unique_ptr<CheckRun>> runs;
    QJsonArray refused;
    for (const QFileInfo &fi : files) {
        if (ignoredName(fi.fileName()))
            continue;
        struct stat st
        {
        };
        if (::fstatat(trustedDir.fd(), QFile::encodeName(fi.fileName()).constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; // gone since the listing
        if (!S_ISLNK(st.st_mode) && !(st.st_mode & 0111)) {
            if (!warnedNotExecutable.contains(fi.absoluteFilePath())) {
                warnedNotExecutable.insert(fi.absoluteFilePath());
                qCWarning(lcInventory).noquote()
                    << "service check" << fi.absoluteFilePath() << "is not executable and is not run (chmod +x it)";
            }
            continue;
        }
        QString why;
        if (!ownedSafely(st, &why)) {
            qCWarning(lcInventory).noquote() << "service check" << fi.absoluteFilePath() << why;
            refused.append(failedEntry(fi.fileName(), QStringLiteral("check %1 %2").arg(fi.fileName(), why)));
            continue;
        }
        auto r = std::make_unique<CheckRun>();
        r->name = fi.fileName();
        r->path = fi.absoluteFilePath();
        runs.push_back(std::move(r));
    }

    QEventLoop loop;
    size_t next = 0;
    int running = 0;
    const int timeoutMs = static_cast<int>(options.timeoutSecs * 1000);

    auto killGroup = [](CheckRun *r) {
        if (r->pgid > 0)
            ::kill(static_cast<pid_t>(-r->pgid), SIGKILL);
    };
    std::function<void()> startNext;
    auto finish = [&](CheckRun *r, const QString &failure) {
        if (r->done)
            return;
        r->done = true;
        r->timer->stop();
        killGroup(r); // children left behind by the check go with it
        if (r->outTruncated)
            qCWarning(lcInventory).noquote() << "service check" << r->name << "printed more than"
                                             << options.maxOutputBytes << "bytes; the rest was ignored";
        if (!failure.isEmpty()) {
            r->services = QJsonArray{failedEntry(r->name, failure)};
        } else {
            QStringList rejected;
            r->services = parseOutput(decodeOutput(r->out), &rejected);
            const int exitCode = r->proc->exitCode();
            if (r->services.isEmpty() && (exitCode != 0 || !rejected.isEmpty())) {
                QString reason = exitCode != 0
                                     ? QStringLiteral("check %1 exited with code %2").arg(r->name).arg(exitCode)
                                     : QStringLiteral("check %1 printed no CheckMK local-check line").arg(r->name);
                const QString detail = !r->err.trimmed().isEmpty() ? firstLine(r->err) : rejected.value(0);
                if (!detail.isEmpty())
                    reason += QStringLiteral(": ") + detail;
                r->services = QJsonArray{failedEntry(r->name, reason)};
            } else if (!rejected.isEmpty()) {
                qCDebug(lcInventory).noquote() << "service check" << r->name << "printed" << rejected.size()
                                               << "unusable line(s), first:" << rejected.first();
            }
        }
        --running;
        startNext();
    };

    startNext = [&] {
        while (running < std::max(1, options.parallel) && next < runs.size()) {
            CheckRun *r = runs[next++].get();
            r->proc = std::make_unique<QProcess>();
            r->timer = std::make_unique<QTimer>();
            r->timer->setSingleShot(true);
            r->proc->setProgram(r->path);
            r->proc->setWorkingDirectory(options.dir);
            r->proc->setStandardInputFile(QProcess::nullDevice());
            // Root code like the procedures: a fixed environment, nothing inherited from the service.
            r->proc->setProcessEnvironment(serverProgramEnvironment());
            r->proc->setChildProcessModifier([] { ::setpgid(0, 0); });
            QObject::connect(r->proc.get(), &QProcess::readyReadStandardOutput, &loop,
                             [r, &options] { takeOutput(r, options.maxOutputBytes); });
            QObject::connect(r->proc.get(), &QProcess::readyReadStandardError, &loop, [r] {
                const QByteArray chunk = r->proc->readAllStandardError();
                if (r->err.size() < 4096)
                    r->err += chunk.left(4096 - r->err.size());
            });
            QObject::connect(r->proc.get(), &QProcess::finished, &loop,
                             [r, &finish, &options](int, QProcess::ExitStatus st) {
                                 takeOutput(r, options.maxOutputBytes);
                                 if (r->timedOut)
                                     finish(r, QStringLiteral("check %1 did not finish within %2 s and was stopped")
                                                   .arg(r->name)
                                                   .arg(options.timeoutSecs));
                                 else if (st == QProcess::CrashExit)
                                     finish(r, QStringLiteral("check %1 crashed").arg(r->name));
                                 else
                                     finish(r, QString());
                             });
            QObject::connect(r->proc.get(), &QProcess::errorOccurred, &loop, [r, &finish](QProcess::ProcessError e) {
                if (e == QProcess::FailedToStart)
                    finish(r, QStringLiteral("check %1 could not be started: %2").arg(r->name, r->proc->errorString()));
            });
            QObject::connect(r->timer.get(), &QTimer::timeout, &loop, [r, &killGroup] {
                r->timedOut = true;
                qCWarning(lcInventory).noquote() << "service check" << r->name << "timed out; stopping it";
                killGroup(r);
                r->proc->kill();
            });
            ++running;
            r->timer->start(timeoutMs);
            r->proc->start();
            if (r->proc->state() != QProcess::NotRunning)
                r->pgid = r->proc->processId();
        }
        if (running == 0 && next >= runs.size())
            loop.quit();
    };

    startNext();
    if (running > 0)
        loop.exec();

    QJsonArray all = refused;
    for (const auto &r : runs)
        for (const QJsonValue &s : r->services)
            all.append(s);
    return all;
}

} // namespace oco
