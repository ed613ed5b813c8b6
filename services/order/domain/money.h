// Money arithmetic of orders, as pure code: totals, promised discounts (O5),
// refunds that never exceed what was paid, and the price difference of an exchange
// settled both ways (C13 多退少补).
//
// A line's paid value spreads the order's discount over its lines in proportion:
// unit value = floor(unit_price × paid / subtotal). Amounts are int64 minor units.
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT for requests that can never be valid (unknown line,
// quantity beyond the line, wrong currency); FAILED_PRECONDITION when the request
// exceeds what the order's current state allows (more than is still refundable).
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_MONEY_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

// "12.34 CNY".
std::string FormatMoney(int64_t minor, const std::string& currency);

// Sum of quantity × unit price over the lines.
int64_t Subtotal(const v1::Order& order);

// Fills subtotal, discount (capped at the subtotal), replacement credit and total.
void PriceOrder(v1::Order& order, int64_t discount_minor, int64_t credit_minor);

// Paid and not yet refunded.
int64_t Refundable(const v1::Order& order);

// Paid value of one unit of `line` (discount spread in proportion).
int64_t PaidUnitValue(const v1::Order& order, const v1::OrderLine& line);

// Quantity of line `line_id` already refunded or returned.
int32_t RefundedQuantity(const v1::Order& order, const std::string& line_id);

// The refund a RefundOrderRequest asks for (amount and lines; no ID or time).
absl::StatusOr<v1::Refund> PlanRefund(const v1::Order& order, const v1::RefundOrderRequest& req);

// Value of `returned` lines at what was paid for them (validates quantities).
absl::StatusOr<int64_t> ReturnedValue(const v1::Order& order,
                                      const google::protobuf::RepeatedPtrField<v1::LineQuantity>& returned);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_MONEY_H_
