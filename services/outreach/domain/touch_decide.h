// The touch lifecycle's decisions, as pure functions: each decider takes the
// customer's record and the touch as read, the request (or the measure's verdict,
// the channel's answer, the consumed event's facts) and now, checks the action
// against the transition table (touch_state.h) and returns the TouchEffects
// (touch_effects.h): the record and touch as they must be stored, the timer, the
// events and the campaign counters. The store (store/touch_txn.h) reads, decides
// and stages the effects in one WriteBatch; nothing here does I/O.
//
//   DecideSchedule  (new) → scheduled       touch_scheduled   R1-R5, R7-R9, O1, O3, C10
//   DecideDefer     pending → deferred      touch_deferred    R6 (cap, quiet hours, hold)
//   DecideRelease   deferred → scheduled    touch_scheduled   R6 (complaint closed)
//   DecideRearm     pending → same          (none)            timer fired early
//   DecideSuppress  pending → suppressed    touch_suppressed  R6 consent, R12 holdout
//   DecideSend      pending → sent          touch_sent        R6 cap window, R12 mark
//   DecideFail      pending → failed        touch_failed
//   DecideCancel    pending → cancelled     touch_cancelled   refund, C10 superseded
//   DecideFeedback  sent → sent (once)      feedback_received (+ follow_up_recorded, C10)
//   DecideRevisit   sent → sent             revisit_attributed R12
//
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION naming the touch's state and the refused action (the
// table), or the rule broken (feedback recorded once, R11/C10).
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/domain/rules.h"
#include "services/outreach/domain/touch_effects.h"
#include "services/outreach/domain/touch_state.h"

