// Calls to the other services, behind small interfaces so the dispatcher and the
// feedback path can be tested without them:
//   OrderContactSource   order.GetCustomer: contact details at send time only (R10/R6)
//   VoucherIssuer        loyalty.IssueVoucher: a real win-back voucher (R7)
//   ComplaintOpener      complaint.OpenComplaint: a low rating opens one (R11)
// Every call has a deadline, retries only retryable codes (CallWithRetry) and
// carries a deterministic request_id derived from the touch, so a retry or a
// re-run never issues a second voucher or opens a second complaint.
// Thread-safety: thread-safe (gRPC stubs are).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_PEERS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_PEERS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/grpc_client.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "services/outreach/edge/channel_adapter.h"
#include "services/outreach/domain/messages.h"  // FormatMoney
#include "services/outreach/outreach_config.h"

namespace revisit::outreach {

// A voucher as the message names it.
struct IssuedVoucher {
  std::string voucher_id;
  std::string description;  // "CNY 20.00 voucher vch-..."
};

class VoucherIssuer {
 public:
  virtual ~VoucherIssuer() = default;
  // Issues (or returns the already issued) voucher for `touch`: win-back (R7) or,
  // for a TRIGGER_BIRTHDAY touch, the birthday gift (R3).
  virtual absl::StatusOr<IssuedVoucher> IssueWinBack(const v1::Touch& touch, absl::Time now) = 0;
};

class ComplaintOpener {
 public:
  virtual ~ComplaintOpener() = default;
  // Opens (once, request_id "<touch_id>:complaint") a complaint for a low rating;
  // returns its ID.
  virtual absl::StatusOr<std::string> OpenFromRating(const v1::Touch& touch,
                                                     const v1::Feedback& feedback) = 0;
};

class OrderContactSource : public ContactSource {
 public:
  explicit OrderContactSource(const OutreachConfig& config);
  absl::StatusOr<Contact> Fetch(const std::string& customer_id, Channel channel) override;

 private:
  CallPolicy policy_;
  std::unique_ptr<order::v1::OrderService::Stub> stub_;
};

class LoyaltyVoucherIssuer : public VoucherIssuer {
 public:
  explicit LoyaltyVoucherIssuer(const OutreachConfig& config);
  absl::StatusOr<IssuedVoucher> IssueWinBack(const v1::Touch& touch, absl::Time now) override;

 private:
  const OutreachConfig& config_;
  CallPolicy policy_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> stub_;
};

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

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_PEERS_H_
