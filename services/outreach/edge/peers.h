// Calls to the other services, behind small interfaces so the dispatcher and the
// feedback path can be tested without them (the implementations, one per pair):
//   ContactSource (channel_adapter.h)  order_contact_source.h: order.GetCustomer,
//                        contact details at send time only (R10/R6)
//   VoucherIssuer        loyalty_voucher_issuer.h: loyalty.IssueVoucher, a real
//                        win-back voucher (R7) or birthday gift (R3)
//   ComplaintOpener      grpc_complaint_opener.h: complaint.OpenComplaint, a low rating
//                        opens one (R11)
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

// Settings every peer call shares: the configured deadline, three attempts.
CallPolicy PeerCallPolicy(const OutreachConfig& config);
// UNAVAILABLE: the peer `what` has no address (`var` is empty).
absl::Status PeerNotConfigured(const char* what, const char* var);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_PEERS_H_
