// Care with measure (R6): the pure decision whether a due touch is sent now,
// deferred to the next allowed time, or suppressed.
//
// Checks, in order: holdout group (R12) → suppressed; consent per channel → a
// channel or suppressed; open complaint for feedback/review requests → deferred
// (held) until re-check; quiet hours in the customer's own IANA time zone →
// deferred to the end of the quiet window (daylight-saving aware); frequency cap
// across non-transactional touches (default 2 per 7 days) → the touch takes a slot
// in priority order among the customer's competing due touches, or is deferred to
// the time the slot it waits for frees. A deferral is never a drop: the touch is
// decided again at its new time.
// Thread-safety: pure functions over values.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_MEASURE_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_MEASURE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/outreach/domain/rules.h"
#include "services/outreach/store/outreach_state.pb.h"

namespace revisit::outreach {

// Quiet hours as minutes of the local day; start > end wraps midnight (21:00-09:00).
struct QuietHours {
  int start_minute = 21 * 60;
  int end_minute = 9 * 60;
};

// True when local time `t` in `tz` falls in `quiet`.
bool InQuietHours(absl::Time t, const absl::TimeZone& tz, const QuietHours& quiet);

// `t` when it is outside quiet hours, else the first instant at which the quiet
// window ends in `tz` (for an end time skipped by a DST jump, the instant the clock
// jumps to).
absl::Time NextOutsideQuietHours(absl::Time t, const absl::TimeZone& tz,
                                 const QuietHours& quiet);

// The measure settings (all configurable).
struct MeasurePolicy {
  int cap = 2;                                   // non-transactional touches per window
  absl::Duration cap_window = absl::Hours(24 * 7);
  QuietHours quiet;
  absl::Duration hold_recheck = absl::Hours(24);  // re-check of a complaint hold
  absl::Duration contention_retry = absl::Minutes(1);
};

// What outreach knows of the customer when deciding.
struct CustomerView {
  absl::TimeZone tz;
  // Explicit consent per channel; a channel not listed has no consent.
  std::map<Channel, bool> consent;
  // Open complaint IDs (from complaint events); empty when none.
  std::vector<std::string> open_complaints;
  // Send times of non-transactional touches (any age; only the cap window counts).
  std::vector<absl::Time> non_transactional_sent;
};

// A touch that wants to go out.
struct Candidate {
  std::string touch_id;
  Trigger trigger = revisit::outreach::v1::TRIGGER_UNSPECIFIED;
  absl::Time due;
  bool holdout = false;
  // A channel asked for explicitly (manual touches); UNSPECIFIED uses the rule's list.
  Channel channel = revisit::common::v1::CHANNEL_UNSPECIFIED;
};

struct Decision {
  enum class Kind { kSend, kDefer, kSuppress };
  Kind kind = Kind::kSend;
  Channel channel = revisit::common::v1::CHANNEL_UNSPECIFIED;
  absl::Time until;    // kDefer: when to decide again
  // kDefer: why (cap, quiet hours, complaint hold), explicit: the reason is for people.
  store::DeferCause cause = store::DEFER_CAUSE_UNSPECIFIED;
  std::string reason;  // kDefer/kSuppress: why, for the event and the touch's steps
};

// The channel for `c`: the first channel consented; for transactional touches the
// first one not explicitly refused; UNSPECIFIED when none qualifies.
Channel ChooseChannel(const TriggerRule& rule, const Candidate& c, const CustomerView& who);

// Decides `target` at `now`. `competitors` are the customer's other pending touches
// (any due time); those due by `now` compete with `target` for cap slots in priority
// order (rule priority, then due time, then touch ID).
Decision Decide(const RulesTable& rules, const MeasurePolicy& policy, const CustomerView& who,
                const Candidate& target, const std::vector<Candidate>& competitors,
                absl::Time now);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_MEASURE_H_
