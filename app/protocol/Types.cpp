#include "Types.h"

#include <cmath>

namespace oco {

namespace {
QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == std::floor(d) && std::fabs(d) < 9.0e15)
            return QString::number(static_cast<qint64>(d));
        return QString::number(d);
    }
    if (v.isNull() || v.isUndefined())
        return QString();
    return QStringLiteral("?");
}

std::optional<int> minutes(const QJsonValue &v)
{
    // Only JSON integers >= 0 mean "do it"; null or negative mean none (docs/agent-behaviour.md §8).
    if (v.isDouble() && v.toDouble() >= 0)
        return static_cast<int>(v.toDouble());
    if (v.isString()) {
        bool ok = false;
        const int m = v.toString().toInt(&ok);
        if (ok && m >= 0)
            return m;
    }
    return std::nullopt;
}
} // namespace

QString Job::idText() const
{
    return valueText(id);
}

QString Job::containerText() const
{
    return valueText(containerId);
}

bool Job::fromJson(const QJsonValue &v, Job *job, QString *reason)
{
    if (!v.isObject()) {
        *reason = QStringLiteral("a job entry is not an object");
        return false;
    }
    const QJsonObject o = v.toObject();
    const QJsonValue id = o.value(QStringLiteral("id"));
    if (!(id.isString() || id.isDouble()) || valueText(id).isEmpty()) {
        *reason = QStringLiteral("a job entry has no id");
        return false;
    }
    const QJsonValue proc = o.value(QStringLiteral("procedure"));
    if (!proc.isString() && !proc.isNull()) {
        *reason = QStringLiteral("job %1 has no procedure").arg(valueText(id));
        return false;
    }
    if (proc.isNull() && !o.contains(QStringLiteral("procedure"))) {
        *reason = QStringLiteral("job %1 has no procedure").arg(valueText(id));
        return false;
    }
    job->id = id;
    job->containerId = o.value(QStringLiteral("container-id"));
    job->packageId = o.value(QStringLiteral("package-id"));
    const QJsonValue dl = o.value(QStringLiteral("download"));
    job->download =
        dl.isBool() ? dl.toBool() : (dl.isDouble() ? dl.toDouble() != 0 : dl.toString() == QLatin1String("1"));
    job->procedure = proc.toString();
    const QJsonValue seq = o.value(QStringLiteral("sequence-mode"));
    job->sequenceMode = seq.isString() ? seq.toString().toInt() : seq.toInt();
    job->restartMinutes = minutes(o.value(QStringLiteral("restart")));
    job->shutdownMinutes = minutes(o.value(QStringLiteral("shutdown")));
    job->exitMinutes = minutes(o.value(QStringLiteral("exit")));
    return true;
}

QJsonObject Job::toJson() const
{
    auto opt = [](const std::optional<int> &m) { return m ? QJsonValue(*m) : QJsonValue(QJsonValue::Null); };
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("container-id"), containerId},
                       {QStringLiteral("package-id"), packageId},
                       {QStringLiteral("download"), download},
                       {QStringLiteral("procedure"), procedure},
                       {QStringLiteral("sequence-mode"), sequenceMode},
                       {QStringLiteral("restart"), opt(restartMinutes)},
                       {QStringLiteral("shutdown"), opt(shutdownMinutes)},
                       {QStringLiteral("exit"), opt(exitMinutes)}};
}

} // namespace oco
