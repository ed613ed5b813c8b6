// Exchange settlement (C13 多退少补, C14 fault decides who pays), as pure code.
//
// - Like-for-like (the replacement lines are the returned SKUs in the returned
//   quantities): costs the customer nothing, whatever discounts (a promised
//   next-purchase discount, vouchers, points) the original carried.
// - A different product: only the list-price difference is settled, both ways —
//   new lines' subtotal − returned lines at their list prices. The customer pays a
//   positive difference on the replacement; a negative one is refunded on the
//   original, at most what was paid for the returned lines (a refund never exceeds
//   what was paid). The discounts the customer had on the returned lines stay theirs.
// - Postage of the re-sent parcel (the configured shipping fee): the shop pays when it
//   is at fault (a defect, EXCHANGE_FAULT_SHOP; also when no fault is given), the
//   customer when they are (EXCHANGE_FAULT_CUSTOMER): it is then charged on the
//   replacement. Who paid is recorded on the replacement (Order.exchange).
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming the field (unknown line, quantity beyond what is
// left, amounts beyond 10^15, unknown fault).
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_EXCHANGE_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_EXCHANGE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

struct ExchangeSettlement {
  bool like_for_like = false;
  int64_t returned_list_value = 0;
  int64_t returned_paid_value = 0;
  int64_t new_value = 0;         // subtotal of the replacement lines
  int64_t price_difference = 0;  // > 0 the customer pays; < 0 refunded (capped)
  int64_t refund = 0;            // refunded on the original (>= 0)
  int64_t credit = 0;            // what the replacement is credited with
  int64_t postage = 0;           // the re-sent parcel's postage
  bool customer_pays_postage = false;
};

// Settles returning req.returned_lines of `original` for req.replacement_lines.
absl::StatusOr<ExchangeSettlement> SettleExchange(const v1::Order& original,
                                                  const v1::CreateReplacementOrderRequest& req,
                                                  int64_t postage_fee);

// The record of `s` for Order.exchange.
v1::Exchange ExchangeRecord(const ExchangeSettlement& s, v1::ExchangeFault fault,
                            const std::string& currency);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_EXCHANGE_H_
