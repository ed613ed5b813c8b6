#include "services/outreach/store/touch_txn.h"

#include <algorithm>

#include "common/keys.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "services/outreach/domain/touch_ids.h"
#include "services/outreach/store/touch_stage.h"

namespace revisit::outreach {

TouchTxn::TouchTxn(OutreachStore& store, const OutreachConfig& config, std::string customer_id,
                   absl::Time now)
    : store_(store),
      config_(config),
      customer_id_(std::move(customer_id)),
      shard_(ShardOf(customer_id_)),
      now_(now) {}

absl::Status TouchTxn::Load() {
  ASSIGN_OR_RETURN(customer_, store_.GetCustomer(customer_id_));
  return absl::OkStatus();
}

absl::StatusOr<v1::Touch*> TouchTxn::LoadTouch(const std::string& id) {
  auto it = touches_.find(id);
  if (it != touches_.end()) return &it->second.touch;
  auto t = ReadEntity<v1::Touch>(store_.redis(), TouchKey(shard_, id));
  if (!t.ok()) return t.status();
  if (!t->has_value()) return nullptr;
  Loaded& l = touches_[id];
  l.touch = std::move((*t)->value);
  l.version = (*t)->version;
  return &l.touch;
}

TouchPolicy TouchTxn::policy() const {
  TouchPolicy p;
  p.cap_window = config_.measure.cap_window;
  p.revisit_window = config_.revisit_window;
  return p;
}

void TouchTxn::Apply(const TouchEffects& e) {
  if (e.customer_changed) {
    customer_.value = e.customer;
    customer_dirty_ = true;
  }
  const std::string& id = e.touch.touch_id();
  Loaded& l = touches_[id];
  if (e.touch_changed) l.touch = e.touch;
  l.bumps += static_cast<int64_t>(e.events.size());
  if (e.touch_changed && l.bumps == 0) l.bumps = 1;
  StageTouchEffects(batch_, shard_, customer_id_, e, now_);
}

absl::Status TouchTxn::ApplyIfOk(const absl::StatusOr<TouchEffects>& decided) {
  if (!decided.ok()) return decided.status();
  Apply(*decided);
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::Touch*, bool>> TouchTxn::Schedule(const TouchSpec& spec) {
  const std::string id = TouchId(customer_id_, spec.trigger, spec.source_id);
  ASSIGN_OR_RETURN(v1::Touch * existing, LoadTouch(id));
  if (existing != nullptr) return std::make_pair(existing, false);  // one per triple
  RETURN_IF_ERROR(ApplyIfOk(DecideSchedule(customer_.value, nullptr, id, spec,
                                           config_.rules.For(spec.trigger), now_)));
  return std::make_pair(&touches_.at(id).touch, true);
}

absl::Status TouchTxn::Defer(v1::Touch* t, absl::Time until, const std::string& reason,
                             store::DeferCause cause) {
  return ApplyIfOk(DecideDefer(customer_.value, *t, until, reason, cause, now_));
}

absl::Status TouchTxn::Rearm(v1::Touch* t) { return ApplyIfOk(DecideRearm(customer_.value, *t)); }

absl::Status TouchTxn::Release(v1::Touch* t, const std::string& reason) {
  return ApplyIfOk(DecideRelease(customer_.value, *t, reason, now_));
}

absl::Status TouchTxn::Suppress(v1::Touch* t, const std::string& reason, bool holdout) {
  return ApplyIfOk(DecideSuppress(customer_.value, *t, reason, holdout, now_));
}

absl::Status TouchTxn::Sent(v1::Touch* t, Channel channel, const std::string& message,
                            const std::string& voucher_id) {
  return ApplyIfOk(
      DecideSend(customer_.value, *t, channel, message, voucher_id, policy(), now_));
}

absl::Status TouchTxn::Failed(v1::Touch* t, const std::string& error,
                              const std::string& voucher_id) {
  return ApplyIfOk(DecideFail(customer_.value, *t, error, voucher_id, now_));
}

absl::Status TouchTxn::Cancel(v1::Touch* t, const std::string& reason) {
  return ApplyIfOk(DecideCancel(customer_.value, *t, reason, now_));
}

absl::Status TouchTxn::RecordFeedback(v1::Touch* t, const v1::Feedback& feedback,
                                      const std::string& complaint_id) {
  return ApplyIfOk(DecideFeedback(customer_.value, *t, feedback, complaint_id, now_));
}

absl::Status TouchTxn::AttributeRevisit(const std::string& order_id, absl::Time ordered_at,
                                        int64_t revenue_minor) {
  std::optional<RevisitCredit> credit =
      DecideRevisitCredit(customer_.value, order_id, ordered_at, revenue_minor, policy());
  if (!credit) return absl::OkStatus();
  customer_.value = std::move(credit->customer);
  customer_dirty_ = true;
  for (const CampaignCount& c : credit->counts) StageCount(batch_, shard_, c);
  if (!credit->touch_id) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Touch * t, LoadTouch(*credit->touch_id));
  if (t == nullptr) return absl::OkStatus();  // purged: the credit stands without event
  return ApplyIfOk(DecideRevisit(customer_.value, *t, order_id, ordered_at));
}

absl::Status TouchTxn::TakeBackRevisit(const std::string& order_id, const std::string& refund_id,
                                       int64_t refund_minor, int64_t refunded_total_minor,
                                       int64_t paid_minor) {
  std::optional<RevisitCredit> back = DecideRevisitTakeBack(customer_.value, order_id, refund_minor,
                                                            refunded_total_minor, paid_minor);
  if (!back) return absl::OkStatus();
  customer_.value = std::move(back->customer);
  customer_dirty_ = true;
  for (const CampaignCount& c : back->counts) StageCount(batch_, shard_, c);
  if (!back->touch_id) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Touch * t, LoadTouch(*back->touch_id));
  if (t == nullptr) return absl::OkStatus();  // purged: the take-back stands without event
  return ApplyIfOk(DecideAttributionReversed(customer_.value, *t, order_id, refund_id,
                                             back->revenue_taken_minor, back->revisit_reversed));
}

absl::StatusOr<CommitResult> TouchTxn::Commit() {
  WriteBatch batch = Finish();
  if (batch.empty()) return CommitResult{};
  return batch.Commit(store_.redis());
}

WriteBatch TouchTxn::Finish() {
  if (customer_dirty_) {
    const bool is_new = customer_.version == 0;
    customer_.value = BoundRecord(std::move(customer_.value), is_new, policy(), now_);
    const std::string key = CustomerKey(shard_, customer_id_);
    if (is_new) batch_.SAdd(KnownCustomersKey(shard_), customer_id_);
    batch_.ExpectVersion(key, customer_.version)
        .Put(key, customer_.version + 1, customer_.value.SerializeAsString());
  }
  for (auto& [id, l] : touches_) {
    if (l.bumps == 0) continue;
    const std::string key = TouchKey(shard_, id);
    batch_.ExpectVersion(key, l.version).Put(key, l.version + l.bumps, l.touch.SerializeAsString());
  }
  return std::move(batch_);
}

}  // namespace revisit::outreach
