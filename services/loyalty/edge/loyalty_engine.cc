#include "services/loyalty/edge/loyalty_engine.h"

#include "services/loyalty/store/reservation_txn.h"
#include "services/loyalty/domain/reservations.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/event_type.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/outbox.h"
#include "common/status.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/store/batch_apply.h"
#include "services/loyalty/edge/event_decision.h"
#include "services/loyalty/store/redis_batch_store.h"
#include "services/loyalty/domain/value_class.h"

namespace revisit::loyalty {
namespace {

constexpr absl::Duration kReferralTtl = absl::Hours(24 * 3650);

}  // namespace

LoyaltyEngine::LoyaltyEngine(const LoyaltyConfig& config, RedisClient& redis, const Clock& clock)
    : config_(config), store_(redis), clock_(clock) {}

absl::Status LoyaltyEngine::MutateAccount(const std::string& customer_id,
                                          const std::string& dedupe_key, absl::Duration ttl,
                                          const Decide& decide) {
  if (customer_id.empty()) return absl::InvalidArgumentError("customer_id: required");
  return MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto account, store_.LoadAccount(customer_id));
    Effects effects;
    RETURN_IF_ERROR(decide(account.value, effects));
    // L6: the referrer's reward (or its reversal) commits first, in its own shard.
    if (effects.referral) RETURN_IF_ERROR(RewardReferrer(*effects.referral));
    WriteBatch batch;
    if (!dedupe_key.empty()) batch.Dedupe(dedupe_key, ttl, "1");
    store_.AddAccountWrites(batch, account.value, account.version, effects, clock_.Now(),
                            config_.rules);
    ASSIGN_OR_RETURN(CommitResult result, batch.Commit(store_.redis()));
    (void)result;  // a duplicate means an earlier delivery already applied it
    return absl::OkStatus();
  });
}

absl::Status LoyaltyEngine::RewardReferrer(const ReferralReward& reward) {
  return MutateAccount(reward.referrer_id, ReferralDedupeKey(reward), kReferralTtl,
                       [&](internal::Account& referrer, Effects& effects) {
                         if (reward.reversal) {
                           ApplyReferralReversal(referrer, reward, clock_.Now(), effects);
                         } else {
                           ApplyReferralReward(referrer, reward, clock_.Now(), effects);
                         }
                         return absl::OkStatus();
                       });
}

absl::Status LoyaltyEngine::HandleEvent(const EventEnvelope& e) {
  ASSIGN_OR_RETURN(PreparedEvent prepared, PrepareEvent(e, clock_.Now(), config_.rules));
  if (!prepared.applies) return absl::OkStatus();  // not an event loyalty reacts to
  const std::string inbox = InboxKey(ShardOf(prepared.customer_id), e.id);
  auto seen = store_.redis().Command({"EXISTS", inbox});
  if (!seen.ok()) return seen.status();
  if (seen->integer == 1) return absl::OkStatus();  // fast path for a redelivery
  return MutateAccount(prepared.customer_id, inbox, config_.inbox_ttl, prepared.decide);
}

std::vector<absl::Status> LoyaltyEngine::HandleBatch(const std::vector<EventEnvelope>& events) {
  RedisBatchStore store(store_, config_.rules, config_.inbox_ttl,
                        [this](const EventEnvelope& e) { return HandleEvent(e); });
  return BatchApplier(store, config_.rules).Apply(events, clock_.Now());
}

absl::Status LoyaltyEngine::HandleTimer(const DueTimer& timer) {
  if (timer.id == kReclassifyTimer) {
    auto r = Reclassify();
    if (!r.ok()) return r.status();
    LogInfo("reclassified", {{"customers", std::to_string(r->customers())},
                             {"changed", std::to_string(r->changed())},
                             {"elapsed_ms", std::to_string(r->elapsed_ms())}});
    WriteBatch batch;
    ScheduleTimer(batch, kService, 0, kReclassifyTimer, clock_.Now() + config_.reclassify_interval,
                  "");
    return batch.Commit(store_.redis()).status();
  }
  if (absl::StartsWith(timer.id, "review:")) {
    const std::string customer = timer.id.substr(7);
    ASSIGN_OR_RETURN(auto found, store_.FindAccount(customer));
    if (!found) return absl::OkStatus();
    return MutateAccount(customer, "", absl::ZeroDuration(),
                         [&](internal::Account& a, Effects& fx) {
                           Review(a, clock_.Now(), config_.rules, fx);
                           return absl::OkStatus();
                         });
  }
  if (absl::StartsWith(timer.id, "hold:")) return ExpireHold(timer.id.substr(5), timer.payload);
  LogWarn("unknown loyalty timer dropped", {{"timer", timer.id}});
  return absl::OkStatus();
}

