#include "services/outreach/edge/message_facts.h"
#include "services/outreach/edge/greetings_scheduler.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/domain/greetings.h"
#include "services/outreach/domain/messages.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

// Greetings go out no later than the start of quiet hours on their day (R6).
int LatestMinute(const OutreachConfig& c) {
  const int quiet_start = c.measure.quiet.start_minute;
  return quiet_start > c.greeting_minute ? quiet_start : 24 * 60;
}

absl::TimeZone ZoneOf(const OutreachConfig& config, const store::CustomerState& c) {
  return ZoneOrDefault(c.time_zone(), config.default_time_zone);
}

std::optional<BirthdayDue> BirthdayOf(const OutreachConfig& config, const store::CustomerState& c,
                                      absl::Time now, int min_year = 0) {
  return NextBirthday(c.birthday().month(), c.birthday().day(), ZoneOf(config, c), now,
                      config.greeting_minute, LatestMinute(config), min_year);
}


// R3: the registration and first-purchase anniversaries due for `c` around `now`.
void PlanAnniversaries(const OutreachConfig& config, const store::CustomerState& c,
                       absl::Time now, std::vector<TouchSpec>& out) {
  const absl::TimeZone tz = ZoneOf(config, c);
  const std::pair<AnniversaryKind, int64_t> origins[] = {
      {AnniversaryKind::kRegistration, c.registered_ms()},
      {AnniversaryKind::kFirstPurchase, c.first_paid_ms()}};
  for (const auto& [kind, ms] : origins) {
    if (ms == 0) continue;
    const absl::CivilDay origin = absl::ToCivilDay(absl::FromUnixMillis(ms), tz);
    auto due = AnniversaryDueAt(origin, tz, now, 2 * config.sweep_interval,
                                config.greeting_minute, LatestMinute(config));
    if (!due) continue;
    MessageFacts m = FactsFor(config, c);
    m.years = due->years;
    m.first_purchase = kind == AnniversaryKind::kFirstPurchase;
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_ANNIVERSARY;
    spec.source_id = AnniversarySource(kind, due->year);
    spec.due = due->due;
    spec.message = Compose(config, spec.trigger, m);
    out.push_back(std::move(spec));
  }
}

// What the sweep would schedule for `c` at `now` (R3 holidays and anniversaries, R9 check-in); sets
// `backfill` when the record predates first_seen_ms and has no contact either.
std::vector<TouchSpec> PlanFor(const OutreachConfig& config, const store::CustomerState& c,
                               absl::Time now, bool* backfill) {
  std::vector<TouchSpec> out;
  const absl::TimeZone tz = ZoneOf(config, c);
  for (const HolidayDue& h : HolidaysDue(config.holidays, tz, now, 2 * config.sweep_interval,
                                         config.greeting_minute, LatestMinute(config))) {
    MessageFacts m = FactsFor(config, c);
    m.holiday = h.holiday->name;
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_HOLIDAY;
    spec.source_id = HolidaySource(*h.holiday);
    spec.due = h.due;
    spec.message = Compose(config, spec.trigger, m);
    out.push_back(std::move(spec));
  }
  PlanAnniversaries(config, c, now, out);
  *backfill = false;
  const int64_t reference = std::max(c.last_contact_ms(), c.first_seen_ms());
  if (reference == 0) {
    *backfill = true;  // unknown silence: start counting now rather than guess
    return out;
  }
  for (const auto& ref : c.pending())
    if (ref.trigger() == v1::TRIGGER_CHECK_IN) return out;  // one at a time
  if (auto period = CheckInPeriod(absl::FromUnixMillis(reference), now, config.check_in_after)) {
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_CHECK_IN;
    spec.source_id = CheckInSource(*period);
    spec.due = now;
    spec.message = Compose(config, spec.trigger, FactsFor(config, c));
    out.push_back(std::move(spec));
  }
  return out;
}

// Where a sweep run of one shard stands: timer payload "<run start ms>:<cursor>";
// empty or unreadable: a fresh run starting now.
struct SweepPosition {
  int64_t run_start_ms = 0;
  std::string cursor = "0";
};

