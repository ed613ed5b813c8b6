// Test data builders (issue 14): the customers and orders a test needs, made through
// the order service's public API on a running Stack, each returning what later steps
// need (IDs, the order). One place instead of a copy per suite.
//
//   CustomerSeed who("desk");
//   who.name = "李娜";
//   std::string customer = *SeedCustomer(stack, who);
//   order::v1::Order order = *SeedDeliveredOrder(stack, customer, OrderSeed("desk"));
//
// Every request_id is derived from `tag` ("cus-<tag>", "ord-<tag>", "pay-<tag>",
// "ship-<tag>", "del-<tag>"), so a tag seeds once per stack and a retried call never
// doubles an effect; each call is retried while the service is unavailable
// (RetryCall). SeedDeliveredOrder also waits until the complaint service, when the
// stack runs it, has projected the delivery (some remedy is eligible), so a
// complaint can be opened next.
// Thread-safety: reentrant; calls go through the stack's stubs (thread-safe).
// Errors: the refusing call's status, prefixed with the RPC's name; DEADLINE_EXCEEDED
// when the delivery is never projected within the guard.
#ifndef REVISIT_TESTS_HARNESS_SEED_H_
#define REVISIT_TESTS_HARNESS_SEED_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/common/v1/types.pb.h"
#include "revisit/order/v1/order.pb.h"
#include "tests/harness/stack.h"

namespace revisit::testing {

struct CustomerSeed {
  explicit CustomerSeed(std::string t) : tag(std::move(t)) {}
  std::string tag;  // request_id "cus-<tag>"
  std::string name = "李华";
  std::string phone = "13900139000";
  std::string email;      // none when empty
  std::string time_zone;  // the service's default when empty
  std::string locale;     // "zh-CN" when empty
  std::vector<common::v1::Channel> consents;  // channels granted
};

struct LineSeed {
  std::string sku, name, category;
  int quantity = 1;
  int64_t unit_price_minor = 0;  // CNY
};

struct OrderSeed {
  explicit OrderSeed(std::string t) : tag(std::move(t)) {}
  std::string tag;  // request_ids "ord-<tag>", "pay-<tag>", "ship-<tag>", "del-<tag>"
  // 2 x 129.00 + 1 x 50.00 = 308.00 CNY by default.
  std::vector<LineSeed> lines = {{"SCARF-1", "商品 SCARF-1", "服饰", 2, 12900},
                                 {"CARE-KIT", "商品 CARE-KIT", "服饰", 1, 5000}};
  std::string recipient = "李华", phone = "13900139000", province = "浙江省",
              city = "杭州市", district = "西湖区", street = "文三路 1号";
  std::string payment_reference;  // none when empty
  std::string carrier = "顺丰速运", tracking_number = "SF0001";
};

// CreateCustomer; the new customer's ID.
absl::StatusOr<std::string> SeedCustomer(Stack& stack, const CustomerSeed& seed);
// CreateOrder: a CREATED order of `customer_id`.
absl::StatusOr<order::v1::Order> SeedOrder(Stack& stack, const std::string& customer_id,
                                           const OrderSeed& seed);
// ... then PayOrder with its total: PAID.
absl::StatusOr<order::v1::Order> SeedPaidOrder(Stack& stack, const std::string& customer_id,
                                               const OrderSeed& seed);
// ... then ShipOrder and ConfirmDelivery (inspected on receipt): DELIVERED, and
// known as delivered to the complaint service when it runs.
absl::StatusOr<order::v1::Order> SeedDeliveredOrder(Stack& stack, const std::string& customer_id,
                                                    const OrderSeed& seed);

}  // namespace revisit::testing

#endif  // REVISIT_TESTS_HARNESS_SEED_H_
