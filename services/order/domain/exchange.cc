// Exchange settlement (C13 多退少补, C14 postage by fault): exchange.h.
#include "services/order/domain/exchange.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "services/order/domain/money.h"
#include "services/order/domain/pricing.h"

namespace revisit::order {
namespace {

using LineQuantities = google::protobuf::RepeatedPtrField<v1::LineQuantity>;

const v1::OrderLine* LineOf(const v1::Order& o, const std::string& id) {
  for (const auto& l : o.lines()) {
    if (l.line_id() == id) return &l;
  }
  return nullptr;
}

// Returned lines at their list prices (quantities validated by ReturnedValue).
int64_t ListValue(const v1::Order& o, const LineQuantities& returned) {
  int64_t sum = 0;
  for (const auto& q : returned) {
    const v1::OrderLine* l = LineOf(o, q.line_id());
    sum += l->unit_price().amount_minor() * q.quantity();  // <= the original's subtotal
  }
  return sum;
}

bool LikeForLike(const v1::Order& o, const v1::CreateReplacementOrderRequest& req) {
  std::map<std::string, int64_t> back, out;
  for (const auto& q : req.returned_lines()) back[LineOf(o, q.line_id())->sku()] += q.quantity();
  for (const auto& l : req.replacement_lines()) out[l.sku()] += l.quantity();
  return back == out;
}

}  // namespace

absl::StatusOr<ExchangeSettlement> SettleExchange(const v1::Order& original,
                                                  const v1::CreateReplacementOrderRequest& req,
                                                  int64_t postage_fee) {
  if (!v1::ExchangeFault_IsValid(req.fault())) {
    return absl::InvalidArgumentError(absl::StrCat("fault: unknown value ", req.fault()));
  }
  if (auto st = ValidateAmount("postage", postage_fee); !st.ok()) return st;
  absl::StatusOr<int64_t> paid = ReturnedValue(original, req.returned_lines());
  if (!paid.ok()) return paid.status();
  absl::StatusOr<int64_t> new_value = CheckedSubtotal(req.replacement_lines());
  if (!new_value.ok()) {
    return absl::InvalidArgumentError("replacement_lines: the subtotal exceeds 10^15 minor units");
  }
  ExchangeSettlement s;
  s.returned_paid_value = *paid;
  s.returned_list_value = ListValue(original, req.returned_lines());
  s.new_value = *new_value;
  s.like_for_like = LikeForLike(original, req);
  s.price_difference = s.like_for_like ? 0 : s.new_value - s.returned_list_value;
  if (s.price_difference < 0) {
    s.refund = std::min(-s.price_difference, s.returned_paid_value);
    s.price_difference = -s.refund;
  }
  s.credit = s.new_value - std::max<int64_t>(s.price_difference, 0);
  s.postage = postage_fee;
  s.customer_pays_postage = req.fault() == v1::EXCHANGE_FAULT_CUSTOMER;
  return s;
}

v1::Exchange ExchangeRecord(const ExchangeSettlement& s, v1::ExchangeFault fault,
                            const std::string& currency) {
  auto money = [&](revisit::common::v1::Money* m, int64_t v) {
    m->set_amount_minor(v);
    m->set_currency(currency);
  };
  v1::Exchange x;
  x.set_fault(fault == v1::EXCHANGE_FAULT_UNSPECIFIED ? v1::EXCHANGE_FAULT_SHOP : fault);
  x.set_like_for_like(s.like_for_like);
  money(x.mutable_returned_list_value(), s.returned_list_value);
  money(x.mutable_returned_paid_value(), s.returned_paid_value);
  money(x.mutable_postage(), s.postage);
  x.set_postage_paid_by(s.customer_pays_postage ? "customer" : "shop");
  money(x.mutable_price_difference(), s.price_difference);
  return x;
}

}  // namespace revisit::order
