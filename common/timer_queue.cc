#include "common/timer_queue.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/wake_signal.h"

namespace revisit {

extern const char kClaimTimersLua[];
extern const char kReleaseTimerLua[];

namespace {

const LuaScript& ClaimScript() {
  static const LuaScript* script = new LuaScript("claim_timers", kClaimTimersLua);
  return *script;
}

const LuaScript& ReleaseScript() {
  static const LuaScript* script = new LuaScript("release_timer", kReleaseTimerLua);
  return *script;
}

std::vector<std::string> Keys(const std::string& service, int shard) {
  return {TimerSetKey(service, shard), TimerDataKey(service, shard), TimerClaimKey(service, shard)};
}

std::string RandomPrefix() {
  absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace

std::string TimerSetKey(const std::string& service, int shard) {
  return ShardKey(service, shard, "timers");
}

std::string TimerDataKey(const std::string& service, int shard) {
  return ShardKey(service, shard, "timer_data");
}

std::string TimerClaimKey(const std::string& service, int shard) {
  return ShardKey(service, shard, "timer_claims");
}

int64_t TimerScore(absl::Time due) {
  int64_t ms = absl::ToUnixMillis(due);  // rounds toward the past
  return absl::FromUnixMillis(ms) < due ? ms + 1 : ms;
}

void ScheduleTimer(WriteBatch& batch, const std::string& service, int shard,
                   const std::string& id, absl::Time due, const std::string& payload) {
  batch.ZAdd(TimerSetKey(service, shard), static_cast<double>(TimerScore(due)), id);
  // An empty payload is stored as no field (claim_timers.lua reads a missing one as
  // ""): no ~80 B hash entry per pending timer (docs/performance.md, outreach), and an
  // HDEL that finds nothing costs Redis less than an HSET (the order path's timers).
  if (payload.empty()) {
    batch.HDel(TimerDataKey(service, shard), id);
  } else {
    batch.HSet(TimerDataKey(service, shard), id, payload);
  }
  batch.HDel(TimerClaimKey(service, shard), id);
}

void CancelTimer(WriteBatch& batch, const std::string& service, int shard,
                 const std::string& id) {
  batch.ZRem(TimerSetKey(service, shard), id);
  batch.HDel(TimerDataKey(service, shard), id);
  batch.HDel(TimerClaimKey(service, shard), id);
}

void CompleteTimer(WriteBatch& batch, const std::string& service, int shard,
                   const std::string& id) {
  batch.ExpectMember(TimerSetKey(service, shard), id);
  CancelTimer(batch, service, shard, id);
}

TimerScheduler::TimerScheduler(RedisClient& redis, const Clock& clock,
                               TimerSchedulerOptions options, Handler handler)
    : TimerScheduler(redis, clock, std::move(options),
                     BatchHandler([handler = std::move(handler)](const std::vector<DueTimer>& ts) {
                       std::vector<absl::Status> out;
                       for (const DueTimer& t : ts) out.push_back(handler(t));
                       return out;
                     })) {}

TimerScheduler::TimerScheduler(RedisClient& redis, const Clock& clock,
                               TimerSchedulerOptions options, BatchHandler handler)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      handler_(std::move(handler)),
      token_prefix_(RandomPrefix()) {}

TimerScheduler::~TimerScheduler() { Stop(); }

void TimerScheduler::Start() {
  running_ = true;
  thread_ = std::thread([this, waiter = TimersChanged().Register()] {
    while (running_) {
      // Take before the pass: it covers every timer scheduled so far; one scheduled
      // during it, earlier than the earliest the pass then finds, ends the wait.
      waiter->Take();
      auto fired = RunOnce();
      if (!fired.ok()) LogWarn("timer pass failed: " + fired.status().ToString());
      if (fired.ok() && *fired > 0) continue;
      Idle idle = fired.ok() ? IdleWait() : Idle{options_.max_idle_wait, WakeSignal::kAnyDue};
      waiter->Wait(idle.wait, idle.wake_below);
    }
  });
}

TimerScheduler::Idle TimerScheduler::IdleWait() {
  auto next = NextDue();
  const absl::Time now = clock_.Now();
  absl::Duration wait = options_.max_idle_wait;
  if (next.ok() && next->has_value()) {
    wait = std::clamp(clock_.ToWall(**next - now), absl::Milliseconds(1), options_.max_idle_wait);
  }
  // The wait ends in a pass anyway: a timer scheduled meanwhile that is due after
  // that needs no wake (the pass reads it as the earliest). Without this bound every
  // commit scheduling a timer due before the earliest pending one (e.g. the order
  // path's "late:" timers, each removed again by ShipOrder) cost a full claim pass.
  const absl::Duration domain_wait = wait * (wait / clock_.ToWall(wait));
  int64_t wake_below = TimerScore(now + domain_wait);
  if (next.ok() && next->has_value()) wake_below = std::min(wake_below, TimerScore(**next));
  return {wait, wake_below};
}

absl::StatusOr<std::optional<absl::Time>> TimerScheduler::NextDue() {
  std::vector<std::vector<std::string>> reads;
  for (int shard = 0; shard < kShards; ++shard) {
    reads.push_back({"ZRANGE", TimerSetKey(options_.service, shard), "0", "0", "WITHSCORES"});
  }
  auto replies = redis_.Pipeline(reads);
  if (!replies.ok()) return replies.status();
  std::optional<int64_t> earliest;
  for (const auto& r : *replies) {
    if (!r.ok()) return r.status();
    if (r->elements.size() < 2) continue;
    int64_t ms = 0;
    if (!absl::SimpleAtoi(r->elements[1].str, &ms)) {
      double d = 0;
      if (!absl::SimpleAtod(r->elements[1].str, &d)) continue;
      ms = static_cast<int64_t>(d);
    }
    if (!earliest || ms < *earliest) earliest = ms;
  }
  if (!earliest) return std::optional<absl::Time>();
  return std::optional<absl::Time>(absl::FromUnixMillis(*earliest));
}

void TimerScheduler::Stop() {
  running_ = false;
  TimersChanged().Notify();  // ends an idle wait
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> TimerScheduler::RunOnce() {
  // The lease is wall time; timers are scored in domain time.
  absl::Duration domain_lease = options_.lease * (options_.lease / clock_.ToWall(options_.lease));
  int64_t now_ms = absl::ToUnixMillis(clock_.Now());
  int64_t lease_ms = absl::ToInt64Milliseconds(domain_lease);
  std::string now = std::to_string(now_ms);
  std::string lease = std::to_string(lease_ms);
  const std::string token = absl::StrCat(token_prefix_, ":", ++passes_);
  int fired = 0;
  for (int shard = 0; shard < kShards; ++shard) {
    auto claimed = redis_.Eval(ClaimScript(), Keys(options_.service, shard),
                               {now, lease, std::to_string(options_.batch_size), token});
    if (!claimed.ok()) return claimed.status();
    std::vector<DueTimer> timers;
    for (size_t i = 0; i + 1 < claimed->elements.size(); i += 2)
      timers.push_back({shard, claimed->elements[i].str, claimed->elements[i + 1].str});
    if (timers.empty()) continue;
    std::vector<absl::Status> results = handler_(timers);
    if (results.size() != timers.size())
      return absl::InternalError("timer handler: one result per timer expected");
    std::vector<RedisClient::EvalCall> releases;
    for (size_t i = 0; i < timers.size(); ++i) {
      if (!results[i].ok()) {
        LogWarn("timer " + timers[i].id + " failed, retried after the lease: " +
                results[i].ToString());
        continue;
      }
      releases.push_back({Keys(options_.service, shard), {timers[i].id, token}});
    }
    // One round trip releases the claim's handled timers (each still guarded by its
    // token); a timer not released by a dying scheduler fires again after the lease.
    if (releases.empty()) continue;
    auto released = redis_.EvalPipeline(ReleaseScript(), releases);
    if (!released.ok()) return released.status();
    for (const auto& r : *released)
      if (!r.ok()) return r.status();
    fired += static_cast<int>(releases.size());
  }
  return fired;
}

int64_t TimerScheduler::Pending() {
  return SumOverShards(redis_, "ZCARD", [this](int s) { return TimerSetKey(options_.service, s); });
}

}  // namespace revisit
