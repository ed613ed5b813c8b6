// Complaint steps the customer hears (issue 15): every customer-visible step of a
// complaint becomes one transactional touch, sent at once on the customer's
// consented channel (the dispatcher's channel choice, R6), exempt from caps, quiet
// hours per the trigger's rule (the acknowledgement is urgent, the rest wait).
//
//   complaint.acknowledged       complaint_acknowledged  apology (C3)
//   complaint.update_promised    complaint_update        when the answer comes (C7)
//   complaint.update_posted      complaint_update        the update itself (C7)
//   complaint.fulfilment_recorded complaint_update       a repair's progress (C9)
//   complaint.rejected           complaint_refused       the reason (C8, C12)
//   complaint.remedies_proposed  complaint_remedies      the choices (C6, C15)
//   complaint.ruling_recorded    complaint_ruling        ruling + ordered remedy (C12)
//   complaint.resolved           complaint_remedy_done   refund sent, ... (C9)
//
// One touch per event: the source is "<complaint ID>/<ce_id>", so a redelivered or
// replayed event maps to the same touch (TouchId) and the customer hears each step
// exactly once. The texts are the operator's templates (messages.conf, R10) in the
// customer's locale, one kind per step variant (domain/messages.h ComposeComplaintStep).
// ComplaintSteps registers the step events (acknowledged, update_promised/posted,
// fulfilment_recorded, remedies_proposed); ComplaintReactions schedules the steps of
// rejected, ruling_recorded and resolved with ScheduleComplaintStep in its own commit.
// Thread-safety: ComplaintSteps as EventApplier; the functions work on one TouchTxn.
// Errors: Redis errors from TouchTxn::Schedule.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_STEPS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_STEPS_H_

#include <string>

#include "absl/status/status.h"
#include "common/event_dispatch.h"
#include "common/event_envelope.h"
#include "revisit/complaint/v1/events.pb.h"
#include "services/outreach/domain/messages.h"
#include "services/outreach/edge/event_applier.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

// "<complaint_id>/<event_id>": the source of the step touch of one complaint event.
std::string ComplaintStepSource(const std::string& complaint_id, const std::string& event_id);

// Schedules the touch `trigger` for event `e` about complaint `f`, due at the event's
// time, with the message composed from `m` (products, complaint ID, the customer's
// locale and zone filled in here).
absl::Status ScheduleComplaintStep(TouchTxn& txn, const EventEnvelope& e,
                                   const revisit::complaint::v1::ComplaintFacts& f,
                                   Trigger trigger, MessageFacts m);

class ComplaintSteps {
 public:
  explicit ComplaintSteps(const EventApplier& apply) : apply_(apply) {}
  // Adds the step events to `d`; `d` calls back into this object, which must outlive it.
  void Register(EventDispatch<absl::Status>& d);

 private:
  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_STEPS_H_
