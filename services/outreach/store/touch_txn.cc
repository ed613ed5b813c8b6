#include "services/outreach/store/touch_txn.h"

#include <algorithm>

#include "common/keys.h"
#include "common/outbox.h"
#include "common/status.h"
#include "common/timer_queue.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/domain/attribution.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

constexpr int kMaxSteps = 16;
constexpr int kFlagTreated = 1, kFlagHoldout = 2, kFlagTreatedRevisit = 4, kFlagHoldoutRevisit = 8;

}  // namespace

v1::TouchFacts FactsOf(const v1::Touch& t) {
  v1::TouchFacts f;
  f.set_touch_id(t.touch_id());
  f.set_customer_id(t.customer_id());
  f.set_trigger(t.trigger());
  f.set_source_id(t.source_id());
  f.set_campaign(t.campaign());
  *f.mutable_due_at() = t.due_at();
  f.set_transactional(t.transactional());
  return f;
}

bool IsPending(const v1::Touch& t) {
  return t.state() == v1::TOUCH_STATE_SCHEDULED || t.state() == v1::TOUCH_STATE_DEFERRED;
}

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

TouchTxn::Loaded& TouchTxn::Entry(v1::Touch* t) { return touches_.at(t->touch_id()); }

void TouchTxn::Touched(v1::Touch* t) {
  Loaded& l = Entry(t);
  if (l.bumps == 0) l.bumps = 1;
}

void TouchTxn::Emit(v1::Touch* t, const std::string& name,
                    const google::protobuf::Message& payload) {
  Loaded& l = Entry(t);
  ++l.bumps;
  batch_.AppendEvent(OutboxStream(kService, shard_),
                     MakeEvent(kService, name, customer_id_, t->touch_id(), now_, payload));
}

void TouchTxn::Count(const std::string& campaign, const std::string& counter, int64_t by) {
  batch_.IncrBy(StatKey(shard_, campaign, counter), by);
  batch_.SAdd(CampaignsKey(shard_), campaign);
}

void TouchTxn::CampaignFlag(const std::string& campaign, int flag, const std::string& counter) {
  auto& flags = *customer_.value.mutable_campaign_flags();
  if (flags[campaign] & flag) return;
  flags[campaign] |= flag;
  customer_dirty_ = true;
  Count(campaign, counter);
}

void TouchTxn::Step(v1::Touch* t, v1::TouchState state, const std::string& reason) {
  t->set_state(state);
  auto* steps = t->mutable_steps();
  if (steps->size() >= kMaxSteps) steps->DeleteSubrange(1, 1);  // keep the first
  v1::TouchStep* s = steps->Add();
  s->set_state(state);
  *s->mutable_at() = ToProto(now_);
  s->set_reason(reason);
}

void TouchTxn::RemovePending(const std::string& touch_id) {
  auto* pending = customer_.value.mutable_pending();
  for (int i = 0; i < pending->size(); ++i) {
    if (pending->Get(i).touch_id() == touch_id) {
      pending->DeleteSubrange(i, 1);
      customer_dirty_ = true;
      return;
    }
  }
}

absl::StatusOr<std::pair<v1::Touch*, bool>> TouchTxn::Schedule(const TouchSpec& spec) {
  const std::string id = TouchId(customer_id_, spec.trigger, spec.source_id);
  ASSIGN_OR_RETURN(v1::Touch * existing, LoadTouch(id));
  if (existing != nullptr) return std::make_pair(existing, false);  // one per triple
  const TriggerRule& rule = config_.rules.For(spec.trigger);
  Loaded& l = touches_[id];
  v1::Touch* t = &l.touch;
  t->set_touch_id(id);
  t->set_customer_id(customer_id_);
  t->set_trigger(spec.trigger);
  t->set_source_id(spec.source_id);
  t->set_campaign(spec.campaign.empty() ? rule.name : spec.campaign);
  t->set_channel(spec.channel);
  *t->mutable_due_at() = ToProto(spec.due);
  t->set_priority(rule.priority);
  t->set_transactional(rule.transactional);
  t->set_message(spec.message);
  Step(t, v1::TOUCH_STATE_SCHEDULED, "scheduled by " + rule.name);
  store::PendingRef* ref = customer_.value.add_pending();
  ref->set_touch_id(id);
  ref->set_trigger(spec.trigger);
  ref->set_due_ms(absl::ToUnixMillis(spec.due));
  ref->set_channel(spec.channel);
  ref->set_holdout(InHoldout(customer_id_, t->campaign(), rule.holdout_permille));
  ref->set_source_id(spec.source_id);
  customer_dirty_ = true;
  batch_.ZAdd(TouchesOfKey(shard_, customer_id_), static_cast<double>(absl::ToUnixMillis(spec.due)), id);
  ScheduleTimer(batch_, kService, shard_, id, spec.due, "");
  v1::TouchScheduled ev;
  *ev.mutable_touch() = FactsOf(*t);
  Emit(t, "touch_scheduled", ev);
  Count(t->campaign(), "scheduled");
  return std::make_pair(t, true);
}

