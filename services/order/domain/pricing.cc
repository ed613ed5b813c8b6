// Checkout pricing (L4 vouchers and points, L8 free-shipping pass, O5, C13): pricing.h.
#include "services/order/domain/pricing.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/money.h"

namespace revisit::order {
namespace {

void SetMoney(revisit::common::v1::Money* m, int64_t minor, const std::string& currency) {
  m->set_amount_minor(minor);
  m->set_currency(currency);
}

}  // namespace

absl::StatusOr<int64_t> CheckedSubtotal(
    const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines) {
  int64_t sum = 0;
  for (const auto& l : lines) {
    std::optional<int64_t> line = CheckedMul(l.unit_price().amount_minor(), l.quantity());
    std::optional<int64_t> next = line ? CheckedAdd(sum, *line) : std::nullopt;
    if (!next || *next > kMaxMoneyMinor || *line < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("lines: the subtotal exceeds ", kMaxMoneyMinor, " minor units"));
    }
    sum = *next;
  }
  return sum;
}

absl::StatusOr<Price> DecidePrice(const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines,
                                  const PriceInputs& in) {
  absl::StatusOr<int64_t> subtotal = CheckedSubtotal(lines);
  if (!subtotal.ok()) return subtotal.status();
  for (int64_t part : {in.promise_discount, in.voucher_discount, in.points_discount, in.credit}) {
    if (part < 0 || part > kMaxMoneyMinor) {
      return absl::InvalidArgumentError("a discount or credit is out of 0..10^15 minor units");
    }
  }
  if (auto st = ValidateAmount("shipping_fee", in.shipping_fee); !st.ok()) return st;
  Price p;
  p.subtotal = *subtotal;
  p.promise_discount = std::min(in.promise_discount, p.subtotal);
  int64_t left = p.subtotal - p.promise_discount;
  if (in.voucher_discount > left) {
    return absl::FailedPreconditionError(
        "voucher_ids: the vouchers are worth more than is left to pay after the promised discount");
  }
  p.voucher_discount = in.voucher_discount;
  left -= p.voucher_discount;
  if (in.points_discount > left) {
    return absl::FailedPreconditionError(
        "points: the points are worth more than is left to pay after discounts and vouchers");
  }
  p.points_discount = in.points_discount;
  left -= p.points_discount;
  p.credit = std::min(in.credit, left);
  left -= p.credit;
  p.shipping_fee = in.shipping_waived ? 0 : in.shipping_fee;
  p.total = left + p.shipping_fee;  // both <= 10^15: no overflow
  if (p.total > kMaxMoneyMinor) {
    return absl::InvalidArgumentError("lines: the total exceeds 10^15 minor units");
  }
  return p;
}

void ApplyPrice(v1::Order& order, const Price& p) {
  const std::string cur = order.lines(0).unit_price().currency();
  SetMoney(order.mutable_subtotal(), p.subtotal, cur);
  SetMoney(order.mutable_discount(), p.promise_discount, cur);
  SetMoney(order.mutable_replacement_credit(), p.credit, cur);
  SetMoney(order.mutable_total(), p.total, cur);
  SetMoney(order.mutable_paid(), order.paid().amount_minor(), cur);
  SetMoney(order.mutable_refunded(), order.refunded().amount_minor(), cur);
  v1::Checkout* c = order.mutable_checkout();
  SetMoney(c->mutable_voucher_discount(), p.voucher_discount, cur);
  SetMoney(c->mutable_points_discount(), p.points_discount, cur);
  SetMoney(c->mutable_shipping_fee(), p.shipping_fee, cur);
}

}  // namespace revisit::order
