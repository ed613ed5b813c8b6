#include "services/order/domain/money.h"

#include <algorithm>
#include <map>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/money.h"
#include "common/text.h"

namespace revisit::order {
namespace {

// The field of a refund request that names what is refunded.
std::string ScopeField(const v1::RefundOrderRequest& req) {
  switch (req.scope_case()) {
    case v1::RefundOrderRequest::kLines:
      return "lines";
    case v1::RefundOrderRequest::kAmount:
      return "amount";
    default:
      return "full";
  }
}

}  // namespace

std::string FormatMoney(int64_t minor, const std::string& currency) {
  const char* sign = minor < 0 ? "-" : "";
  int64_t a = minor < 0 ? -minor : minor;
  return absl::StrFormat("%s%d.%02d %s", sign, a / 100, a % 100, currency);
}

int64_t Subtotal(const v1::Order& order) {
  int64_t sum = 0;
  for (const auto& l : order.lines()) sum += l.unit_price().amount_minor() * l.quantity();
  return sum;
}

void PriceOrder(v1::Order& order, int64_t discount_minor, int64_t credit_minor) {
  const std::string& cur = order.lines(0).unit_price().currency();
  int64_t subtotal = Subtotal(order);
  int64_t discount = std::min(discount_minor, subtotal);
  int64_t credit = std::min(credit_minor, subtotal - discount);
  auto set = [&](revisit::common::v1::Money* m, int64_t v) {
    m->set_amount_minor(v);
    m->set_currency(cur);
  };
  set(order.mutable_subtotal(), subtotal);
  set(order.mutable_discount(), discount);
  set(order.mutable_replacement_credit(), credit);
  set(order.mutable_total(), subtotal - discount - credit);
  set(order.mutable_paid(), order.paid().amount_minor());
  set(order.mutable_refunded(), order.refunded().amount_minor());
}

int64_t Refundable(const v1::Order& order) {
  return order.paid().amount_minor() - order.refunded().amount_minor();
}

int64_t PaidUnitValue(const v1::Order& order, const v1::OrderLine& line) {
  int64_t subtotal = order.subtotal().amount_minor();
  if (subtotal == 0) return 0;
  // Value carried by this order: what was paid plus the exchange credit it used.
  // The shipping fee paid is not part of any line's value.
  int64_t value = order.paid().amount_minor() + order.replacement_credit().amount_minor() -
                  std::min(order.checkout().shipping_fee().amount_minor(), order.paid().amount_minor());
  absl::int128 v = absl::int128(line.unit_price().amount_minor()) * value / subtotal;
  return static_cast<int64_t>(v);
}

int32_t RefundedQuantity(const v1::Order& order, const std::string& line_id) {
  int32_t q = 0;
  for (const auto& r : order.refunds()) {
    for (const auto& l : r.lines()) {
      if (l.line_id() == line_id) q += l.quantity();
    }
  }
  return q;
}

absl::StatusOr<int64_t> ReturnedValue(
    const v1::Order& order, const google::protobuf::RepeatedPtrField<v1::LineQuantity>& returned) {
  std::map<std::string, int32_t> asked;
  int64_t value = 0;
  for (int i = 0; i < returned.size(); ++i) {
    const auto& lq = returned[i];
    auto it = std::find_if(order.lines().begin(), order.lines().end(),
                           [&](const v1::OrderLine& l) { return l.line_id() == lq.line_id(); });
    std::string field = absl::StrCat("lines[", i, "]");
    if (it == order.lines().end()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".line_id: order ", order.order_id(),
                                                     " has no line ", Excerpt(lq.line_id())));
    }
    asked[lq.line_id()] += lq.quantity();
    int32_t left = it->quantity() - RefundedQuantity(order, lq.line_id());
    if (lq.quantity() < 1 || asked[lq.line_id()] > left) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".quantity: must be 1..", left,
                                                     " (line ", lq.line_id(), " has ", left,
                                                     " not yet refunded)"));
    }
    value += PaidUnitValue(order, *it) * lq.quantity();
  }
  return value;
}

absl::StatusOr<v1::Refund> PlanRefund(const v1::Order& order, const v1::RefundOrderRequest& req) {
  v1::Refund refund;
  const std::string& cur = order.total().currency();
  int64_t amount = 0;
  switch (req.scope_case()) {
    case v1::RefundOrderRequest::kFull:
      amount = Refundable(order);
      break;
    case v1::RefundOrderRequest::kLines: {
      auto value = ReturnedValue(order, req.lines().lines());
      if (!value.ok()) return value.status();
      amount = *value;
      *refund.mutable_lines() = req.lines().lines();
      break;
    }
    case v1::RefundOrderRequest::kAmount:
      if (req.amount().currency() != cur) {
        return absl::InvalidArgumentError("amount.currency: must be the order currency " + cur);
      }
      if (auto st = ValidateAmount("amount.amount_minor", req.amount().amount_minor(), 1); !st.ok()) {
        return st;
      }
      amount = req.amount().amount_minor();
      break;
    default:
      return absl::InvalidArgumentError("scope: one of full, lines or amount is required");
  }
  if (amount <= 0) {
    return absl::FailedPreconditionError(ScopeField(req) + ": nothing to refund: refundable balance is " +
                                         FormatMoney(Refundable(order), cur));
  }
  if (amount > Refundable(order)) {
    return absl::FailedPreconditionError(absl::StrCat(
        ScopeField(req), ": refund of ", FormatMoney(amount, cur), " exceeds the refundable balance ",
        FormatMoney(Refundable(order), cur), " (paid ", FormatMoney(order.paid().amount_minor(), cur),
        ", already refunded ", FormatMoney(order.refunded().amount_minor(), cur), ")"));
  }
  refund.mutable_amount()->set_amount_minor(amount);
  refund.mutable_amount()->set_currency(cur);
  refund.set_reason(req.reason());
  return refund;
}

}  // namespace revisit::order