void TouchTxn::Defer(v1::Touch* t, absl::Time until, const std::string& reason, bool held) {
  Step(t, v1::TOUCH_STATE_DEFERRED, reason);
  *t->mutable_due_at() = ToProto(until);
  for (auto& ref : *customer_.value.mutable_pending()) {
    if (ref.touch_id() != t->touch_id()) continue;
    ref.set_due_ms(absl::ToUnixMillis(until));
    ref.set_held(held);
  }
  customer_dirty_ = true;
  batch_.ZAdd(TouchesOfKey(shard_, customer_id_), static_cast<double>(absl::ToUnixMillis(until)), t->touch_id());
  ScheduleTimer(batch_, kService, shard_, t->touch_id(), until, "");
  v1::TouchDeferred ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_reason(reason);
  *ev.mutable_deferred_until() = ToProto(until);
  Emit(t, "touch_deferred", ev);
  Count(t->campaign(), "deferred");
}

void TouchTxn::Rearm(v1::Touch* t) {
  ScheduleTimer(batch_, kService, shard_, t->touch_id(), FromProto(t->due_at()), "");
}

void TouchTxn::Release(v1::Touch* t, const std::string& reason) {
  Step(t, v1::TOUCH_STATE_SCHEDULED, reason);
  *t->mutable_due_at() = ToProto(now_);
  for (auto& ref : *customer_.value.mutable_pending()) {
    if (ref.touch_id() != t->touch_id()) continue;
    ref.set_due_ms(absl::ToUnixMillis(now_));
    ref.set_held(false);
  }
  customer_dirty_ = true;
  batch_.ZAdd(TouchesOfKey(shard_, customer_id_), static_cast<double>(absl::ToUnixMillis(now_)), t->touch_id());
  ScheduleTimer(batch_, kService, shard_, t->touch_id(), now_, "");
  v1::TouchScheduled ev;
  *ev.mutable_touch() = FactsOf(*t);
  Emit(t, "touch_scheduled", ev);
}

void TouchTxn::Suppress(v1::Touch* t, const std::string& reason, bool holdout) {
  Step(t, v1::TOUCH_STATE_SUPPRESSED, reason);
  RemovePending(t->touch_id());
  CancelTimer(batch_, kService, shard_, t->touch_id());
  if (holdout) {
    // The control group: would have been touched now; revisits are counted (R12).
    store::Mark* m = customer_.value.add_marks();
    m->set_touch_id(t->touch_id());
    m->set_campaign(t->campaign());
    m->set_at_ms(absl::ToUnixMillis(now_));
    m->set_holdout(true);
    CampaignFlag(t->campaign(), kFlagHoldout, "holdout");
  }
  v1::TouchSuppressed ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_reason(reason);
  Emit(t, "touch_suppressed", ev);
  Count(t->campaign(), "suppressed");
}

void TouchTxn::Sent(v1::Touch* t, Channel channel, const std::string& message) {
  t->set_channel(channel);
  t->set_message(message);
  *t->mutable_sent_at() = ToProto(now_);
  Step(t, v1::TOUCH_STATE_SENT, "sent");
  RemovePending(t->touch_id());
  CancelTimer(batch_, kService, shard_, t->touch_id());
  store::CustomerState& c = customer_.value;
  if (!t->transactional()) {
    // Keep only the sends that still count against the cap (R6).
    auto* sent = c.mutable_capped_sent_ms();
    std::vector<int64_t> keep;
    for (int64_t s : *sent)
      if (now_ - absl::FromUnixMillis(s) < config_.measure.cap_window) keep.push_back(s);
    keep.push_back(absl::ToUnixMillis(now_));
    sent->Assign(keep.begin(), keep.end());
  }
  c.set_last_contact_ms(absl::ToUnixMillis(now_));
  store::Mark* m = c.add_marks();
  m->set_touch_id(t->touch_id());
  m->set_campaign(t->campaign());
  m->set_at_ms(absl::ToUnixMillis(now_));
  m->set_transactional(t->transactional());  // R12: earns no credit
  customer_dirty_ = true;
  CampaignFlag(t->campaign(), kFlagTreated, "treated");
  v1::TouchSent ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_message(message);
  *ev.mutable_sent_at() = ToProto(now_);
  Emit(t, "touch_sent", ev);
  Count(t->campaign(), "sent");
}

void TouchTxn::Failed(v1::Touch* t, const std::string& error) {
  Step(t, v1::TOUCH_STATE_FAILED, error);
  RemovePending(t->touch_id());
  CancelTimer(batch_, kService, shard_, t->touch_id());
  v1::TouchFailed ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_error(error);
  Emit(t, "touch_failed", ev);
}

void TouchTxn::Cancel(v1::Touch* t, const std::string& reason) {
  Step(t, v1::TOUCH_STATE_CANCELLED, reason);
  RemovePending(t->touch_id());
  CancelTimer(batch_, kService, shard_, t->touch_id());
  v1::TouchCancelled ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_reason(reason);
  Emit(t, "touch_cancelled", ev);
}

