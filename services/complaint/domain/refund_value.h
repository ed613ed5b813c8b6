// What a refund remedy will actually pay the customer, computed from the order
// projection (OrderFacts from order events) exactly as the order service computes
// the refund it executes (services/order/domain/money.h), so a proposal shows the
// customer what they will receive (C6, C9), not the list price.
//
// A refund of every line of the order is a `full` refund: the refundable balance
// (paid minus already refunded). A refund of some lines pays each unit's paid share,
// floor(unit_price × (paid + replacement_credit) / subtotal): the order's discount
// and exchange credit spread over its lines in proportion; capped at the balance.
// Amounts are int64 minor units in the order's currency.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_REFUND_VALUE_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_REFUND_VALUE_H_

#include <cstdint>
#include <string>

#include <google/protobuf/repeated_field.h>

#include "revisit/order/v1/events.pb.h"

namespace revisit::complaint {

using LineIds = google::protobuf::RepeatedPtrField<std::string>;

// Amount paid and not refunded on `order`.
int64_t Refundable(const order::v1::OrderFacts& order);

// True when `line_ids` name every line of `order` (or none: the whole order); the
// execution then asks the order service for a `full` refund.
bool CoversWholeOrder(const order::v1::OrderFacts& order, const LineIds& line_ids);

// Paid value of one unit of `line` of `order` (order_money.h PaidUnitValue).
int64_t PaidUnitValue(const order::v1::OrderFacts& order, const order::v1::OrderLine& line);

// What a full refund of `line_ids` pays: Refundable() for the whole order, else the
// lines' paid value (full quantities; unknown IDs count nothing) capped at Refundable().
int64_t FullRefundValue(const order::v1::OrderFacts& order, const LineIds& line_ids);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_REFUND_VALUE_H_