SweepPosition ParseSweepPosition(const std::string& payload, absl::Time now) {
  SweepPosition at;
  at.run_start_ms = absl::ToUnixMillis(now);
  if (payload.empty()) return at;
  std::pair<std::string, std::string> rc = absl::StrSplit(payload, absl::MaxSplits(':', 1));
  if (!absl::SimpleAtoi(rc.first, &at.run_start_ms) || rc.second.empty()) {
    at.run_start_ms = absl::ToUnixMillis(now);
  } else {
    at.cursor = rc.second;
  }
  return at;
}

// One SSCAN page of the shard's known customers, their records read.
struct SweepPage {
  std::string next_cursor;
  std::vector<Versioned<store::CustomerState>> customers;
};

absl::StatusOr<SweepPage> ReadSweepPage(RedisClient& redis, int shard, const std::string& cursor,
                                        int page_size) {
  ASSIGN_OR_RETURN(RedisValue reply, redis.Command({"SSCAN", KnownCustomersKey(shard), cursor,
                                                    "COUNT", std::to_string(page_size)}));
  if (reply.elements.size() != 2)
    return absl::InternalError("SSCAN of " + KnownCustomersKey(shard) + ": unexpected reply");
  SweepPage page;
  page.next_cursor = reply.elements[0].str;
  std::vector<std::string> keys;
  for (const auto& id : reply.elements[1].elements) keys.push_back(CustomerKey(shard, id.str));
  ASSIGN_OR_RETURN(page.customers, ReadEntities<store::CustomerState>(redis, keys));
  return page;
}

// The customers of `customers` that need a transaction: a backfill, or a planned touch
// that does not exist yet (one pipelined EXISTS per planned touch).
absl::StatusOr<std::vector<std::string>> CustomersToUpdate(
    RedisClient& redis, const OutreachConfig& config, int shard,
    const std::vector<Versioned<store::CustomerState>>& customers, absl::Time now) {
  std::vector<std::string> need, owners;
  std::vector<std::vector<std::string>> exists;
  for (const auto& v : customers) {
    const store::CustomerState& c = v.value;
    if (c.customer_id().empty()) continue;
    bool backfill = false;
    std::vector<TouchSpec> specs = PlanFor(config, c, now, &backfill);
    if (backfill) {
      need.push_back(c.customer_id());
      continue;
    }
    for (const TouchSpec& s : specs) {
      exists.push_back({"EXISTS", TouchKey(shard, TouchId(c.customer_id(), s.trigger, s.source_id))});
      owners.push_back(c.customer_id());
    }
  }
  if (exists.empty()) return need;
  ASSIGN_OR_RETURN(auto replies, redis.Pipeline(exists));
  for (size_t i = 0; i < replies.size(); ++i) {
    if (!replies[i].ok()) return replies[i].status();
    if (replies[i]->integer == 0 && (need.empty() || need.back() != owners[i]))
      need.push_back(owners[i]);
  }
  return need;
}

// The shard's sweep timer again: at once for the next page, or the next run one
// sweep interval after this run started.
absl::Status RearmSweep(RedisClient& redis, const OutreachConfig& config, int shard,
                        const SweepPosition& at, const std::string& next_cursor, absl::Time now) {
  WriteBatch rearm;
  if (next_cursor != "0") {
    ScheduleTimer(rearm, kService, shard, kSweepTimerId, now,
                  absl::StrCat(at.run_start_ms, ":", next_cursor));
  } else {
    const absl::Time next =
        std::max(absl::FromUnixMillis(at.run_start_ms) + config.sweep_interval, now);
    ScheduleTimer(rearm, kService, shard, kSweepTimerId, next,
                  absl::StrCat(absl::ToUnixMillis(next), ":0"));
  }
  return rearm.Commit(redis).status();
}

}  // namespace

void ArmBirthday(TouchTxn& txn) {
  const store::CustomerState& c = txn.customer();
  const std::string id = kBirthdayTimerPrefix + c.customer_id();
  auto next = BirthdayOf(txn.config(), c, txn.now());
  if (!next) {
    CancelTimer(txn.batch(), kService, txn.shard(), id);
    return;
  }
  ScheduleTimer(txn.batch(), kService, txn.shard(), id, next->due, absl::StrCat(next->year));
}

