// The pending part of the touch lifecycle: schedule, defer, release, re-arm,
// suppress, cancel (touch_decide.h). Send, fail, feedback and revisits:
// touch_outcome.cc.
#include "services/outreach/domain/touch_decide.h"

#include <utility>

#include "common/proto_time.h"
#include "services/outreach/domain/touch_decide_internal.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

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

bool IsPending(const v1::Touch& t) { return IsPendingState(t.state()); }

namespace touch_internal {

absl::StatusOr<TouchEffects> Begin(const store::CustomerState& c, const v1::Touch& t,
                                   TouchAction action, const std::string& reason,
                                   absl::Time now) {
  absl::StatusOr<v1::TouchState> next = NextTouchState(t.touch_id(), t.state(), action);
  if (!next.ok()) return next.status();
  TouchEffects e;
  e.customer = c;
  e.touch = t;
  e.touch_changed = true;
  // Every change of the lifecycle is a step with its reason; re-arming, feedback and
  // credit are not.
  const bool step = action != TouchAction::kRearm && action != TouchAction::kFeedback &&
                    action != TouchAction::kAttribute;
  if (step) AddStep(e.touch, *next, reason, now);
  return e;
}

void AddStep(v1::Touch& t, v1::TouchState state, const std::string& reason, absl::Time now) {
  t.set_state(state);
  auto* steps = t.mutable_steps();
  if (steps->size() >= kMaxTouchSteps) steps->DeleteSubrange(1, 1);  // keep the first
  v1::TouchStep* s = steps->Add();
  s->set_state(state);
  *s->mutable_at() = ToProto(now);
  s->set_reason(reason);
}

store::PendingRef* PendingOf(store::CustomerState& c, const std::string& touch_id) {
  for (auto& ref : *c.mutable_pending())
    if (ref.touch_id() == touch_id) return &ref;
  return nullptr;
}

void RemovePending(TouchEffects& e) {
  auto* pending = e.customer.mutable_pending();
  for (int i = 0; i < pending->size(); ++i) {
    if (pending->Get(i).touch_id() != e.touch.touch_id()) continue;
    pending->DeleteSubrange(i, 1);
    e.customer_changed = true;
    return;
  }
}

void Arm(TouchEffects& e, absl::Time due) {
  e.timer = TimerOp::kArm;
  e.timer_due = due;
}

void Emit(TouchEffects& e, std::string name, std::shared_ptr<google::protobuf::Message> payload) {
  e.events.push_back({std::move(name), std::move(payload)});
}

void CampaignFlag(TouchEffects& e, const std::string& campaign, int flag,
                  const std::string& counter) {
  auto& flags = *e.customer.mutable_campaign_flags();
  if (flags[campaign] & flag) return;
  flags[campaign] |= flag;
  e.customer_changed = true;
  e.counts.push_back({campaign, counter, 1});
}

}  // namespace touch_internal

using namespace touch_internal;  // NOLINT(build/namespaces): this file's helpers

absl::StatusOr<TouchEffects> DecideSchedule(const store::CustomerState& c,
                                            const v1::Touch* existing,
                                            const std::string& touch_id, const TouchSpec& spec,
                                            const TriggerRule& rule, absl::Time now) {
  if (existing != nullptr)  // one touch per (customer, trigger, source)
    return NextTouchState(touch_id, existing->state(), TouchAction::kSchedule).status();
  v1::Touch t;
  t.set_touch_id(touch_id);
  t.set_customer_id(c.customer_id());
  t.set_trigger(spec.trigger);
  t.set_source_id(spec.source_id);
  t.set_campaign(spec.campaign.empty() ? rule.name : spec.campaign);
  t.set_channel(spec.channel);
  *t.mutable_due_at() = ToProto(spec.due);
  t.set_priority(rule.priority);
  t.set_transactional(rule.transactional);
  t.set_message(spec.message);
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kSchedule, "scheduled by " + rule.name, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  store::PendingRef* ref = e.customer.add_pending();
  ref->set_touch_id(touch_id);
  ref->set_trigger(spec.trigger);
  ref->set_due_ms(absl::ToUnixMillis(spec.due));
  ref->set_channel(spec.channel);
  ref->set_holdout(InHoldout(c.customer_id(), t.campaign(), rule.holdout_permille));  // R12
  ref->set_source_id(spec.source_id);
  e.customer_changed = true;
  e.due_changed = true;
  Arm(e, spec.due);
  auto ev = std::make_shared<v1::TouchScheduled>();
  *ev->mutable_touch() = FactsOf(e.touch);
  Emit(e, "touch_scheduled", ev);
  e.counts.push_back({e.touch.campaign(), "scheduled", 1});
  return decided;
}

