// Request validation of the loyalty RPCs: pure checks, no I/O.
//
// Every failure names the field and the rule: INVALID_ARGUMENT for malformed input,
// NOT_FOUND for a well-formed ID that loyalty does not know.
//
// How loyalty knows a customer: it keeps its own projection of revisit.order.v1.
// An account (loyalty:{loyalty:NN}:account:<customer_id>) exists once loyalty applied
// an event of that customer; customer_registered is the first on the customer's
// partition, so a customer the order service registered a moment ago may not have an
// account yet (consumer lag). Reads and writes that need the account answer
// NOT_FOUND (UnknownCustomer) and change nothing; callers on an automatic path retry
// (complaint remedy execution, outreach vouchers). GetShippingPerks is the exception:
// it is on the order service's shipping path and answers "no perks" (see
// PerksWithoutAccount in account.h) rather than fail or delay a shipment.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_VALIDATION_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_VALIDATION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/text.h"
#include "absl/time/time.h"
#include "revisit/common/v1/types.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"

namespace revisit::loyalty {

// NOT_FOUND for a customer with no loyalty account, naming `field` and where
// loyalty learns customers from.
absl::Status UnknownCustomer(const std::string& field, const std::string& customer_id);

// An order ID in a loyalty request: required, issued by the order service
// ("ord-<shard two hex>-<16 hex>"), and, when `customer_id` is a customer ID issued
// by the order service ("cus-<shard>-<16 hex>"), of that customer's shard (order IDs
// embed their customer's shard, so an order of another shard is not the customer's).
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateOrderId(const std::string& field, const std::string& order_id,
                             const std::string& customer_id);

// An order amount: not negative; with a positive amount the currency is required and
// must be `currency` (the service's currency).
absl::Status ValidateOrderAmount(const std::string& field, const revisit::common::v1::Money& amount,
                                 const std::string& currency);

// ReserveBenefits (checkout, L4): request_id; reservation_id an order of customer_id;
// 0..10 voucher IDs; points 0..10^9; 1..100 lines (category <= 64 bytes, amount in
// `currency`); payable 0..the lines' sum; hold_until after `now`, at most 1 day ahead.
absl::Status ValidateReserveBenefits(const v1::ReserveBenefitsRequest& req, absl::Time now,
                                     const std::string& currency);

// A ledger page: size 0..200 (0 = 50) and a token this service issued (a ledger
// sequence, > 0) or empty.
struct LedgerPage {
  int size = 50;
  int64_t before_seq = 0;  // 0 = from the newest
};
absl::StatusOr<LedgerPage> ParseLedgerPage(const revisit::common::v1::PageRequest& page);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_VALIDATION_H_
