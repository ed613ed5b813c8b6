// The follow-up nobody answered (C10): one reminder, then closed as "followed up,
// no answer". The customer's silence is never the shop's SLA breach.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"
#include "common/proto_time.h"

namespace revisit::complaint {

namespace {

constexpr char kNoAnswer[] = "no answer from the customer (C10)";

// Records a step without a state change: who, when, why.
void Note(v1::Complaint& c, const std::string& action, absl::Time now, const std::string& reason) {
  v1::Transition* t = c.add_history();
  t->set_from(c.state());
  t->set_to(c.state());
  t->set_action(action);
  *t->mutable_actor() = SystemActor();
  *t->mutable_at() = ToProto(now);
  t->set_reason(reason);
}

void Remind(Effects& e, const Policies& p, absl::Time now) {
  v1::Complaint& c = e.complaint;
  MeetDeadline(c, kFollowUp, now);
  FindDeadline(c, kFollowUp)->set_note(kNoAnswer);
  const absl::Time answer_by = now + p.follow_up_reminder_wait;
  AddDeadline(c, kFollowUpReminder, answer_by, "answer to the follow-up reminder (C10)");
  Note(c, "follow_up_reminder", now, "no answer to the follow-up: reminded once (C10)");
  v1::FollowUpReminderDue ev;
  ev.set_resolution(ResolutionCount(c));
  *ev.mutable_answer_by() = ToProto(answer_by);
  Emit(e, "follow_up_reminder_due", ev, SystemActor());
}

absl::Status CloseUnanswered(Effects& e, absl::Time now) {
  v1::Complaint& c = e.complaint;
  MeetDeadline(c, kFollowUpReminder, now);
  FindDeadline(c, kFollowUpReminder)->set_note(kNoAnswer);
  RETURN_IF_ERROR(Step(e, Action::kFollowUpUnanswered, SystemActor(), now,
                       "followed up and reminded, no answer (C10)"));
  return Close(e, SystemActor(), now, "followed up, no answer: closed (C10)", v1::CLOSURE_REASON_FOLLOW_UP_NO_ANSWER);
}

}  // namespace

absl::StatusOr<std::optional<Effects>> DecideFollowUpSilence(const v1::Complaint& c, const std::string& deadline,
                                                             const Policies& p, absl::Time now) {
  if (deadline != kFollowUp && deadline != kFollowUpReminder) {
    return absl::InvalidArgumentError(absl::StrCat("deadline \"", deadline, "\" is not a follow-up window"));
  }
  if (c.state() != v1::COMPLAINT_STATE_RESOLVED || !IsDue(c, deadline, now)) return std::optional<Effects>();
  Effects e = Begin(c);
  if (deadline == kFollowUp) {
    Remind(e, p, now);
  } else {
    RETURN_IF_ERROR(CloseUnanswered(e, now));
  }
  return std::optional<Effects>(Finish(c, std::move(e), p, now));
}

}  // namespace revisit::complaint
