// InvariantChecker: what must hold in a Revisit stack after any fault schedule.
//
// Given a Kafka bootstrap and the event topics, it reads every record (from the
// beginning, up to the high watermark) and reports, per (ce_source, ce_subject), the
// ce_sequence gaps (an event lost), inversions (published out of order) and reused
// sequences (two distinct events under one number: an effect applied twice); and per
// ce_id, the extra copies: a harmless re-publish (every copy identical: same type,
// subject, sequence and payload; consumers deduplicate it) or a conflict (same ce_id,
// different content). Effect checks (AddEffectCheck, e.g. AtMostOncePer) see each
// distinct event once and report doubled effects: two refunds of one order, two
// ledger entries from one source, a touch sent twice, two complaints from one rating.
//
// From the stack's Redis it reports every service's outbox backlog (XLEN) and pending
// entries (XPENDING of the relay group, deleted entries included), and from Kafka each
// consumer group's lag (high watermark - committed offset over its topics). The
// Redis is reached through a command function, so a Redis Cluster client fits too.
//
// Typical use (chaos suites): run the schedule, stop the load, then
// AwaitQuiescentThenCheck(guard) and EXPECT_TRUE(report.Clean()) << report.Summary().
// Thread-safety: one checker per thread. AnalyzeEvents is pure.
// Errors: Kafka or Redis unreachable (UNAVAILABLE, DEADLINE_EXCEEDED from the reads);
// AwaitQuiescentThenCheck returns DEADLINE_EXCEEDED naming what is still not drained.
#ifndef REVISIT_TESTS_HARNESS_INVARIANT_CHECKER_H_
#define REVISIT_TESTS_HARNESS_INVARIANT_CHECKER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/event_envelope.h"
#include "common/redis_client.h"

namespace revisit::testing {

// Violations (one line each) found among the distinct events read, in topic,
// partition and offset order of their first copy.
using EffectCheck = std::function<std::vector<std::string>(const std::vector<EventEnvelope>&)>;

// Events of `ce_type` with the same key (nullopt: not counted) must be at most one
// distinct event: a second ce_id for a key is the effect `what` applied twice.
EffectCheck AtMostOncePer(std::string what, std::string ce_type,
                          std::function<std::optional<std::string>(const EventEnvelope&)> key_of);

struct EventFindings {
  int64_t records = 0;      // records read
  int64_t events = 0;       // distinct ce_ids
  int64_t republished = 0;  // extra copies identical to the first (harmless)
  std::vector<std::string> unparsable;          // not a CloudEvents envelope
  std::vector<std::string> conflicting_copies;  // one ce_id, different content
  std::vector<std::string> gaps;                // a ce_sequence never seen: lost
  std::vector<std::string> inversions;          // a lower ce_sequence after a higher one
  std::vector<std::string> reused_sequences;    // two ce_ids, one ce_sequence: doubled
  std::vector<std::string> effect_violations;   // from the effect checks
};

// Analyses `records` (each topic's records in partition and offset order).
EventFindings AnalyzeEvents(const std::vector<RawRecord>& records,
                            const std::vector<std::pair<std::string, EffectCheck>>& checks);

using RedisCommandFn =
    std::function<absl::StatusOr<RedisValue>(const std::vector<std::string>& argv)>;

struct InvariantCheckerOptions {
  std::string bootstrap;
  std::vector<std::string> topics;    // event topics to read
  RedisCommandFn redis;               // the stack's Redis
  std::vector<std::string> services;  // whose outbox streams to inspect
  std::map<std::string, std::vector<std::string>> consumer_groups;  // group -> its topics
  absl::Duration read_timeout = absl::Seconds(60);
};

struct InvariantReport {
  EventFindings events;
  std::map<std::string, int64_t> outbox_backlog;  // service -> entries not acknowledged
  std::map<std::string, int64_t> outbox_pending;  // service -> entries read, not acked
  std::map<std::string, int64_t> consumer_lag;    // group -> records not committed

  // Nothing lost, out of order, doubled, left in an outbox or unconsumed
  // (harmless re-publishes are allowed).
  bool Clean() const;
  std::string Summary() const;
};

class InvariantChecker {
 public:
  explicit InvariantChecker(InvariantCheckerOptions options);

  void AddEffectCheck(std::string name, EffectCheck check);

  // Backlogs, pending entries and lags only (cheap).
  absl::Status Drained(InvariantReport* report);
  // Everything, once.
  absl::StatusOr<InvariantReport> Check();
  // Polls Drained until every backlog, pending list and lag is zero (or `guard`
  // passes: DEADLINE_EXCEEDED with the last numbers), then Check().
  absl::StatusOr<InvariantReport> AwaitQuiescentThenCheck(absl::Duration guard);

 private:
  absl::Status ReadOutboxes(InvariantReport* report);
  absl::Status ReadLags(InvariantReport* report);

  InvariantCheckerOptions options_;
  std::vector<std::pair<std::string, EffectCheck>> checks_;
};

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_INVARIANT_CHECKER_H_