absl::StatusOr<TouchEffects> DecideDefer(const store::CustomerState& c, const v1::Touch& t,
                                         absl::Time until, const std::string& reason,
                                         store::DeferCause cause, absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kDefer, reason, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  *e.touch.mutable_due_at() = ToProto(until);
  if (store::PendingRef* ref = PendingOf(e.customer, t.touch_id())) {
    ref->set_due_ms(absl::ToUnixMillis(until));
    ref->set_defer_cause(cause);
    ref->set_held(cause == store::DEFER_CAUSE_COMPLAINT_HOLD);  // for readers before field 8
    e.customer_changed = true;
  }
  e.due_changed = true;
  Arm(e, until);
  auto ev = std::make_shared<v1::TouchDeferred>();
  *ev->mutable_touch() = FactsOf(e.touch);
  ev->set_reason(reason);
  *ev->mutable_deferred_until() = ToProto(until);
  Emit(e, "touch_deferred", ev);
  e.counts.push_back({e.touch.campaign(), "deferred", 1});
  return decided;
}

// R6: only a complaint hold waits for the last open complaint to close.
bool HeldByComplaint(const store::PendingRef& ref) {
  if (ref.defer_cause() != store::DEFER_CAUSE_UNSPECIFIED)
    return ref.defer_cause() == store::DEFER_CAUSE_COMPLAINT_HOLD;
  return ref.held();
}

absl::StatusOr<TouchEffects> DecideRelease(const store::CustomerState& c, const v1::Touch& t,
                                           const std::string& reason, absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kRelease, reason, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  *e.touch.mutable_due_at() = ToProto(now);
  if (store::PendingRef* ref = PendingOf(e.customer, t.touch_id())) {
    ref->set_due_ms(absl::ToUnixMillis(now));
    ref->set_held(false);
    ref->set_defer_cause(store::DEFER_CAUSE_UNSPECIFIED);
    e.customer_changed = true;
  }
  e.due_changed = true;
  Arm(e, now);
  auto ev = std::make_shared<v1::TouchScheduled>();
  *ev->mutable_touch() = FactsOf(e.touch);
  Emit(e, "touch_scheduled", ev);
  return decided;
}

absl::StatusOr<TouchEffects> DecideRearm(const store::CustomerState& c, const v1::Touch& t) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kRearm, "", absl::InfinitePast());
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  e.touch_changed = false;  // no state change, no event: only the timer
  Arm(e, FromProto(t.due_at()));
  return decided;
}

absl::StatusOr<TouchEffects> DecideSuppress(const store::CustomerState& c, const v1::Touch& t,
                                            const std::string& reason, bool holdout,
                                            absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kSuppress, reason, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  RemovePending(e);
  e.timer = TimerOp::kCancel;
  if (holdout) {
    // R12: the control group would have been touched now; its revisits are counted.
    store::Mark* m = e.customer.add_marks();
    m->set_touch_id(t.touch_id());
    m->set_campaign(t.campaign());
    m->set_at_ms(absl::ToUnixMillis(now));
    m->set_holdout(true);
    e.customer_changed = true;
    CampaignFlag(e, t.campaign(), kFlagHoldout, "holdout");
  }
  auto ev = std::make_shared<v1::TouchSuppressed>();
  *ev->mutable_touch() = FactsOf(e.touch);
  ev->set_reason(reason);
  Emit(e, "touch_suppressed", ev);
  e.counts.push_back({t.campaign(), "suppressed", 1});
  return decided;
}

absl::StatusOr<TouchEffects> DecideCancel(const store::CustomerState& c, const v1::Touch& t,
                                          const std::string& reason, absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kCancel, reason, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  RemovePending(e);
  e.timer = TimerOp::kCancel;
  auto ev = std::make_shared<v1::TouchCancelled>();
  *ev->mutable_touch() = FactsOf(e.touch);
  ev->set_reason(reason);
  Emit(e, "touch_cancelled", ev);
  return decided;
}

}  // namespace revisit::outreach
