// Checkout benefits (L4, L8) as pure decisions: the loyalty side of the order
// service's checkout saga. A reservation (ID = the order ID) holds vouchers and
// points for one order:
//
//   reserve:  vouchers ISSUED -> RESERVED, points spent (ledger REDEEM); HELD
//   confirm:  HELD -> CONFIRMED (order paid), vouchers RESERVED -> REDEEMED
//   release:  HELD or CONFIRMED -> RELEASED with everything given back (vouchers
//             ISSUED again, points RETURNed); or, for a partial refund of a paid
//             order, points given back in proportion to refunded / paid (cumulative,
//             floor), the reservation staying CONFIRMED
//   expire:   a HELD reservation past hold_until is released (loyalty's own timer)
//
// Confirm after a release is refused; a release after confirm gives everything
// back; repeats change nothing. So whatever order of confirm, release and expiry
// arrives, a voucher ends REDEEMED by exactly one confirmed order or ISSUED again.
// A voucher's terms are checked as issued (validity, minimum spend and categories,
// the 小源 rule); its terms never change, only its state.
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming the field (duplicate voucher, another customer's
// voucher); FAILED_PRECONDITION naming the voucher and the rule it fails, or the
// reservation's state; NOT_FOUND for an unknown voucher.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_RESERVATIONS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_RESERVATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// The vouchers a request names, in request order (nullopt: no such voucher).
using VoucherSlots = std::vector<std::optional<v1::Voucher>>;

// The discount one voucher gives on `lines` (its in-scope amount capped), or why it
// cannot be used now.
absl::StatusOr<int64_t> VoucherDiscount(const v1::Voucher& voucher, const std::string& customer_id,
                                        const std::string& order_id,
                                        const google::protobuf::RepeatedPtrField<v1::CheckoutLine>& lines,
                                        absl::Time now);

// Reserve: checks every voucher and the points, marks the vouchers RESERVED, spends
// the points from `account` (entries and events into `effects`) and returns the HELD
// reservation (event benefits_reserved).
absl::StatusOr<v1::Reservation> DecideReserve(const v1::ReserveBenefitsRequest& req,
                                              VoucherSlots& vouchers, internal::Account& account,
                                              absl::Time now, const LoyaltyRules& rules,
                                              Effects& effects);

// True when `req` asks for what `existing` holds (same customer, vouchers, points).
bool SameReservation(const v1::ReserveBenefitsRequest& req, const v1::Reservation& existing);

// Confirm: HELD -> CONFIRMED (vouchers REDEEMED, event benefits_confirmed); CONFIRMED
// again changes nothing; RELEASED is FAILED_PRECONDITION (the hold expired or the
// order was cancelled).
absl::Status DecideConfirm(v1::Reservation& reservation, std::vector<v1::Voucher>& vouchers,
                           absl::Time now, Effects& effects);

// How much of the order is being given back: nullopt = everything (cancelled, or the
// hold expired); otherwise the cumulative refund and the paid amount.
struct RefundShare {
  int64_t refunded_minor = 0;
  int64_t paid_minor = 0;
};

// Release by the refund policy above. Returns true when anything changed.
bool DecideRelease(v1::Reservation& reservation, std::vector<v1::Voucher>& vouchers,
                   internal::Account& account, const std::optional<RefundShare>& share,
                   const std::string& reason, absl::Time now, Effects& effects);

// The hold timer fired: a HELD reservation past hold_until is released in full.
bool DecideExpire(v1::Reservation& reservation, std::vector<v1::Voucher>& vouchers,
                  internal::Account& account, absl::Time now, Effects& effects);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_RESERVATIONS_H_
