#include "services/outreach/edge/grpc_complaint_opener.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

GrpcComplaintOpener::GrpcComplaintOpener(const OutreachConfig& config)
    : policy_(PeerCallPolicy(config)) {
  if (!config.complaint_address.empty())
    stub_ = complaint::v1::ComplaintService::NewStub(MakeChannel(config.complaint_address));
}

absl::StatusOr<std::string> GrpcComplaintOpener::OpenFromRating(const v1::Touch& touch,
                                                                const v1::Feedback& feedback) {
  if (!stub_) return PeerNotConfigured("complaint service", "REVISIT_COMPLAINT_ADDR");
  complaint::v1::OpenComplaintRequest req;
  req.set_request_id(touch.touch_id() + ":complaint");
  req.mutable_actor()->set_id("outreach");
  req.mutable_actor()->set_role("system");
  req.set_customer_id(touch.customer_id());
  // R11: any touch's low rating; the order when the touch is about one. An expectation
  // gap is a complaint the complaint service takes without an order.
  req.set_order_id(OrderIdOf(touch));
  req.set_stated_cause(complaint::v1::CAUSE_EXPECTATION_GAP);
  req.set_account(absl::StrCat("Rated ", feedback.rating(), "/5 in reply to \"", touch.message(),
                               "\"", feedback.comment().empty() ? "" : ": ",
                               feedback.comment()));
  req.set_channel(touch.channel());
  req.set_source_touch_id(touch.touch_id());
  complaint::v1::OpenComplaintResponse resp;
  absl::Status st = CallWithRetry(policy_, "complaint.OpenComplaint", [&](grpc::ClientContext* ctx) {
    return stub_->OpenComplaint(ctx, req, &resp);
  });
  if (!st.ok()) return st;
  return resp.complaint().complaint_id();
}

}  // namespace revisit::outreach
