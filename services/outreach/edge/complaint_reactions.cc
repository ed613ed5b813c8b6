#include "services/outreach/edge/complaint_reactions.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/event_dispatch.h"
#include "common/status.h"
#include "revisit/complaint/v1/events.pb.h"
#include "services/outreach/edge/complaint_steps.h"
#include "services/outreach/edge/message_facts.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_decide.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

namespace cv1 = revisit::complaint::v1;

namespace {

std::vector<std::string> ProductsOfOrder(const store::CustomerState& c, const std::string& order_id) {
  for (const auto& o : c.recent_orders())
    if (o.order_id() == order_id) return {o.products().begin(), o.products().end()};
  return {c.last_products().begin(), c.last_products().end()};
}

void RemoveComplaint(store::CustomerState& c, const std::string& id) {
  auto* open = c.mutable_open_complaints();
  for (int i = open->size() - 1; i >= 0; --i)
    if (open->Get(i) == id) open->DeleteSubrange(i, 1);
}

// Every held touch goes back on schedule once no complaint is open (R6).
absl::Status ReleaseHeld(TouchTxn& txn, const std::string& complaint_id) {
  if (txn.customer().open_complaints_size() > 0) return absl::OkStatus();
  std::vector<std::string> held;
  for (const auto& ref : txn.customer().pending())
    if (HeldByComplaint(ref)) held.push_back(ref.touch_id());
  for (const std::string& id : held) {
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(id));
    if (t != nullptr && t->state() == v1::TOUCH_STATE_DEFERRED)  // the table: release
      RETURN_IF_ERROR(
          txn.Release(t, absl::StrCat("released: complaint ", complaint_id, " no longer open")));
  }
  return absl::OkStatus();
}

// A reopened complaint is worked again and resolved again with its own follow-up
// (C10/R8): a follow-up touch of an earlier resolution not yet sent would ask about a
// result that no longer stands, so it is cancelled, and so is a reminder; a closed
// complaint needs neither (answered, or closed as no answer). Resolution n has a
// first touch, a reminder or both (a touch made before reminders existed, or a
// reminder whose first touch was already purged, still counts). Resolutions are numbered 1, 2, ...
// without gaps, so the walk stops at the first missing touch.
absl::Status CancelPendingFollowUps(TouchTxn& txn, const revisit::complaint::v1::ComplaintFacts& f,
                                    const std::string& why) {
  constexpr int kMaxResolutions = 100;
  for (int n = 1; n <= kMaxResolutions; ++n) {
    const std::string id = TouchId(f.customer_id(), v1::TRIGGER_COMPLAINT_FOLLOW_UP,
                                   FollowUpSource(f.complaint_id(), n));
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(id));
    const std::string reminder_id = TouchId(f.customer_id(), v1::TRIGGER_COMPLAINT_FOLLOW_UP,
                                            FollowUpSource(f.complaint_id(), n, /*reminder=*/true));
    ASSIGN_OR_RETURN(v1::Touch * r, txn.LoadTouch(reminder_id));
    if (t == nullptr && r == nullptr) break;
    for (v1::Touch* touch : {t, r}) {
      if (touch != nullptr && IsPending(*touch))
        RETURN_IF_ERROR(txn.Cancel(
            touch, absl::StrCat("superseded: complaint ", f.complaint_id(), " ", why, " (C10)")));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void ComplaintReactions::Register(EventDispatch<absl::Status>& d) {
  // Both opened and reopened payloads carry ComplaintFacts as field 1.
  d.On<cv1::ComplaintOpened>("revisit.complaint.opened.v1",
                             [this](const EventEnvelope& e, const cv1::ComplaintOpened& ev) {
                               return OnOpened(e, ev, /*reopened=*/false);
                             });
  d.On<cv1::ComplaintOpened>("revisit.complaint.reopened.v1",
                             [this](const EventEnvelope& e, const cv1::ComplaintOpened& ev) {
                               return OnOpened(e, ev, /*reopened=*/true);
                             });
  d.On<cv1::ComplaintClosed>("revisit.complaint.closed.v1",
                             [this](const EventEnvelope& e, const cv1::ComplaintClosed& ev) {
                               return OnClosed(e, ev);
                             });
  d.On<cv1::ComplaintRejected>("revisit.complaint.rejected.v1",
                               [this](const EventEnvelope& e, const cv1::ComplaintRejected& ev) {
                                 return OnRejected(e, ev);
                               });
  d.On<cv1::PlatformRulingRecorded>(
      "revisit.complaint.ruling_recorded.v1",
      [this](const EventEnvelope& e, const cv1::PlatformRulingRecorded& ev) {
        return OnRuling(e, ev);
      });
  d.On<cv1::FollowUpReminderDue>(
      "revisit.complaint.follow_up_reminder_due.v1",
      [this](const EventEnvelope& e, const cv1::FollowUpReminderDue& ev) {
        return OnReminderDue(e, ev);
      });
  d.On<cv1::ComplaintResolved>("revisit.complaint.resolved.v1",
                               [this](const EventEnvelope& e, const cv1::ComplaintResolved& ev) {
                                 return OnResolved(e, ev);
                               });
}

// An opened or reopened complaint is open again (R6 holds); a reopened one cancels
// its unsent follow-ups (C10).
absl::Status ComplaintReactions::OnOpened(const EventEnvelope& e, const cv1::ComplaintOpened& ev,
                                          bool reopened) const {
  const auto& f = ev.complaint();
  return apply_.Apply(e, f.customer_id(), [&](TouchTxn& txn) {
    RemoveComplaint(txn.customer(), f.complaint_id());
    txn.customer().add_open_complaints(f.complaint_id());
    txn.MarkCustomerDirty();
    if (reopened) return CancelPendingFollowUps(txn, f, "reopened");
    return absl::OkStatus();
  });
}

// A closed complaint cancels its unsent follow-ups (and reminder); the feedback
// requests it held are released (R6).
absl::Status ComplaintReactions::OnClosed(const EventEnvelope& e,
                                          const cv1::ComplaintClosed& ev) const {
  const auto& f = ev.complaint();
  return apply_.Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    RemoveComplaint(txn.customer(), f.complaint_id());
    txn.MarkCustomerDirty();
    RETURN_IF_ERROR(CancelPendingFollowUps(txn, f, "closed"));
    return ReleaseHeld(txn, f.complaint_id());
  });
}

