// Deciders for ownership: assign, reassign and take a complaint; an SLA breach puts
// it in the supervisor queue (decide_other.cc) and a supervisor takes it out.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"
#include "common/text.h"

namespace revisit::complaint {

namespace {

absl::Status CheckActive(const v1::Complaint& c, const std::string& action) {
  if (IsActive(c.state())) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("complaint is ", StateName(c.state()), ": cannot ", action,
                                                    " (only an active complaint is worked)"));
}

// Records an ownership step without a state change: who, when, why.
void Note(v1::Complaint& c, const std::string& action, const common::v1::Actor& actor, absl::Time now,
          const std::string& reason) {
  v1::Transition* t = c.add_history();
  t->set_from(c.state());
  t->set_to(c.state());
  t->set_action(action);
  *t->mutable_actor() = actor;
  *t->mutable_at() = ToProto(now);
  t->set_reason(reason);
}

std::string Owner(const std::string& agent, const std::string& team) {
  return absl::StrCat(agent.empty() ? "nobody" : agent, team.empty() ? "" : " in team " + team);
}

}  // namespace

absl::StatusOr<Effects> DecideAssign(const v1::Complaint& c, const v1::AssignComplaintRequest& req,
                                     const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("agent_id", req.agent_id(), 0, 128));
  RETURN_IF_ERROR(ValidateText("team", req.team(), 0, 64));
  if (req.agent_id().empty() && req.team().empty()) {
    return absl::InvalidArgumentError("agent_id/team: name an agent, a team or both");
  }
  RETURN_IF_ERROR(CheckActive(c, "assign"));
  const std::string team = req.team().empty() ? c.team() : req.team();
  Effects e = Begin(c);
  if (req.agent_id() == c.assignee() && team == c.team()) return e;  // already so
  e.complaint.set_assignee(req.agent_id());
  e.complaint.set_team(team);
  Note(e.complaint, "assign", req.actor(), now,
       absl::StrCat("assigned to ", Owner(req.agent_id(), team), ", was ", Owner(c.assignee(), c.team())));
  v1::ComplaintAssigned ev;
  ev.set_agent_id(req.agent_id());
  ev.set_team(team);
  ev.set_previous_agent_id(c.assignee());
  ev.set_previous_team(c.team());
  Emit(e, "assigned", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

absl::StatusOr<Effects> DecideTake(const v1::Complaint& c, const v1::TakeComplaintRequest& req, const Policies& p,
                                   absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(CheckActive(c, "take"));
  const bool supervisor = p.authority.For(req.actor().role()).can_approve;
  const bool from_queue = c.in_supervisor_queue() && supervisor;
  Effects e = Begin(c);
  if (c.assignee() == req.actor().id() && !from_queue) return e;  // already theirs
  e.complaint.set_assignee(req.actor().id());
  if (from_queue) {
    e.complaint.set_in_supervisor_queue(false);
    e.complaint.set_escalation_taken_by(req.actor().id());
  }
  Note(e.complaint, "take", req.actor(), now,
       absl::StrCat("taken by ", req.actor().id(), from_queue ? " from the supervisor queue" : "",
                    c.assignee().empty() ? "" : ", was " + c.assignee()));
  v1::ComplaintTaken ev;
  ev.set_agent_id(req.actor().id());
  ev.set_previous_agent_id(c.assignee());
  ev.set_from_supervisor_queue(from_queue);
  Emit(e, "taken", ev, req.actor());
  return Finish(c, std::move(e), p, now);
}

}  // namespace revisit::complaint
