// LoyaltyVoucherIssuer: a real voucher from loyalty (loyalty.IssueVoucher) for a
// win-back touch (R7) or a birthday touch (R3), with request_id "<touch_id>:voucher"
// and times derived from the due time, so a retry never issues a second one.
// Thread-safety: thread-safe (gRPC stubs are).
// Errors: UNAVAILABLE when the peer has no address or stays unreachable after the
// retries (CallWithRetry); the peer's own refusal.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_VOUCHER_ISSUER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_VOUCHER_ISSUER_H_

#include <memory>
#include <string>

#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "services/outreach/edge/peers.h"

namespace revisit::outreach {

class LoyaltyVoucherIssuer : public VoucherIssuer {
 public:
  explicit LoyaltyVoucherIssuer(const OutreachConfig& config);
  absl::StatusOr<IssuedVoucher> IssueWinBack(const v1::Touch& touch, absl::Time now) override;

 private:
  const OutreachConfig& config_;
  CallPolicy policy_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> stub_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_LOYALTY_VOUCHER_ISSUER_H_
