#include "tests/harness/invariant_checker.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/status.h"
#include "tests/harness/consumer_group_lag.h"
#include "tests/harness/kafka_reader.h"

namespace revisit::testing {
namespace {

bool SameContent(const EventEnvelope& a, const EventEnvelope& b) {
  return a.type == b.type && a.source == b.source && a.subject == b.subject &&
         a.sequence == b.sequence && a.key == b.key && a.time == b.time && a.payload == b.payload;
}

std::string Where(const RawRecord& r) { return absl::StrCat(r.topic, "/", r.partition, "@", r.offset); }

// Sequence findings of one (source, subject): its distinct events in publish order.
void CheckSequences(const std::string& name,
                    const std::vector<std::pair<int64_t, std::string>>& seq_ids,
                    EventFindings& f) {
  std::map<int64_t, std::string> id_of;
  int64_t highest = 0;
  for (const auto& [seq, id] : seq_ids) {
    if (seq < highest) {
      f.inversions.push_back(absl::StrCat(name, ": ce_sequence ", seq, " (", id, ") after ", highest));
    }
    highest = std::max(highest, seq);
    auto [it, inserted] = id_of.emplace(seq, id);
    if (!inserted) {
      f.reused_sequences.push_back(
          absl::StrCat(name, ": ce_sequence ", seq, " carried by ", it->second, " and ", id));
    }
  }
  for (int64_t s = 1; s <= highest; ++s) {
    if (id_of.count(s) == 0) f.gaps.push_back(absl::StrCat(name, ": ce_sequence ", s, " missing"));
  }
}

std::string Lines(const std::string& title, const std::vector<std::string>& lines) {
  if (lines.empty()) return "";
  constexpr size_t kShown = 10;
  std::vector<std::string> shown(lines.begin(), lines.begin() + std::min(lines.size(), kShown));
  return absl::StrCat("  ", title, " (", lines.size(), "):\n    ", absl::StrJoin(shown, "\n    "),
                      lines.size() > kShown ? "\n    ..." : "", "\n");
}

std::string Counts(const std::map<std::string, int64_t>& m) {
  return absl::StrJoin(m, ", ", absl::PairFormatter("="));
}

bool AllZero(const std::map<std::string, int64_t>& m) {
  return std::all_of(m.begin(), m.end(), [](const auto& kv) { return kv.second == 0; });
}

}  // namespace

EffectCheck AtMostOncePer(std::string what, std::string ce_type,
                          std::function<std::optional<std::string>(const EventEnvelope&)> key_of) {
  return [what = std::move(what), ce_type = std::move(ce_type),
          key_of = std::move(key_of)](const std::vector<EventEnvelope>& events) {
    std::map<std::string, std::vector<std::string>> ids;
    for (const EventEnvelope& e : events) {
      if (e.type != ce_type) continue;
      std::optional<std::string> key = key_of(e);
      if (key) ids[*key].push_back(e.id);
    }
    std::vector<std::string> violations;
    for (const auto& [key, list] : ids) {
      if (list.size() > 1) {
        violations.push_back(absl::StrCat(what, " ", key, ": ", list.size(), " events (",
                                          absl::StrJoin(list, ", "), ")"));
      }
    }
    return violations;
  };
}

EventFindings AnalyzeEvents(const std::vector<RawRecord>& records,
                            const std::vector<std::pair<std::string, EffectCheck>>& checks) {
  EventFindings f;
  f.records = static_cast<int64_t>(records.size());
  std::map<std::string, size_t> first;  // ce_id -> index in `events`
  std::vector<EventEnvelope> events;
  for (const RawRecord& r : records) {
    absl::StatusOr<EventEnvelope> e = ParseRecord(r);
    if (!e.ok()) {
      f.unparsable.push_back(absl::StrCat(Where(r), ": ", e.status().ToString()));
      continue;
    }
    auto [it, inserted] = first.emplace(e->id, events.size());
    if (inserted) {
      events.push_back(*std::move(e));
    } else if (SameContent(events[it->second], *e)) {
      ++f.republished;
    } else {
      f.conflicting_copies.push_back(absl::StrCat(e->id, " at ", Where(r), " differs from its first copy"));
    }
  }
  f.events = static_cast<int64_t>(events.size());
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> by_subject;
  for (const EventEnvelope& e : events) {
    if (e.sequence > 0) by_subject[e.source + " " + e.subject].push_back({e.sequence, e.id});
  }
  for (const auto& [name, seq_ids] : by_subject) CheckSequences(name, seq_ids, f);
  for (const auto& [name, check] : checks) {
    for (std::string& v : check(events)) f.effect_violations.push_back(name + ": " + v);
  }
  return f;
}

bool InvariantReport::Clean() const {
  const EventFindings& e = events;
  return e.unparsable.empty() && e.conflicting_copies.empty() && e.gaps.empty() &&
         e.inversions.empty() && e.reused_sequences.empty() && e.effect_violations.empty() &&
         AllZero(outbox_backlog) && AllZero(outbox_pending) && AllZero(consumer_lag);
}

std::string InvariantReport::Summary() const {
  const EventFindings& e = events;
  return absl::StrCat(
      "invariants: ", e.records, " records, ", e.events, " distinct events, ", e.republished,
      " harmless re-publishes\n  outbox backlog: ", Counts(outbox_backlog),
      "\n  outbox pending: ", Counts(outbox_pending), "\n  consumer lag: ", Counts(consumer_lag),
      "\n", Lines("unparsable records", e.unparsable),
      Lines("conflicting copies of one ce_id", e.conflicting_copies),
      Lines("ce_sequence gaps (lost)", e.gaps), Lines("ce_sequence inversions", e.inversions),
      Lines("reused ce_sequence (doubled)", e.reused_sequences),
      Lines("effect violations (doubled)", e.effect_violations));
}

InvariantChecker::InvariantChecker(InvariantCheckerOptions options)
    : options_(std::move(options)) {}

void InvariantChecker::AddEffectCheck(std::string name, EffectCheck check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

absl::Status InvariantChecker::ReadOutboxes(InvariantReport* report) {
  for (const std::string& service : options_.services) {
    int64_t backlog = 0, pending = 0;
    for (int s = 0; s < kShards; ++s) {
      const std::string stream = OutboxStream(service, s);
      ASSIGN_OR_RETURN(RedisValue len, options_.redis({"XLEN", stream}));
      backlog += len.integer;
      absl::StatusOr<RedisValue> p = options_.redis({"XPENDING", stream, kOutboxRelayGroup});
      if (!p.ok()) {
        // No stream or no group yet: nothing read, so nothing pending.
        if (p.status().message().find("NOGROUP") != std::string::npos) continue;
        return p.status();
      }
      if (!p->elements.empty()) pending += p->elements[0].integer;
    }
    report->outbox_backlog[service] = backlog;
    report->outbox_pending[service] = pending;
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::ReadLags(InvariantReport* report) {
  for (const auto& [group, topics] : options_.consumer_groups) {
    ASSIGN_OR_RETURN(report->consumer_lag[group],
                     ConsumerGroupLag(options_.bootstrap, group, topics, options_.read_timeout));
  }
  return absl::OkStatus();
}

absl::Status InvariantChecker::Drained(InvariantReport* report) {
  RETURN_IF_ERROR(ReadOutboxes(report));
  RETURN_IF_ERROR(ReadLags(report));
  if (AllZero(report->outbox_backlog) && AllZero(report->outbox_pending) &&
      AllZero(report->consumer_lag)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("not drained: outbox backlog ", Counts(report->outbox_backlog), "; pending ",
                   Counts(report->outbox_pending), "; consumer lag ", Counts(report->consumer_lag)));
}

absl::StatusOr<InvariantReport> InvariantChecker::Check() {
  InvariantReport report;
  RETURN_IF_ERROR(ReadOutboxes(&report));
  RETURN_IF_ERROR(ReadLags(&report));
  std::vector<RawRecord> all;
  for (const std::string& topic : options_.topics) {
    ASSIGN_OR_RETURN(std::vector<RawRecord> records,
                     ReadAllRaw(options_.bootstrap, topic, options_.read_timeout));
    all.insert(all.end(), records.begin(), records.end());
  }
  report.events = AnalyzeEvents(all, checks_);
  return report;
}

absl::StatusOr<InvariantReport> InvariantChecker::AwaitQuiescentThenCheck(absl::Duration guard) {
  absl::Time give_up = absl::Now() + guard;
  absl::Status last;
  while (true) {
    InvariantReport drained;
    last = Drained(&drained);
    if (last.ok()) {
      // An accelerated clock keeps firing timers, so an event can land between the
      // drained observation and Check's own reads: check again while time is left; a
      // backlog or lag that persists until the guard is reported.
      absl::StatusOr<InvariantReport> report = Check();
      if (!report.ok()) return report;
      if ((AllZero(report->outbox_backlog) && AllZero(report->outbox_pending) &&
           AllZero(report->consumer_lag)) ||
          absl::Now() > give_up) {
        return report;
      }
    } else if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(std::string(last.message()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace revisit::testing
