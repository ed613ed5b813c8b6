// ComplaintReactions: what outreach does on the complaint service's lifecycle events.
//
//   opened/reopened      holds feedback requests (R6); reopened cancels the unsent
//                        follow-ups of earlier resolutions (C10)
//   closed               releases held touches (R6), cancels unsent follow-ups (C10)
//   rejected             the customer hears the refusal (C8); releases (R6)
//   ruling_recorded      a ruling with a remedy is told (C12)
//   resolved             follow-up within 7 days (C10/R8), remedy done (C9)
//   follow_up_reminder_due  the one reminder after no answer (C10)
// Thread-safety: thread-safe once registered (the handlers only read this object).
// Errors: as EventApplier (edge/event_applier.h).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_REACTIONS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_REACTIONS_H_

#include "absl/status/status.h"
#include "common/event_dispatch.h"
#include "revisit/complaint/v1/events.pb.h"
#include "services/outreach/edge/event_applier.h"

namespace revisit::outreach {

class ComplaintReactions {
 public:
  explicit ComplaintReactions(const EventApplier& apply) : apply_(apply) {}
  // Adds this producer's event types and their reactions to `d`; `d` calls back into
  // this object, which must outlive it.
  void Register(EventDispatch<absl::Status>& d);

 private:
  using Envelope = EventEnvelope;
  absl::Status OnOpened(const Envelope& e, const revisit::complaint::v1::ComplaintOpened& ev,
                        bool reopened) const;
  absl::Status OnClosed(const Envelope& e, const revisit::complaint::v1::ComplaintClosed& ev) const;
  absl::Status OnRejected(const Envelope& e,
                          const revisit::complaint::v1::ComplaintRejected& ev) const;
  absl::Status OnRuling(const Envelope& e,
                        const revisit::complaint::v1::PlatformRulingRecorded& ev) const;
  absl::Status OnReminderDue(const Envelope& e,
                             const revisit::complaint::v1::FollowUpReminderDue& ev) const;
  absl::Status OnResolved(const Envelope& e,
                          const revisit::complaint::v1::ComplaintResolved& ev) const;

  const EventApplier& apply_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_COMPLAINT_REACTIONS_H_
