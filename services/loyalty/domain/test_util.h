// Helpers for the loyalty unit tests: fixed times and order facts.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_TEST_UTIL_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/effects.h"

namespace revisit::loyalty::testing {

// 2026-01-01T00:00:00Z.
inline absl::Time T0() { return absl::FromUnixSeconds(1767225600); }
inline absl::Time Day(int d) { return T0() + absl::Hours(24 * d); }

inline revisit::order::v1::OrderFacts Order(const std::string& id, int64_t paid_minor,
                                            absl::Time completed,
                                            std::vector<std::string> skus = {}) {
  revisit::order::v1::OrderFacts o;
  o.set_order_id(id);
  o.set_customer_id("cus-1");
  o.mutable_paid()->set_amount_minor(paid_minor);
  o.mutable_paid()->set_currency("CNY");
  o.mutable_total()->set_amount_minor(paid_minor);
  o.mutable_total()->set_currency("CNY");
  *o.mutable_completed_at() = ToProto(completed);
  for (auto& s : skus) o.add_lines()->set_sku(s);
  return o;
}

inline bool Has(const Effects& e, const std::string& name) {
  for (const auto& ev : e.events) {
    if (ev.name == name) return true;
  }
  return false;
}

inline revisit::order::v1::Refund RefundOf(const std::string& id, int64_t amount_minor,
                                           absl::Time at) {
  revisit::order::v1::Refund r;
  r.set_refund_id(id);
  r.mutable_amount()->set_amount_minor(amount_minor);
  r.mutable_amount()->set_currency("CNY");
  *r.mutable_refunded_at() = ToProto(at);
  return r;
}

}  // namespace revisit::loyalty::testing

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_TEST_UTIL_H_
