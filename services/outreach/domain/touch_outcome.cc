// The outcome part of the touch lifecycle: send, fail, feedback, revisit credit
// (touch_decide.h). The pending part: touch_decide.cc.
#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/outreach/domain/attribution.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/domain/touch_decide_internal.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

using namespace touch_internal;  // NOLINT(build/namespaces): this file's helpers

absl::StatusOr<TouchEffects> DecideSend(const store::CustomerState& c, const v1::Touch& t,
                                        Channel channel, const std::string& message,
                                        const std::string& voucher_id, const TouchPolicy& policy,
                                        absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kSend, "sent", now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  e.touch.set_channel(channel);
  e.touch.set_message(message);
  if (!voucher_id.empty()) e.touch.set_voucher_id(voucher_id);
  *e.touch.mutable_sent_at() = ToProto(now);
  RemovePending(e);
  e.timer = TimerOp::kCancel;
  store::CustomerState& r = e.customer;
  if (!t.transactional()) {
    // R6: keep only the sends that still count against the cap, and this one.
    std::vector<int64_t> keep;
    for (int64_t s : r.capped_sent_ms())
      if (now - absl::FromUnixMillis(s) < policy.cap_window) keep.push_back(s);
    keep.push_back(absl::ToUnixMillis(now));
    r.mutable_capped_sent_ms()->Assign(keep.begin(), keep.end());
  }
  r.set_last_contact_ms(absl::ToUnixMillis(now));  // R9
  store::Mark* m = r.add_marks();                  // R12
  m->set_touch_id(t.touch_id());
  m->set_campaign(t.campaign());
  m->set_at_ms(absl::ToUnixMillis(now));
  m->set_transactional(t.transactional());  // R12: earns no credit
  e.customer_changed = true;
  CampaignFlag(e, t.campaign(), kFlagTreated, "treated");
  auto ev = std::make_shared<v1::TouchSent>();
  *ev->mutable_touch() = FactsOf(e.touch);
  ev->set_message(message);
  *ev->mutable_sent_at() = ToProto(now);
  Emit(e, "touch_sent", ev);
  e.counts.push_back({t.campaign(), "sent", 1});
  return decided;
}

absl::StatusOr<TouchEffects> DecideFail(const store::CustomerState& c, const v1::Touch& t,
                                        const std::string& error, const std::string& voucher_id,
                                        absl::Time now) {
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kFail, error, now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  if (!voucher_id.empty()) e.touch.set_voucher_id(voucher_id);
  RemovePending(e);
  e.timer = TimerOp::kCancel;
  auto ev = std::make_shared<v1::TouchFailed>();
  *ev->mutable_touch() = FactsOf(e.touch);
  ev->set_error(error);
  Emit(e, "touch_failed", ev);
  return decided;
}

absl::Status CanRecordFeedback(const v1::Touch& t) {
  absl::StatusOr<v1::TouchState> next =
      NextTouchState(t.touch_id(), t.state(), TouchAction::kFeedback);
  if (!next.ok()) return next.status();
  if (t.has_feedback())  // R11/C10: one answer per touch
    return absl::FailedPreconditionError(
        absl::StrCat("touch ", t.touch_id(), " already has feedback (rating ",
                     t.feedback().rating(), "): it is recorded once"));
  return absl::OkStatus();
}

absl::StatusOr<TouchEffects> DecideFeedback(const store::CustomerState& c, const v1::Touch& t,
                                            const v1::Feedback& feedback,
                                            const std::string& complaint_id, absl::Time now) {
  if (absl::Status can = CanRecordFeedback(t); !can.ok()) return can;
  absl::StatusOr<TouchEffects> decided = Begin(c, t, TouchAction::kFeedback, "", now);
  if (!decided.ok()) return decided;
  TouchEffects& e = *decided;
  v1::Feedback fb = feedback;
  *fb.mutable_recorded_at() = ToProto(now);
  *e.touch.mutable_feedback() = fb;
  if (!complaint_id.empty()) e.touch.set_complaint_id(complaint_id);
  auto ev = std::make_shared<v1::FeedbackReceived>();
  *ev->mutable_touch() = FactsOf(e.touch);
  *ev->mutable_feedback() = fb;
  ev->set_complaint_id(complaint_id);
  Emit(e, "feedback_received", ev);
  if (t.trigger() == v1::TRIGGER_COMPLAINT_FOLLOW_UP) {
    // C10: the complaint service records the satisfaction and closes.
    auto fu = std::make_shared<v1::FollowUpRecorded>();
    *fu->mutable_touch() = FactsOf(e.touch);
    const FollowUpOf of = ParseFollowUpSource(t.source_id());
    fu->set_complaint_id(of.complaint_id);
    fu->set_resolution(of.resolution);  // so a stale answer cannot decide a later one
    *fu->mutable_feedback() = fb;
    Emit(e, "follow_up_recorded", fu);
  }
  e.counts.push_back({t.campaign(), "feedback", 1});
  return decided;
}