namespace revisit::outreach {

// What a new touch is.
struct TouchSpec {
  Trigger trigger = revisit::outreach::v1::TRIGGER_UNSPECIFIED;
  std::string source_id;
  std::string campaign;  // empty: the rule's name
  absl::Time due;
  std::string message;
  Channel channel = revisit::common::v1::CHANNEL_UNSPECIFIED;
};

// The configured windows the deciders need.
struct TouchPolicy {
  absl::Duration cap_window = absl::Hours(24 * 7);       // R6: sends that count
  absl::Duration revisit_window = absl::Hours(24 * 14);  // R12: marks that can be credited
};

// A touch keeps at most this many steps (the first and the latest).
inline constexpr int kMaxTouchSteps = 16;
// A record keeps at most this many attribution marks (R12), the newest.
inline constexpr int kMaxMarks = 16;

// The event summary of a touch.
revisit::outreach::v1::TouchFacts FactsOf(const revisit::outreach::v1::Touch& t);
// True for SCHEDULED and DEFERRED.
bool IsPending(const revisit::outreach::v1::Touch& t);

// A new touch for (customer, spec.trigger, spec.source_id) with ID `touch_id`;
// `existing` is the touch already stored under that ID (refused: one per triple).
absl::StatusOr<TouchEffects> DecideSchedule(const store::CustomerState& c,
                                            const revisit::outreach::v1::Touch* existing,
                                            const std::string& touch_id, const TouchSpec& spec,
                                            const TriggerRule& rule, absl::Time now);
// `cause`: why (R6); a COMPLAINT_HOLD is released when no complaint is open.
absl::StatusOr<TouchEffects> DecideDefer(const store::CustomerState& c,
                                         const revisit::outreach::v1::Touch& t, absl::Time until,
                                         const std::string& reason, store::DeferCause cause,
                                         absl::Time now);
absl::StatusOr<TouchEffects> DecideRelease(const store::CustomerState& c,
                                           const revisit::outreach::v1::Touch& t,
                                           const std::string& reason, absl::Time now);
// True when `ref` waits for the customer's open complaints to close (R6): its
// defer_cause is COMPLAINT_HOLD, or, stored before defer_cause existed (unspecified),
// its legacy `held` flag is set.
bool HeldByComplaint(const store::PendingRef& ref);
absl::StatusOr<TouchEffects> DecideRearm(const store::CustomerState& c,
                                         const revisit::outreach::v1::Touch& t);
// `holdout`: the control group (R12) — a mark is kept so its revisits count.
absl::StatusOr<TouchEffects> DecideSuppress(const store::CustomerState& c,
                                            const revisit::outreach::v1::Touch& t,
                                            const std::string& reason, bool holdout,
                                            absl::Time now);
// Delivered on `channel` with `message`; `voucher_id` (R7, R3) when one was issued.
absl::StatusOr<TouchEffects> DecideSend(const store::CustomerState& c,
                                        const revisit::outreach::v1::Touch& t, Channel channel,
                                        const std::string& message,
                                        const std::string& voucher_id, const TouchPolicy& policy,
                                        absl::Time now);
absl::StatusOr<TouchEffects> DecideFail(const store::CustomerState& c,
                                        const revisit::outreach::v1::Touch& t,
                                        const std::string& error, const std::string& voucher_id,
                                        absl::Time now);
absl::StatusOr<TouchEffects> DecideCancel(const store::CustomerState& c,
                                          const revisit::outreach::v1::Touch& t,
                                          const std::string& reason, absl::Time now);
// OK when sent touch `t` can still take the customer's answer (R1, R11, C10: once):
// the edge asks before it opens a complaint for a low rating (R11).
absl::Status CanRecordFeedback(const revisit::outreach::v1::Touch& t);
// R1/R11: the customer's answer to a sent touch, recorded once; `complaint_id` the
// complaint a low rating opened (R11), if any. A follow-up's answer also publishes
// follow_up_recorded for the complaint service (C10, with the resolution it is about).
absl::StatusOr<TouchEffects> DecideFeedback(const store::CustomerState& c,
                                            const revisit::outreach::v1::Touch& t,
                                            const revisit::outreach::v1::Feedback& feedback,
                                            const std::string& complaint_id, absl::Time now);

// R12: a paid order `order_id` placed at `ordered_at` credits the latest
// non-transactional mark within the window (attribution.h) with `revenue_minor`.
struct RevisitCredit {
  store::CustomerState customer;
  std::vector<CampaignCount> counts;
  // The credited touch when it was sent (not holdout): it gets revisit_attributed
  // (credit) or attribution_reversed (take-back).
  std::optional<std::string> touch_id;
  // Take-back only: the revenue taken back, and whether the revisit itself was.
  int64_t revenue_taken_minor = 0;
  bool revisit_reversed = false;
};
// nullopt when no mark qualifies.
std::optional<RevisitCredit> DecideRevisitCredit(const store::CustomerState& c,
                                                 const std::string& order_id,
                                                 absl::Time ordered_at, int64_t revenue_minor,
                                                 const TouchPolicy& policy);
// R12: a refund of `order_id` (this one `refund_minor`; the order's refunded total and
// paid amount after it) takes back the credit of the mark it was attributed to, while
// that mark is kept (within the window): the refunded revenue (TakeBackCredit), and on
// a full refund the revisit itself (the mark uncredited, so a later paid order may be
// credited; the customer's campaign revisit flag cleared unless another credited mark
// of that campaign keeps it). nullopt when nothing changes. touch_id: the credited
// sent touch (not holdout), which gets attribution_reversed (DecideAttributionReversed).
std::optional<RevisitCredit> DecideRevisitTakeBack(const store::CustomerState& c,
                                                   const std::string& order_id,
                                                   int64_t refund_minor,
                                                   int64_t refunded_total_minor,
                                                   int64_t paid_minor);
// The attribution_reversed event of the sent touch `t` whose credit refund
// `refund_id` of `order_id` took back: `revenue_minor`, and the revisit itself when
// `revisit_reversed` (R12; DecideRevisitTakeBack's revenue_taken_minor, revisit_reversed).
absl::StatusOr<TouchEffects> DecideAttributionReversed(const store::CustomerState& c,
                                                       const revisit::outreach::v1::Touch& t,
                                                       const std::string& order_id,
                                                       const std::string& refund_id,
                                                       int64_t revenue_minor, bool revisit_reversed);
// The revisit_attributed event of the credited sent touch `t`.
absl::StatusOr<TouchEffects> DecideRevisit(const store::CustomerState& c,
                                           const revisit::outreach::v1::Touch& t,
                                           const std::string& order_id, absl::Time ordered_at);

// The record as it is stored: marks older than the revisit window dropped, at most
// kMaxMarks of the newest kept (R12); first_seen set on a new record (R9).
store::CustomerState BoundRecord(store::CustomerState c, bool is_new, const TouchPolicy& policy,
                                 absl::Time now);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_DECIDE_H_
