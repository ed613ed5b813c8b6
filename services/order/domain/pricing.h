// Checkout pricing (L4, L8, O5, C13), as pure code and overflow-safe
// (common/money.h): what an order costs from its lines, the promised discount, the
// vouchers and points loyalty reserved, an exchange credit and the shipping fee.
//
//   total = subtotal - promise discount - voucher discount - points discount
//           - replacement credit + shipping fee (0 when waived, L8)
//
// The promise discount is capped at the subtotal; vouchers and points may not exceed
// what the promise left (loyalty checks this when reserving; a promise redeemed
// meanwhile makes it fail here); the credit is capped at what is left; every amount
// and the total stay within 0..10^15 minor units.
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming "lines" for a subtotal beyond 10^15 minor units,
// or the shipping fee for one out of range; FAILED_PRECONDITION naming
// "voucher_ids"/"points" when they are worth more than is left to pay.
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_PRICING_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_PRICING_H_

#include <cstdint>
#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

// What goes into an order's price (minor units of the order's currency).
struct PriceInputs {
  int64_t promise_discount = 0;
  int64_t voucher_discount = 0;
  int64_t points_discount = 0;
  int64_t credit = 0;
  int64_t shipping_fee = 0;  // as configured
  bool shipping_waived = false;
};

// What the checkout learnt from loyalty before the order is stored (L4, L8).
struct CheckoutFacts {
  bool reserved = false;  // vouchers or points are held (benefits HELD)
  int64_t voucher_discount = 0;
  int64_t points_discount = 0;
  bool free_shipping = false;
  std::string shipping_reason;
  google::protobuf::Timestamp hold_until;
};

// The price as decided.
struct Price {
  int64_t subtotal = 0;
  int64_t promise_discount = 0;
  int64_t voucher_discount = 0;
  int64_t points_discount = 0;
  int64_t credit = 0;
  int64_t shipping_fee = 0;  // charged
  int64_t total = 0;
};

// Sum of quantity x unit price, or INVALID_ARGUMENT beyond 10^15 minor units.
absl::StatusOr<int64_t> CheckedSubtotal(
    const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines);

// The price of `lines` with `in` (see the file comment).
absl::StatusOr<Price> DecidePrice(const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines,
                                  const PriceInputs& in);

// Writes `price` onto the order: subtotal, discount, replacement_credit, total and
// the checkout's voucher/points discounts and shipping fee (in the lines' currency).
void ApplyPrice(v1::Order& order, const Price& price);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_PRICING_H_