std::optional<RevisitCredit> DecideRevisitCredit(const store::CustomerState& c,
                                                 const std::string& order_id,
                                                 absl::Time ordered_at, int64_t revenue_minor,
                                                 const TouchPolicy& policy) {
  std::vector<TouchMark> marks;
  for (const auto& m : c.marks())
    marks.push_back({m.touch_id(), m.campaign(), absl::FromUnixMillis(m.at_ms()), m.holdout(),
                     m.attributed(), m.transactional()});
  const std::optional<size_t> idx = AttributeRevisit(marks, ordered_at, policy.revisit_window);
  if (!idx) return std::nullopt;
  RevisitCredit out;
  out.customer = c;
  store::Mark* m = out.customer.mutable_marks(static_cast<int>(*idx));
  m->set_attributed(true);
  m->set_order_id(order_id);
  m->set_revenue_minor(revenue_minor);
  const int flag = m->holdout() ? kFlagHoldoutRevisit : kFlagTreatedRevisit;
  auto& flags = *out.customer.mutable_campaign_flags();
  if (!(flags[m->campaign()] & flag)) {  // each customer's revisit counted once
    flags[m->campaign()] |= flag;
    out.counts.push_back({m->campaign(), m->holdout() ? "holdout_revisits" : "treated_revisits", 1});
  }
  // R12: revenue per campaign, against the holdout's.
  out.counts.push_back(
      {m->campaign(), m->holdout() ? "holdout_revenue_minor" : "revenue_minor", revenue_minor});
  if (!m->holdout()) out.touch_id = m->touch_id();
  return out;
}

std::optional<RevisitCredit> DecideRevisitTakeBack(const store::CustomerState& c,
                                                   const std::string& order_id,
                                                   int64_t refund_minor,
                                                   int64_t refunded_total_minor,
                                                   int64_t paid_minor) {
  RevisitCredit out;
  out.customer = c;
  for (store::Mark& m : *out.customer.mutable_marks()) {
    if (!m.attributed() || m.order_id() != order_id) continue;
    const CreditTakeBack back =
        TakeBackCredit(m.revenue_minor(), refund_minor, refunded_total_minor, paid_minor);
    if (back.revenue_minor == 0 && !back.revisit) return std::nullopt;
    if (!m.holdout()) out.touch_id = m.touch_id();
    out.revenue_taken_minor = back.revenue_minor;
    out.revisit_reversed = back.revisit;
    m.set_revenue_minor(m.revenue_minor() - back.revenue_minor);
    if (back.revenue_minor != 0) {
      out.counts.push_back({m.campaign(), m.holdout() ? "holdout_revenue_minor" : "revenue_minor",
                            -back.revenue_minor});
    }
    if (!back.revisit) return out;
    m.set_attributed(false);
    m.clear_order_id();
    m.set_revenue_minor(0);
    const std::string campaign = m.campaign();
    const bool holdout = m.holdout();
    for (const store::Mark& other : out.customer.marks()) {
      if (other.attributed() && other.campaign() == campaign && other.holdout() == holdout) return out;
    }
    const int flag = holdout ? kFlagHoldoutRevisit : kFlagTreatedRevisit;
    auto& flags = *out.customer.mutable_campaign_flags();
    if (flags[campaign] & flag) {
      flags[campaign] &= ~flag;
      out.counts.push_back({campaign, holdout ? "holdout_revisits" : "treated_revisits", -1});
    }
    return out;
  }
  return std::nullopt;
}

absl::StatusOr<TouchEffects> DecideAttributionReversed(const store::CustomerState& c,
                                                       const v1::Touch& t,
                                                       const std::string& order_id,
                                                       const std::string& refund_id,
                                                       int64_t revenue_minor, bool revisit_reversed) {
  // A credit change, as the credit itself: the touch stays sent, no step (R12).
  absl::StatusOr<TouchEffects> decided =
      Begin(c, t, TouchAction::kAttribute, "", absl::InfinitePast());
  if (!decided.ok()) return decided;
  auto ev = std::make_shared<v1::AttributionReversed>();
  *ev->mutable_touch() = FactsOf(t);
  ev->set_order_id(order_id);
  ev->set_refund_id(refund_id);
  ev->set_revenue_minor(revenue_minor);
  ev->set_revisit_reversed(revisit_reversed);
  Emit(*decided, "attribution_reversed", ev);
  return decided;
}

absl::StatusOr<TouchEffects> DecideRevisit(const store::CustomerState& c, const v1::Touch& t,
                                           const std::string& order_id, absl::Time ordered_at) {
  absl::StatusOr<TouchEffects> decided =
      Begin(c, t, TouchAction::kAttribute, "", absl::InfinitePast());
  if (!decided.ok()) return decided;
  auto ev = std::make_shared<v1::RevisitAttributed>();
  *ev->mutable_touch() = FactsOf(t);
  ev->set_order_id(order_id);
  *ev->mutable_ordered_at() = ToProto(ordered_at);
  Emit(*decided, "revisit_attributed", ev);
  return decided;
}

store::CustomerState BoundRecord(store::CustomerState c, bool is_new, const TouchPolicy& policy,
                                 absl::Time now) {
  if (c.marks_size() > 0) {
    // R12: only marks inside the window can still be credited.
    std::vector<store::Mark> all(c.marks().begin(), c.marks().end());
    std::stable_sort(all.begin(), all.end(), [](const store::Mark& a, const store::Mark& b) {
      return a.at_ms() < b.at_ms();
    });
    std::vector<store::Mark> kept;
    for (auto& m : all)
      if (now - absl::FromUnixMillis(m.at_ms()) <= policy.revisit_window) kept.push_back(m);
    if (kept.size() > kMaxMarks) kept.erase(kept.begin(), kept.end() - kMaxMarks);
    c.clear_marks();
    for (auto& m : kept) *c.add_marks() = std::move(m);
  }
  if (is_new && c.first_seen_ms() == 0) c.set_first_seen_ms(absl::ToUnixMillis(now));  // R9
  return c;
}

}  // namespace revisit::outreach
