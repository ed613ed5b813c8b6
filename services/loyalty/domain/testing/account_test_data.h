// Test data for the loyalty deciders' unit tests (domain/account.h and the rules it
// applies): fixed times, order and refund facts, and accounts already in the state a
// test starts from (a customer with kept orders, a referred customer, a rewarded
// referral), so a test spells out only what it is about. The model is
// services/complaint/domain/testing/decide_test_data.h.
// Header-only, test code only (links nothing beyond loyalty_domain and gtest).
// Thread-safety: pure builders. Errors: a decider refusing a builder's step is a
// test failure (EXPECT), reported where the builder is called.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_TESTING_ACCOUNT_TEST_DATA_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_TESTING_ACCOUNT_TEST_DATA_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/effects.h"

namespace revisit::loyalty::testing {

// 2026-01-01T00:00:00Z.
inline absl::Time T0() { return absl::FromUnixSeconds(1767225600); }
inline absl::Time Day(int d) { return T0() + absl::Hours(24 * d); }

// cus-1's order `id`, paid `paid_minor` CNY in full, completed at `completed`, one
// line per SKU.
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

// customer.registered of `id` (referred by `referrer`, may be empty) on Day(0).
inline revisit::order::v1::CustomerRegistered Registered(const std::string& id,
                                                         const std::string& referrer) {
  revisit::order::v1::CustomerRegistered r;
  r.set_customer_id(id);
  r.set_referrer_id(referrer);
  *r.mutable_registered_at() = ToProto(Day(0));
  return r;
}

// Completes `account`'s order `id` of `paid_minor` on Day(day) (event "ev-<id>").
inline absl::Status Complete(internal::Account& account, const std::string& id,
                             int64_t paid_minor, int day, const LoyaltyRules& rules,
                             Effects& effects) {
  return OnOrderCompleted(account, Order(id, paid_minor, Day(day)), "ev-" + id, Day(day), rules,
                          effects);
}

// cus-1 with one completed order of 100.00 CNY on each of `days` (order "o<day>"),
// each of the SKUs skus[i] (default one line, "sku-basic").
inline internal::Account CustomerWithOrders(const std::vector<int>& days, const LoyaltyRules& rules,
                                            std::vector<std::vector<std::string>> skus = {}) {
  auto a = NewAccount("cus-1");
  for (size_t i = 0; i < days.size(); ++i) {
    Effects e;
    const std::string id = "o" + std::to_string(days[i]);
    auto s = i < skus.size() ? skus[i] : std::vector<std::string>{"sku-basic"};
    EXPECT_TRUE(OnOrderCompleted(a, Order(id, 10000, Day(days[i]), s), "ev-" + id, Day(days[i]),
                                 rules, e).ok()) << id;
  }
  return a;
}

// cus-1, registered on Day(0) as referred by cus-old, no order yet (L6).
inline internal::Account ReferredCustomer(const LoyaltyRules& rules) {
  auto a = NewAccount("cus-1");
  Effects e;
  OnCustomerRegistered(a, Registered("cus-1", "cus-old"), Day(0), rules, e);
  return a;
}

// ReferredCustomer whose first order o1 (100.00 CNY) completed on Day(1): the referral
// was rewarded (L6).
inline internal::Account RewardedReferred(const LoyaltyRules& rules) {
  auto a = ReferredCustomer(rules);
  Effects e;
  EXPECT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev1", Day(1), rules, e).ok());
  EXPECT_TRUE(e.referral.has_value() && !e.referral->reversal);
  return a;
}

}  // namespace revisit::loyalty::testing

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_TESTING_ACCOUNT_TEST_DATA_H_