GreetingsScheduler::GreetingsScheduler(const OutreachConfig& config, OutreachStore& store,
                                       const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

bool GreetingsScheduler::Owns(const DueTimer& timer) {
  return timer.id == kSweepTimerId || absl::StartsWith(timer.id, kBirthdayTimerPrefix);
}

absl::Status GreetingsScheduler::Handle(const DueTimer& timer) {
  if (timer.id == kSweepTimerId) return Sweep(timer);
  return FireBirthday(timer);
}

absl::Status GreetingsScheduler::ArmSweeps() {
  const std::string now = std::to_string(absl::ToUnixMillis(clock_.Now()));
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s)
    cmds.push_back({"ZADD", TimerSetKey(kService, s), "NX", now, kSweepTimerId});
  ASSIGN_OR_RETURN(auto replies, store_.redis().Pipeline(cmds));
  for (auto& r : replies)
    if (!r.ok()) return r.status();
  return absl::OkStatus();
}

absl::Status GreetingsScheduler::FireBirthday(const DueTimer& timer) {
  const std::string customer_id = timer.id.substr(sizeof(kBirthdayTimerPrefix) - 1);
  int year = 0;
  if (!absl::SimpleAtoi(timer.payload, &year)) year = 0;
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load());
    auto current = BirthdayOf(config_, txn.customer(), txn.now(), year);
    if (!current) return absl::OkStatus();  // birthday unknown: the timer ends
    if (current->due > txn.now()) {
      // Early, or this year's window was missed entirely: wait for the next one.
      ScheduleTimer(txn.batch(), kService, txn.shard(), timer.id, current->due,
                    absl::StrCat(current->year));
      return txn.Commit().status();
    }
    MessageFacts m = FactsFor(config_, txn.customer());
    m.voucher = "{voucher}";  // the real gift voucher, issued at send time (R3)
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_BIRTHDAY;
    spec.source_id = absl::StrCat("birthday-", current->year);
    spec.due = txn.now();
    spec.message = Compose(config_, spec.trigger, m);
    RETURN_IF_ERROR(txn.Schedule(spec).status());
    if (auto next = BirthdayOf(config_, txn.customer(), txn.now(), current->year + 1))
      ScheduleTimer(txn.batch(), kService, txn.shard(), timer.id, next->due,
                    absl::StrCat(next->year));
    return txn.Commit().status();
  });
}

absl::Status GreetingsScheduler::SweepCustomer(const std::string& customer_id) {
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load());
    if (txn.customer().customer_id().empty()) return absl::OkStatus();
    bool backfill = false;
    std::vector<TouchSpec> specs = PlanFor(config_, txn.customer(), txn.now(), &backfill);
    if (backfill) {
      txn.customer().set_first_seen_ms(absl::ToUnixMillis(txn.now()));
      txn.MarkCustomerDirty();
    }
    for (const TouchSpec& spec : specs) RETURN_IF_ERROR(txn.Schedule(spec).status());
    return txn.Commit().status();
  });
}

absl::Status GreetingsScheduler::Sweep(const DueTimer& timer) {
  const absl::Time now = clock_.Now();
  const int shard = timer.shard;
  const SweepPosition at = ParseSweepPosition(timer.payload, now);
  ASSIGN_OR_RETURN(SweepPage page, ReadSweepPage(store_.redis(), shard, at.cursor, config_.sweep_page));
  ASSIGN_OR_RETURN(std::vector<std::string> need,
                   CustomersToUpdate(store_.redis(), config_, shard, page.customers, now));
  for (const std::string& id : need) RETURN_IF_ERROR(SweepCustomer(id));
  if (!need.empty())
    LogInfo("greetings sweep page", {{"shard", std::to_string(shard)},
                                     {"customers", std::to_string(page.customers.size())},
                                     {"updated", std::to_string(need.size())}});
  return RearmSweep(store_.redis(), config_, shard, at, page.next_cursor, now);
}

}  // namespace revisit::outreach