absl::Status LoyaltyEngine::ExpireHold(const std::string& reservation_id,
                                       const std::string& customer_id) {
  return MutateWithRetry([&]() -> absl::Status {
    auto t = ReservationTxn::Load(store_, reservation_id, customer_id, "reservation_id");
    if (!t.ok()) {  // nothing to expire (never stored, or its customer unknown)
      return t.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus() : t.status();
    }
    std::vector<v1::Voucher> vouchers = t->vouchers();
    Effects fx;
    const absl::Time now = clock_.Now();
    if (!DecideExpire(t->reservation(), vouchers, t->account(), now, fx)) return absl::OkStatus();
    t->set_vouchers(vouchers);
    WriteBatch batch;
    t->Stage(batch, fx, now, config_.rules);
    return batch.Commit(store_.redis()).status();
  });
}

absl::Status LoyaltyEngine::EnsureReclassifyTimer() {
  const std::string due =
      std::to_string(TimerScore(clock_.Now() + config_.reclassify_interval));
  auto added = store_.redis().Command(
      {"ZADD", TimerSetKey(kService, 0), "NX", due, kReclassifyTimer});
  return added.status();
}

absl::StatusOr<v1::ReclassifyResponse> LoyaltyEngine::Reclassify() {
  const absl::Time started = absl::Now();  // wall time, for elapsed_ms only
  const absl::Time now = clock_.Now();
  std::vector<std::string> ids;
  std::vector<int64_t> spend;
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s) cmds.push_back({"ZRANGE", SpendKey(s), "0", "-1", "WITHSCORES"});
  for (int s = 0; s < kShards; ++s) cmds.push_back({"HGETALL", ClassKey(s)});
  ASSIGN_OR_RETURN(auto replies, store_.redis().Pipeline(cmds));
  std::map<std::string, internal::ClassRecord> current;
  for (int s = 0; s < kShards; ++s) {
    if (!replies[s].ok()) return replies[s].status();
    const auto& el = replies[s]->elements;
    for (size_t i = 0; i + 1 < el.size(); i += 2) {
      double score = 0;
      if (!absl::SimpleAtod(el[i + 1].str, &score)) score = 0;
      ids.push_back(el[i].str);
      spend.push_back(static_cast<int64_t>(score));
    }
    const auto& cls = replies[kShards + s];
    if (!cls.ok()) return cls.status();
    for (size_t i = 0; i + 1 < cls->elements.size(); i += 2) {
      internal::ClassRecord r;
      if (r.ParseFromString(cls->elements[i + 1].str)) current[cls->elements[i].str] = r;
    }
  }
  std::vector<ClassAssignment> classes = ClassifyAbc(spend, config_.rules);
  v1::ReclassifyResponse resp;
  resp.set_customers(static_cast<int64_t>(ids.size()));
  std::vector<WriteBatch> batches(kShards);
  std::vector<int> pending(kShards, 0);
  auto flush = [&](int s) -> absl::Status {
    if (pending[s] == 0) return absl::OkStatus();
    auto st = batches[s].Commit(store_.redis()).status();
    batches[s] = WriteBatch();
    pending[s] = 0;
    return st;
  };
  for (size_t i = 0; i < ids.size(); ++i) {
    const ClassAssignment& a = classes[i];
    if (a.value_class == v1::VALUE_CLASS_A) resp.set_class_a(resp.class_a() + 1);
    if (a.value_class == v1::VALUE_CLASS_B) resp.set_class_b(resp.class_b() + 1);
    if (a.value_class == v1::VALUE_CLASS_C) resp.set_class_c(resp.class_c() + 1);
    internal::ClassRecord& rec = current[ids[i]];
    if (rec.value_class() == a.value_class) continue;
    const int s = ShardOf(ids[i]);
    std::string reason = ClassReason(a, resp.customers(), config_.rules);
    v1::ClassChanged ev;
    ev.set_customer_id(ids[i]);
    ev.set_from(rec.value_class());
    ev.set_to(a.value_class);
    ev.set_reason(reason);
    rec.set_value_class(a.value_class);
    rec.set_reason(reason);
    rec.set_decided_at_ms(ToMs(now));
    batches[s].HSet(ClassKey(s), ids[i], rec.SerializeAsString());
    // Numbered by the customer's counter, shared with the account's events.
    batches[s].AppendEvent(OutboxStream(kService, s),
                           MakeEvent(kService, "class_changed", ids[i], ids[i], now, ev));
    resp.set_changed(resp.changed() + 1);
    if (++pending[s] >= 200) RETURN_IF_ERROR(flush(s));
  }
  for (int s = 0; s < kShards; ++s) RETURN_IF_ERROR(flush(s));
  resp.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - started));
  return resp;
}

}  // namespace revisit::loyalty