// Rejected: the customer hears the refusal with its reason (C8), and the feedback
// requests the complaint held are released (R6).
absl::Status ComplaintReactions::OnRejected(const EventEnvelope& e,
                                            const cv1::ComplaintRejected& ev) const {
  const auto& f = ev.complaint();
  return apply_.Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    RemoveComplaint(txn.customer(), f.complaint_id());
    txn.MarkCustomerDirty();
    MessageFacts m;
    m.extra = ev.reason();
    RETURN_IF_ERROR(ScheduleComplaintStep(txn, e, f, v1::TRIGGER_COMPLAINT_REFUSED, std::move(m)));
    return ReleaseHeld(txn, f.complaint_id());
  });
}

// C12: a ruling that orders a remedy is told with it; a ruling that refuses reaches
// the customer as the refusal (rejected, in the same commit), not twice.
absl::Status ComplaintReactions::OnRuling(const EventEnvelope& e,
                                          const cv1::PlatformRulingRecorded& ev) const {
  if (!ev.has_remedy() || ev.remedy().kind() == cv1::REMEDY_KIND_UNSPECIFIED)
    return absl::OkStatus();
  return apply_.Apply(e, ev.complaint().customer_id(), [&](TouchTxn& txn) {
    MessageFacts m;
    m.extra = ev.ruling();
    m.remedy = ev.remedy();
    return ScheduleComplaintStep(txn, e, ev.complaint(), v1::TRIGGER_COMPLAINT_RULING, std::move(m));
  });
}

// C10: no answer to the follow-up: one reminder touch, sent now (quiet hours apply).
absl::Status ComplaintReactions::OnReminderDue(const EventEnvelope& e,
                                               const cv1::FollowUpReminderDue& ev) const {
  const auto& f = ev.complaint();
  return apply_.Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    MessageFacts m = FactsFor(apply_.config(), txn.customer());
    m.products = ProductsOfOrder(txn.customer(), f.order_id());
    m.complaint_id = f.complaint_id();
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_COMPLAINT_FOLLOW_UP;
    spec.source_id = FollowUpSource(f.complaint_id(), ev.resolution(), /*reminder=*/true);
    spec.due = e.time;
    spec.message = Compose(apply_.config(), spec.trigger, m, "complaint_reminder");
    return txn.Schedule(spec).status();
  });
}

// C10/R8: one follow-up per resolution, within 7 days; C9: the remedy carried out.
absl::Status ComplaintReactions::OnResolved(const EventEnvelope& e,
                                            const cv1::ComplaintResolved& ev) const {
  const auto& f = ev.complaint();
  const absl::Time resolved = ev.has_resolved_at() ? FromProto(ev.resolved_at()) : e.time;
  return apply_.Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    MessageFacts m = FactsFor(apply_.config(), txn.customer());
    m.products = ProductsOfOrder(txn.customer(), f.order_id());
    m.complaint_id = f.complaint_id();
    TouchSpec spec;
    spec.trigger = v1::TRIGGER_COMPLAINT_FOLLOW_UP;
    // C10/R8: one follow-up per resolution; a redelivery maps to the same touch.
    spec.source_id = FollowUpSource(f.complaint_id(), ev.resolution());
    spec.due = resolved + apply_.config().rules.For(spec.trigger).delay;  // C10: within 7 days
    spec.message = Compose(apply_.config(), spec.trigger, m);
    RETURN_IF_ERROR(txn.Schedule(spec).status());
    // C9: the customer hears the remedy was carried out (an apology was the remedy
    // itself: nothing more to announce).
    if (ev.remedy().kind() == cv1::REMEDY_KIND_UNSPECIFIED ||
        ev.remedy().kind() == cv1::REMEDY_KIND_APOLOGY)
      return absl::OkStatus();
    MessageFacts done;
    done.remedy = ev.remedy();
    return ScheduleComplaintStep(txn, e, f, v1::TRIGGER_COMPLAINT_REMEDY_DONE, std::move(done));
  });
}

}  // namespace revisit::outreach
