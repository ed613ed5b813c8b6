#include "services/outreach/domain/touch_due.h"

#include <vector>

#include "common/proto_time.h"

namespace revisit::outreach {

Candidate CandidateOf(const store::PendingRef& ref) {
  Candidate c;
  c.touch_id = ref.touch_id();
  c.trigger = static_cast<Trigger>(ref.trigger());
  c.due = absl::FromUnixMillis(ref.due_ms());
  c.holdout = ref.holdout();
  c.channel = static_cast<Channel>(ref.channel());
  return c;
}

namespace {

// The touch and its competitors as the measure sees them; a touch missing from the
// index (should not happen) is decided alone, without a holdout draw.
Candidate TargetOf(const store::CustomerState& c, const v1::Touch& t,
                   std::vector<Candidate>& all) {
  std::optional<Candidate> target;
  for (const auto& ref : c.pending()) {
    all.push_back(CandidateOf(ref));
    if (ref.touch_id() == t.touch_id()) target = all.back();
  }
  if (target) return *target;
  Candidate alone;
  alone.touch_id = t.touch_id();
  alone.trigger = t.trigger();
  alone.due = FromProto(t.due_at());
  alone.channel = t.channel();
  return alone;
}

}  // namespace

absl::StatusOr<DueVerdict> DecideDue(const store::CustomerState& c, const v1::Touch& t,
                                     const RulesTable& rules, const MeasurePolicy& measure,
                                     const CustomerView& who, absl::Time now) {
  DueVerdict v;
  if (!IsPending(t)) return v;  // decided already
  if (FromProto(t.due_at()) > now) {
    absl::StatusOr<TouchEffects> rearm = DecideRearm(c, t);
    if (!rearm.ok()) return rearm.status();
    v.effects = *std::move(rearm);
    return v;
  }
  std::vector<Candidate> all;
  const Candidate target = TargetOf(c, t, all);
  const Decision d = Decide(rules, measure, who, target, all, now);
  absl::StatusOr<TouchEffects> e;
  switch (d.kind) {
    case Decision::Kind::kSend:
      v.send = d;
      return v;
    case Decision::Kind::kDefer:
      e = DecideDefer(c, t, d.until, d.reason, d.cause, now);
      break;
    case Decision::Kind::kSuppress:
      e = DecideSuppress(c, t, d.reason, target.holdout, now);
      break;
  }
  if (!e.ok()) return e.status();
  v.effects = *std::move(e);
  return v;
}

}  // namespace revisit::outreach
