// Shared helpers of the deciders (decide.h, decide_internal.h).
#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"

namespace revisit::complaint {

std::string DeadlineTimerId(const std::string& complaint_id, const std::string& deadline) {
  return absl::StrCat(complaint_id, "|", deadline);
}

std::string ExecutionTimerId(const std::string& complaint_id) {
  return absl::StrCat(complaint_id, "|exec");
}

absl::StatusOr<std::pair<std::string, std::string>> SplitTimerId(const std::string& id) {
  std::vector<std::string> parts = absl::StrSplit(id, absl::MaxSplits('|', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return absl::InvalidArgumentError(absl::StrCat("timer id ", Excerpt(id), " is not <complaint>|<what>"));
  }
  return std::make_pair(parts[0], parts[1]);
}

bool OrderOptional(v1::Cause stated_cause) {
  return stated_cause == v1::CAUSE_STAFF_ATTITUDE || stated_cause == v1::CAUSE_EXPECTATION_GAP;
}

bool NeedsOrder(v1::RemedyKind k) {
  return k == v1::REMEDY_KIND_FULL_REFUND || k == v1::REMEDY_KIND_PARTIAL_REFUND ||
         k == v1::REMEDY_KIND_EXCHANGE || k == v1::REMEDY_KIND_REPAIR;
}

v1::ComplaintFacts FactsOf(const v1::Complaint& c, const common::v1::Actor& actor) {
  v1::ComplaintFacts f;
  f.set_complaint_id(c.complaint_id());
  f.set_customer_id(c.customer_id());
  f.set_order_id(c.order_id());
  *f.mutable_skus() = c.skus();
  f.set_stated_cause(c.stated_cause());
  f.set_determined_cause(c.determined_cause());
  f.set_state(c.state());
  f.set_priority(c.priority());
  *f.mutable_opened_at() = c.opened_at();
  *f.mutable_actor() = actor;
  f.set_assignee(c.assignee());
  f.set_team(c.team());
  return f;
}

absl::StatusOr<std::vector<order::v1::OrderLine>> LinesOf(
    const order::v1::OrderFacts& order, const google::protobuf::RepeatedPtrField<std::string>& ids,
    const std::string& field) {
  std::vector<order::v1::OrderLine> out;
  for (int i = 0; i < ids.size(); ++i) {
    const order::v1::OrderLine* found = nullptr;
    for (const auto& l : order.lines()) {
      if (l.line_id() == ids[i]) found = &l;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(field, "[", i, "]: order ", order.order_id(),
                                                     " has no line ", Excerpt(ids[i])));
    }
    out.push_back(*found);
  }
  return out;
}

LineFacts LineFactsOf(const order::v1::OrderFacts& order, const order::v1::OrderLine& line,
                      int extra_warranty_days, const v1::OrderTerms* terms) {
  LineFacts f;
  f.extra_warranty_days = extra_warranty_days;
  if (terms) {
    auto it = terms->lines().find(line.line_id());
    if (it != terms->lines().end()) f.recorded = RuleOf(it->second);  // O8
  }
  f.sku = line.sku();
  f.category = line.category();
  f.discounted = line.discounted();
  f.free_gift = line.free_gift();
  f.defect_disclosed = line.defect_disclosed();
  f.delivered_at = OptionalTime(order.delivered_at());
  f.inspected_on_receipt = order.inspected_on_receipt();
  return f;
}

namespace internal {

absl::Status ValidateActor(const common::v1::Actor& actor) {
  if (actor.id().empty()) return absl::InvalidArgumentError("actor.id: required (who acts, C2)");
  if (actor.id().size() > 128) return absl::InvalidArgumentError("actor.id: at most 128 characters");
  if (actor.role().size() > 64) return absl::InvalidArgumentError("actor.role: at most 64 characters");
  return absl::OkStatus();
}

int NextRemedyNumber(const v1::Complaint& c) {
  int max = 0;
  for (const auto& r : c.proposals()) {
    int n = 0;
    if (r.remedy_id().size() > 1 && absl::SimpleAtoi(r.remedy_id().substr(1), &n)) max = std::max(max, n);
  }
  return max + 1;
}

}  // namespace internal

int ResolutionCount(const v1::Complaint& c) {
  int n = 0;
  // Steps without a state change (an SLA breach, a follow-up reminder) are not resolutions.
  for (const auto& t : c.history()) n += t.to() == v1::COMPLAINT_STATE_RESOLVED && t.from() != t.to();
  return n;
}

namespace internal {

Effects Begin(const v1::Complaint& c) {
  Effects e;
  e.complaint = c;
  return e;
}

absl::Status Step(Effects& e, Action action, const common::v1::Actor& actor, absl::Time now,
                  const std::string& reason) {
  const ComplaintState from = e.complaint.state();
  auto next = NextState(from, action);
  if (!next.ok()) return next.status();
  e.complaint.set_state(*next);
  v1::Transition* t = e.complaint.add_history();
  t->set_from(from);
  t->set_to(*next);
  t->set_action(ActionName(action));
  *t->mutable_actor() = actor;
  *t->mutable_at() = ToProto(now);
  t->set_reason(reason);
  return absl::OkStatus();
}

common::v1::Actor SystemActor() {
  common::v1::Actor a;
  a.set_id("complaint-service");
  a.set_role("system");
  return a;
}

void SyncDeadlineTimers(const v1::Complaint& before, Effects& e) {
  std::map<std::string, const v1::Deadline*> old;
  for (const auto& d : before.deadlines()) old[d.name()] = &d;
  const std::string& id = e.complaint.complaint_id();
  for (const auto& d : e.complaint.deadlines()) {
    auto it = old.find(d.name());
    const bool was_running = it != old.end() && IsRunning(*it->second);
    if (IsRunning(d)) {
      if (!was_running || it->second->due_at().SerializeAsString() != d.due_at().SerializeAsString()) {
        e.timers.push_back({DeadlineTimerId(id, d.name()), FromProto(d.due_at())});
      }
    } else if (was_running) {
      e.timers.push_back({DeadlineTimerId(id, d.name()), std::nullopt});
    }
  }
}

namespace {

// The outcome of a closed complaint (C11): the executed remedy kind, none when rejected.
v1::RemedyKind Outcome(const v1::Complaint& c) {
  auto remedy = AcceptedRemedy(c);
  return c.state() == v1::COMPLAINT_STATE_REJECTED || !remedy.ok() ? v1::REMEDY_KIND_UNSPECIFIED : remedy->kind();
}

}  // namespace

absl::Status Close(Effects& e, const common::v1::Actor& actor, absl::Time now, const std::string& reason,
                   v1::ClosureReason why) {
  const v1::RemedyKind outcome = Outcome(e.complaint);
  RETURN_IF_ERROR(Step(e, Action::kClose, actor, now, reason));
  SettleOpenDeadlines(e.complaint, now);
  e.complaint.set_closure_reason(why);
  v1::ComplaintClosed ev;
  ev.set_outcome(outcome);
  ev.set_reason(why);
  Emit(e, "closed", ev, actor);  // C11: cause and outcome for learning
  return absl::OkStatus();
}

void SyncSlaPause(Effects& e, const Policies& p, absl::Time now) {
  v1::Complaint& c = e.complaint;
  const v1::SlaPauseReason want = PauseReasonFor(c.state());
  const v1::SlaPauseReason have = c.has_sla_pause() ? c.sla_pause().reason() : v1::SLA_PAUSE_REASON_UNSPECIFIED;
  if (want == have) return;
  if (have != v1::SLA_PAUSE_REASON_UNSPECIFIED) {
    auto [ended, resumed] = ResumeClock(c, p.sla, now);
    v1::SlaResumed ev;
    *ev.mutable_pause() = ended;
    for (auto& d : resumed) *ev.add_deadlines() = std::move(d);
    Emit(e, "sla_resumed", ev, SystemActor());
  }
  if (want != v1::SLA_PAUSE_REASON_UNSPECIFIED) {
    std::vector<v1::Deadline> paused = PauseClock(c, want, now);
    v1::SlaPaused ev;
    *ev.mutable_pause() = c.sla_pause();
    for (auto& d : paused) *ev.add_deadlines() = std::move(d);
    Emit(e, "sla_paused", ev, SystemActor());
  }
}

Effects Finish(const v1::Complaint& before, Effects e, const Policies& p, absl::Time now) {
  SyncSlaPause(e, p, now);
  SyncDeadlineTimers(before, e);
  return e;
}

}  // namespace internal
}  // namespace revisit::complaint
