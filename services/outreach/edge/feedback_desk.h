// FeedbackDesk: RecordFeedback of the outreach API (R1, R11, C10). The answer to a
// sent touch is recorded once (domain/touch_decide.h); a rating of 2 or less on a
// touch that is not a follow-up first opens one complaint (R11: the request_id
// derived from the touch makes the complaint service open it once, however often
// we retry); a follow-up's answer also publishes follow_up_recorded (C10).
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown touch;
// FAILED_PRECONDITION for a touch not sent or already answered; the complaint
// service's and Redis errors.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_FEEDBACK_DESK_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_FEEDBACK_DESK_H_

#include "common/clock.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/edge/peers.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

class FeedbackDesk {
 public:
  FeedbackDesk(const OutreachConfig& config, OutreachStore& store, const Clock& clock,
               ComplaintOpener& complaints);

  absl::Status Record(const v1::RecordFeedbackRequest& req, v1::RecordFeedbackResponse* resp);

 private:
  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
  ComplaintOpener& complaints_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_FEEDBACK_DESK_H_
