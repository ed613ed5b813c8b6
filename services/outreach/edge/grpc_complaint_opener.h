// GrpcComplaintOpener: opens the complaint a low rating is (R11) through
// complaint.OpenComplaint, once (request_id "<touch_id>:complaint").
// Thread-safety: thread-safe (gRPC stubs are).
// Errors: UNAVAILABLE when the peer has no address or stays unreachable after the
// retries (CallWithRetry); the peer's own refusal.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_GRPC_COMPLAINT_OPENER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_GRPC_COMPLAINT_OPENER_H_

#include <memory>
#include <string>

#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "services/outreach/edge/peers.h"

namespace revisit::outreach {

class GrpcComplaintOpener : public ComplaintOpener {
 public:
  explicit GrpcComplaintOpener(const OutreachConfig& config);
  absl::StatusOr<std::string> OpenFromRating(const v1::Touch& touch,
                                             const v1::Feedback& feedback) override;

 private:
  CallPolicy policy_;
  std::unique_ptr<complaint::v1::ComplaintService::Stub> stub_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_GRPC_COMPLAINT_OPENER_H_
