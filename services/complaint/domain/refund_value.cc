#include "services/complaint/domain/refund_value.h"

#include <algorithm>
#include <set>

#include "absl/numeric/int128.h"

namespace revisit::complaint {

int64_t Refundable(const order::v1::OrderFacts& order) {
  return order.paid().amount_minor() - order.refunded().amount_minor();
}

bool CoversWholeOrder(const order::v1::OrderFacts& order, const LineIds& line_ids) {
  if (line_ids.empty()) return true;
  const std::set<std::string> named(line_ids.begin(), line_ids.end());
  for (const auto& l : order.lines()) {
    if (named.count(l.line_id()) == 0) return false;
  }
  return true;
}

int64_t PaidUnitValue(const order::v1::OrderFacts& order, const order::v1::OrderLine& line) {
  int64_t subtotal = 0;
  for (const auto& l : order.lines()) subtotal += l.unit_price().amount_minor() * l.quantity();
  if (subtotal <= 0) return 0;
  // Value carried by this order: what was paid plus the exchange credit it used.
  const int64_t value = order.paid().amount_minor() + order.replacement_credit().amount_minor();
  return static_cast<int64_t>(absl::int128(line.unit_price().amount_minor()) * value / subtotal);
}

int64_t FullRefundValue(const order::v1::OrderFacts& order, const LineIds& line_ids) {
  const int64_t refundable = std::max<int64_t>(Refundable(order), 0);
  if (CoversWholeOrder(order, line_ids)) return refundable;
  int64_t value = 0;
  for (const auto& id : std::set<std::string>(line_ids.begin(), line_ids.end())) {
    for (const auto& l : order.lines()) {
      if (l.line_id() == id) value += PaidUnitValue(order, l) * l.quantity();
    }
  }
  return std::min(value, refundable);
}

}  // namespace revisit::complaint
