#include "services/outreach/domain/measure.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace revisit::outreach {
namespace {

int MinuteOfDay(const absl::CivilSecond& cs) { return cs.hour() * 60 + cs.minute(); }

bool QuietMinute(int m, const QuietHours& q) {
  if (q.start_minute == q.end_minute) return false;
  if (q.start_minute < q.end_minute) return m >= q.start_minute && m < q.end_minute;
  return m >= q.start_minute || m < q.end_minute;  // wraps midnight
}

std::string FormatLocal(absl::Time t, const absl::TimeZone& tz) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, tz);
}

bool HasOpenComplaintHold(const TriggerRule& rule, const CustomerView& who) {
  return rule.held_by_open_complaint && !who.open_complaints.empty();
}

// True when `c` would take a cap slot at `now`: due, not transactional, and not
// suppressed, held or in quiet hours itself.
bool CompetesForSlot(const RulesTable& rules, const MeasurePolicy& policy,
                     const CustomerView& who, const Candidate& c, absl::Time now) {
  const TriggerRule& rule = rules.For(c.trigger);
  if (c.due > now || rule.transactional || c.holdout) return false;
  if (ChooseChannel(rule, c, who) == revisit::common::v1::CHANNEL_UNSPECIFIED) return false;
  if (HasOpenComplaintHold(rule, who)) return false;
  if (rule.quiet_hours && InQuietHours(now, who.tz, policy.quiet)) return false;
  return true;
}

auto RankKey(const RulesTable& rules, const Candidate& c) {
  return std::make_tuple(rules.For(c.trigger).priority, c.due, c.touch_id);
}

Decision Defer(absl::Time until, store::DeferCause cause, std::string reason) {
  Decision d;
  d.kind = Decision::Kind::kDefer;
  d.until = until;
  d.cause = cause;
  d.reason = std::move(reason);
  return d;
}

Decision Suppress(std::string reason) {
  Decision d;
  d.kind = Decision::Kind::kSuppress;
  d.reason = std::move(reason);
  return d;
}

// The cap (R6): the target's rank among competing touches against the free slots.
Decision ApplyCap(const RulesTable& rules, const MeasurePolicy& policy, const CustomerView& who,
                  const Candidate& target, const std::vector<Candidate>& competitors,
                  absl::Time now, Decision send) {
  std::vector<absl::Time> in_window;
  for (absl::Time s : who.non_transactional_sent)
    if (s <= now && now - s < policy.cap_window) in_window.push_back(s);
  std::sort(in_window.begin(), in_window.end());
  int rank = 0;
  for (const Candidate& c : competitors) {
    if (c.touch_id == target.touch_id) continue;
    if (!CompetesForSlot(rules, policy, who, c, now)) continue;
    if (RankKey(rules, c) < RankKey(rules, target)) ++rank;
  }
  const int free_slots = policy.cap - static_cast<int>(in_window.size());
  if (rank < free_slots) return send;
  const int wait_for = rank - std::max(free_slots, 0);
  absl::Time until = now + policy.contention_retry;
  if (!in_window.empty())
    until = in_window[std::min<size_t>(wait_for, in_window.size() - 1)] + policy.cap_window;
  until = std::max(until, now + policy.contention_retry);
  if (rules.For(target.trigger).quiet_hours)
    until = NextOutsideQuietHours(until, who.tz, policy.quiet);
  return Defer(until, store::DEFER_CAUSE_CAP, absl::StrFormat("cap: %d non-transactional touches per %s reached (%d "
                                      "ahead in priority order); next slot %s",
                                      policy.cap, absl::FormatDuration(policy.cap_window),
                                      rank, FormatLocal(until, who.tz)));
}

}  // namespace

bool InQuietHours(absl::Time t, const absl::TimeZone& tz, const QuietHours& quiet) {
  return QuietMinute(MinuteOfDay(absl::ToCivilSecond(t, tz)), quiet);
}

absl::Time NextOutsideQuietHours(absl::Time t, const absl::TimeZone& tz,
                                 const QuietHours& quiet) {
  const absl::CivilSecond local = absl::ToCivilSecond(t, tz);
  const int m = MinuteOfDay(local);
  if (!QuietMinute(m, quiet)) return t;
  absl::CivilDay day(local);
  // In a wrapping window the evening part ends on the next calendar day.
  if (quiet.start_minute > quiet.end_minute && m >= quiet.start_minute) day += 1;
  const absl::CivilSecond end(day.year(), day.month(), day.day(), quiet.end_minute / 60,
                              quiet.end_minute % 60, 0);
  const absl::TimeZone::TimeInfo info = tz.At(end);
  // Skipped (spring forward): the jump itself; repeated (fall back): the first one.
  absl::Time result = info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
  return std::max(result, t);
}

Channel ChooseChannel(const TriggerRule& rule, const Candidate& c, const CustomerView& who) {
  std::vector<Channel> wanted = rule.channels;
  if (c.channel != revisit::common::v1::CHANNEL_UNSPECIFIED) wanted = {c.channel};
  for (Channel ch : wanted) {
    auto it = who.consent.find(ch);
    if (it != who.consent.end() && it->second) return ch;
  }
  if (rule.transactional) {
    for (Channel ch : wanted)
      if (who.consent.find(ch) == who.consent.end()) return ch;
  }
  return revisit::common::v1::CHANNEL_UNSPECIFIED;
}

Decision Decide(const RulesTable& rules, const MeasurePolicy& policy, const CustomerView& who,
                const Candidate& target, const std::vector<Candidate>& competitors,
                absl::Time now) {
  const TriggerRule& rule = rules.For(target.trigger);
  if (target.holdout) return Suppress("holdout group of the campaign (R12)");
  Decision send;
  send.channel = ChooseChannel(rule, target, who);
  if (send.channel == revisit::common::v1::CHANNEL_UNSPECIFIED)
    return Suppress(rule.transactional ? "consent: every channel refused (R6)"
                                       : "consent: no consented channel (R6)");
  if (HasOpenComplaintHold(rule, who))
    return Defer(now + policy.hold_recheck, store::DEFER_CAUSE_COMPLAINT_HOLD,
                 absl::StrCat("held: open complaint ", who.open_complaints.front(), " (R6)"));
  if (rule.quiet_hours && InQuietHours(now, who.tz, policy.quiet)) {
    const absl::Time until = NextOutsideQuietHours(now, who.tz, policy.quiet);
    return Defer(until, store::DEFER_CAUSE_QUIET_HOURS, absl::StrCat("quiet hours in ", who.tz.name(), " until ",
                                     FormatLocal(until, who.tz), " (R6)"));
  }
  if (rule.transactional) return send;
  return ApplyCap(rules, policy, who, target, competitors, now, send);
}

}  // namespace revisit::outreach
