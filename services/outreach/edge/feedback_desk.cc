#include "services/outreach/edge/feedback_desk.h"

#include "absl/strings/str_cat.h"
#include "common/idempotent.h"
#include "services/outreach/domain/request_checks.h"
#include "services/outreach/edge/touch_request.h"

namespace revisit::outreach {

FeedbackDesk::FeedbackDesk(const OutreachConfig& config, OutreachStore& store, const Clock& clock,
                           ComplaintOpener& complaints)
    : config_(config), store_(store), clock_(clock), complaints_(complaints) {}

absl::Status FeedbackDesk::Record(const v1::RecordFeedbackRequest& req,
                                  v1::RecordFeedbackResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateTouchId("touch_id", req.touch_id()));
  const int rating = req.feedback().rating();
  if (rating < 1 || rating > 5)
    return absl::InvalidArgumentError(absl::StrCat("feedback.rating: must be 1..5, got ", rating));
  RETURN_IF_ERROR(ValidateText("feedback.comment", req.feedback().comment(), 0, 2000));
  ASSIGN_OR_RETURN(auto touch, store_.GetTouch(req.touch_id(), "touch_id"));
  const std::string customer_id = touch.customer_id();
  const std::string key = RequestKey(ShardOf(customer_id), "RecordFeedback", req.request_id());
  ASSIGN_OR_RETURN(bool prior, ReadPriorResponse(store_.redis(), key, req, resp));
  if (prior) return absl::OkStatus();
  RETURN_IF_ERROR(CanRecordFeedback(touch));  // before R11 opens a complaint
  const bool follow_up = touch.trigger() == v1::TRIGGER_COMPLAINT_FOLLOW_UP;
  std::string complaint_id;
  if (rating <= 2 && !follow_up) {
    // R11: a low rating is a complaint that was not filed. The request_id derived from
    // the touch makes the complaint service open it once, however often we retry.
    ASSIGN_OR_RETURN(complaint_id, complaints_.OpenFromRating(touch, req.feedback()));
  }
  return RunTouchRequest<v1::RecordFeedbackResponse>(
      store_, config_, clock_, req, customer_id, "RecordFeedback", req.request_id(), resp,
      [&](TouchTxn& txn, v1::RecordFeedbackResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(req.touch_id()));
        if (t == nullptr) return absl::NotFoundError("touch_id: not found");
        // R1, R11; C10: a follow-up's answer also goes to the complaint service.
        RETURN_IF_ERROR(txn.RecordFeedback(t, req.feedback(), complaint_id));
        *r->mutable_touch() = *t;
        return absl::OkStatus();
      });
}

}  // namespace revisit::outreach