absl::Status TouchTxn::AttributeRevisit(const std::string& order_id, absl::Time ordered_at,
                                        int64_t revenue_minor) {
  store::CustomerState& c = customer_.value;
  std::vector<TouchMark> marks;
  for (const auto& m : c.marks())
    marks.push_back({m.touch_id(), m.campaign(), absl::FromUnixMillis(m.at_ms()), m.holdout(),
                     m.attributed(), m.transactional()});
  auto idx = outreach::AttributeRevisit(marks, ordered_at, config_.revisit_window);
  if (!idx) return absl::OkStatus();
  store::Mark* m = c.mutable_marks(static_cast<int>(*idx));
  m->set_attributed(true);
  m->set_order_id(order_id);
  m->set_revenue_minor(revenue_minor);
  customer_dirty_ = true;
  if (m->holdout()) {
    CampaignFlag(m->campaign(), kFlagHoldoutRevisit, "holdout_revisits");
    Count(m->campaign(), "holdout_revenue_minor", revenue_minor);
    return absl::OkStatus();
  }
  CampaignFlag(m->campaign(), kFlagTreatedRevisit, "treated_revisits");
  Count(m->campaign(), "revenue_minor", revenue_minor);  // R12: revenue per campaign
  ASSIGN_OR_RETURN(v1::Touch * t, LoadTouch(m->touch_id()));
  if (t == nullptr) return absl::OkStatus();
  v1::RevisitAttributed ev;
  *ev.mutable_touch() = FactsOf(*t);
  ev.set_order_id(order_id);
  *ev.mutable_ordered_at() = ToProto(ordered_at);
  Emit(t, "revisit_attributed", ev);
  return absl::OkStatus();
}

void TouchTxn::TakeBackRevisit(const std::string& order_id, int64_t refund_minor,
                               int64_t refunded_total_minor, int64_t paid_minor) {
  store::CustomerState& c = customer_.value;
  for (store::Mark& m : *c.mutable_marks()) {
    if (!m.attributed() || m.order_id() != order_id) continue;
    const CreditTakeBack back =
        outreach::TakeBackCredit(m.revenue_minor(), refund_minor, refunded_total_minor, paid_minor);
    if (back.revenue_minor == 0 && !back.revisit) return;
    customer_dirty_ = true;
    m.set_revenue_minor(m.revenue_minor() - back.revenue_minor);
    Count(m.campaign(), m.holdout() ? "holdout_revenue_minor" : "revenue_minor", -back.revenue_minor);
    if (!back.revisit) return;
    m.set_attributed(false);
    m.clear_order_id();
    m.set_revenue_minor(0);
    ClearCampaignFlag(m.campaign(), m.holdout() ? kFlagHoldoutRevisit : kFlagTreatedRevisit,
                      m.holdout(), m.holdout() ? "holdout_revisits" : "treated_revisits");
    return;
  }
}

void TouchTxn::ClearCampaignFlag(const std::string& campaign, int flag, bool holdout,
                                 const std::string& counter) {
  for (const store::Mark& m : customer_.value.marks()) {
    if (m.attributed() && m.campaign() == campaign && m.holdout() == holdout) return;
  }
  auto& flags = *customer_.value.mutable_campaign_flags();
  if (!(flags[campaign] & flag)) return;
  flags[campaign] &= ~flag;
  customer_dirty_ = true;
  Count(campaign, counter, -1);
}

absl::StatusOr<CommitResult> TouchTxn::Commit() {
  WriteBatch batch = Finish();
  if (batch.empty()) return CommitResult{};
  return batch.Commit(store_.redis());
}

WriteBatch TouchTxn::Finish() {
  store::CustomerState& c = customer_.value;
  if (customer_dirty_) {
    // Bound the record: only marks inside the window can still be credited (R12).
    std::vector<TouchMark> marks;
    std::vector<store::Mark> kept;
    if (c.marks_size() > 0) {
      std::vector<store::Mark> all(c.marks().begin(), c.marks().end());
      std::sort(all.begin(), all.end(),
                [](const store::Mark& a, const store::Mark& b) { return a.at_ms() < b.at_ms(); });
      for (auto& m : all)
        if (now_ - absl::FromUnixMillis(m.at_ms()) <= config_.revisit_window) kept.push_back(m);
      if (kept.size() > 16) kept.erase(kept.begin(), kept.end() - 16);
      c.clear_marks();
      for (auto& m : kept) *c.add_marks() = m;
    }
    const std::string key = CustomerKey(shard_, customer_id_);
    if (customer_.version == 0) {
      batch_.SAdd(KnownCustomersKey(shard_), customer_id_);
      if (c.first_seen_ms() == 0) c.set_first_seen_ms(absl::ToUnixMillis(now_));  // R9 reference
    }
    batch_.ExpectVersion(key, customer_.version)
        .Put(key, customer_.version + 1, c.SerializeAsString());
  }
  for (auto& [id, l] : touches_) {
    if (l.bumps == 0) continue;
    const std::string key = TouchKey(shard_, id);
    batch_.ExpectVersion(key, l.version).Put(key, l.version + l.bumps, l.touch.SerializeAsString());
  }
  return std::move(batch_);
}

}  // namespace revisit::outreach
