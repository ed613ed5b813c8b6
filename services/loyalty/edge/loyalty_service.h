// LoyaltyServiceImpl: the gRPC surface of the loyalty service (proto
// revisit.loyalty.v1.LoyaltyService).
//
// Every request is validated (validation.h: INVALID_ARGUMENT naming the field and
// the rule) before anything is read or written; mutating RPCs run through
// RunIdempotent keyed by request_id in the customer's shard (a repeat returns the
// first answer and changes nothing) and commit the account, ledger, vouchers and
// outbox events in one WriteBatch. Refusals name the state: FAILED_PRECONDITION (not
// enough points, voucher redeemed/expired, terms immutable), NOT_FOUND (a customer
// with no loyalty account — GetProfile, ListLedger, ListVouchers, RedeemPoints,
// AwardPoints, IssueVoucher — or an unknown voucher); a refusal writes nothing.
// GetShippingPerks (O7) is on the order service's shipping path: one Redis read; a
// malformed customer_id or order_id is INVALID_ARGUMENT, but a customer loyalty has
// not projected yet is answered "no perks" (PerksWithoutAccount), never an error.
// Thread-safety: thread-safe; gRPC calls handlers concurrently.
#ifndef REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_SERVICE_H_
#define REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_SERVICE_H_

#include "common/callback_handlers.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "services/loyalty/edge/checkout_desk.h"
#include "services/loyalty/edge/loyalty_engine.h"

namespace revisit::loyalty {

class LoyaltyServiceImpl final : public v1::LoyaltyService::CallbackService, public CallbackHandlers {
 public:
  explicit LoyaltyServiceImpl(LoyaltyEngine& engine) : engine_(engine), checkout_(engine) {}

  REVISIT_UNARY_RPC(GetProfile, v1::GetProfileRequest, v1::GetProfileResponse)
  REVISIT_UNARY_RPC(ListLedger, v1::ListLedgerRequest, v1::ListLedgerResponse)
  REVISIT_UNARY_RPC(RedeemPoints, v1::RedeemPointsRequest, v1::RedeemPointsResponse)
  REVISIT_UNARY_RPC(AwardPoints, v1::AwardPointsRequest, v1::AwardPointsResponse)
  REVISIT_UNARY_RPC(IssueVoucher, v1::IssueVoucherRequest, v1::IssueVoucherResponse)
  REVISIT_UNARY_RPC(RedeemVoucher, v1::RedeemVoucherRequest, v1::RedeemVoucherResponse)
  REVISIT_UNARY_RPC(ListVouchers, v1::ListVouchersRequest, v1::ListVouchersResponse)
  REVISIT_UNARY_RPC(ListTopCustomers, v1::ListTopCustomersRequest, v1::ListTopCustomersResponse)
  REVISIT_UNARY_RPC(Reclassify, v1::ReclassifyRequest, v1::ReclassifyResponse)
  REVISIT_UNARY_RPC(GetShippingPerks, v1::GetShippingPerksRequest, v1::GetShippingPerksResponse)
  // Checkout benefits: handed to CheckoutDesk (checkout_desk.h).
  REVISIT_UNARY_RPC(ReserveBenefits, v1::ReserveBenefitsRequest, v1::ReserveBenefitsResponse)
  REVISIT_UNARY_RPC(ConfirmReservation, v1::ConfirmReservationRequest, v1::ConfirmReservationResponse)
  REVISIT_UNARY_RPC(ReleaseReservation, v1::ReleaseReservationRequest, v1::ReleaseReservationResponse)

 private:
  absl::Status DoGetProfile(const v1::GetProfileRequest& req, v1::GetProfileResponse* resp);
  absl::Status DoListLedger(const v1::ListLedgerRequest& req, v1::ListLedgerResponse* resp);
  absl::Status DoPoints(const std::string& method, const std::string& request_id,
                        const std::string& customer_id, int64_t points, const std::string& reason,
                        const std::string& source, google::protobuf::Message* resp);
  absl::Status DoIssueVoucher(const v1::IssueVoucherRequest& req, v1::IssueVoucherResponse* resp);
  absl::Status DoRedeemVoucher(const v1::RedeemVoucherRequest& req, v1::RedeemVoucherResponse* resp);
  absl::Status DoListTop(const v1::ListTopCustomersRequest& req, v1::ListTopCustomersResponse* resp);
  absl::Status DoReclassify(const v1::ReclassifyRequest& req, v1::ReclassifyResponse* resp);

  LoyaltyEngine& engine_;
  CheckoutDesk checkout_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_EDGE_LOYALTY_SERVICE_H_
