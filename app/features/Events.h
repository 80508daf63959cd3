#pragma once

#include "Rpc.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace oco {

// One `events` rule of the hello reply: {since, log, query{unit, identifier, priority, grep}}.
struct EventRule
{
    QDateTime since; // UTC
    QString log;
    QStringList units;       // _SYSTEMD_UNIT, any of them ("ssh" also matches "ssh.service")
    QStringList identifiers; // SYSLOG_IDENTIFIER, any of them
    QSet<int> priorities;    // PRIORITY, any of them; empty = all
    QRegularExpression grep; // searched in MESSAGE; invalid pattern = no filter
    bool hasGrep = false;

    // Returns false with a plain reason for rules that cannot be used (missing or bad fields).
    static bool fromJson(const QJsonValue &v, EventRule *rule, QString *error);
    bool matches(const QJsonObject &entry) const;
};

// Where journal entries come from: objects as `journalctl --output=json` prints them.
class JournalSource
{
public:
    virtual ~JournalSource() = default;
    // Calls `sink` for the entries at or after rule.since, oldest first (filters may be applied early; the
    // caller filters again). `sink` returns false to stop reading. False with a reason on failure.
    virtual bool read(const EventRule &rule, const std::function<bool(const QJsonObject &)> &sink, QString *error) = 0;
};

// Runs journalctl (`--output=json`, `--since "<since> UTC"`, field matches) and streams its output.
// `extraArgs` e.g. {"--file=/path/x.journal"} or {"--directory=..."} selects other journals.
class JournalctlSource : public JournalSource
{
public:
    explicit JournalctlSource(QStringList extraArgs = {}, QString program = QStringLiteral("journalctl"),
                              double timeoutSecs = 120)
        : m_extraArgs(std::move(extraArgs))
        , m_program(std::move(program))
        , m_timeoutSecs(timeoutSecs)
    {}
    bool read(const EventRule &rule, const std::function<bool(const QJsonObject &)> &sink, QString *error) override;
    QStringList arguments(const EventRule &rule) const;

private:
    QStringList m_extraArgs;
    QString m_program;
    double m_timeoutSecs;
};

struct EventCollectorOptions
{
    int maxPerRule = 10000; // per cycle; `since` moves on with the server's newest event, the rest comes next cycle
    int batchSize = 1000;   // events per oco.agent.events request
};

// Events for the current dialect (docs/agent-behaviour.md §10, docs/server-protocol.md §4.8), in UTC throughout.
class EventCollector
{
public:
    explicit EventCollector(JournalSource &source, EventCollectorOptions options = {})
        : m_source(source)
        , m_options(options)
    {}

    // All rules' events merged oldest first, cut into batches of at most batchSize. When a rule hit
    // maxPerRule, nothing newer than its last entry is returned (the rest comes next cycle). Rules with an
    // unsupported `log` are skipped with one log line per log type and process.
    QList<QJsonArray> collect(const QJsonArray &rules);
    // Sends the batches in order; stops at the first failure (later batches are newer, and the server
    // derives the next `since` from the newest stored event). Returns the number of events sent.
    static int send(const QList<QJsonArray> &batches, const RpcCall &call, QString *error);

    // The object the server stores: log, timestamp (UTC), provider, level, event_id, data{message}.
    static QJsonObject toEvent(const QJsonObject &entry);
    // A journal field as text; journalctl prints non-UTF-8 values as byte arrays.
    static QString fieldText(const QJsonObject &entry, const QString &name);
    static QDateTime entryTimeUtc(const QJsonObject &entry);

private:
    JournalSource &m_source;
    EventCollectorOptions m_options;
};

} // namespace oco
