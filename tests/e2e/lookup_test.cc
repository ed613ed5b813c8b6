// End-to-end: finding customers (O2) by phone, e-mail or tracking number with
// OrderService.FindCustomers. Real processes: redis-server (or a Redis Cluster of 3
// masters and 3 replicas), Kafka and the four services.
//
// Two customers register; one's phone is written differently at registration and at
// lookup, the other shares her e-mail (a family address). Her order is shipped and
// found by its tracking number. She changes her phone: the old number finds nobody,
// the new one finds her. Redis holds no plain copy of either number or the e-mail
// in any key or index member (services/order/store/lookup_index.h). Bad input is
// INVALID_ARGUMENT naming the field.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/harness/seed.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;

class LookupTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    StackOptions o = StoryStackOptions();
    o.redis_cluster = GetParam();
    auto stack = Stack::Start(o);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << stack_->LogTails();
  }

  template <typename Req, typename Resp>
  grpc::Status Call(const std::string& what, const Req& req, Resp* resp,
                    grpc::Status (ov1::OrderService::Stub::*m)(grpc::ClientContext*, const Req&, Resp*)) {
    return RetryCall(what, [&] {
      resp->Clear();
      auto ctx = Ctx();
      return (stack_->order().*m)(ctx.get(), req, resp);
    });
  }

  std::string Register(const std::string& rid, const std::string& name, const std::string& phone,
                       const std::string& email) {
    ov1::CreateCustomerRequest req;
    req.set_request_id(rid);
    req.mutable_customer()->set_name(name);
    req.mutable_customer()->add_phones(phone);
    req.mutable_customer()->add_emails(email);
    ov1::CreateCustomerResponse resp;
    grpc::Status st = Call("CreateCustomer", req, &resp, &ov1::OrderService::Stub::CreateCustomer);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.customer().customer_id();
  }

  // The IDs of the customers found, sorted; the order IDs in `orders` when given.
  std::vector<std::string> Find(const ov1::FindCustomersRequest& req,
                                std::vector<std::string>* orders = nullptr) {
    ov1::FindCustomersResponse resp;
    grpc::Status st = Call("FindCustomers", req, &resp, &ov1::OrderService::Stub::FindCustomers);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> ids;
    for (const auto& c : resp.customers()) ids.push_back(c.customer_id());
    std::sort(ids.begin(), ids.end());
    if (orders != nullptr) orders->assign(resp.order_ids().begin(), resp.order_ids().end());
    return ids;
  }
  std::vector<std::string> ByPhone(const std::string& p) {
    ov1::FindCustomersRequest req;
    req.set_phone(p);
    return Find(req);
  }
  std::vector<std::string> ByEmail(const std::string& e) {
    ov1::FindCustomersRequest req;
    req.set_email(e);
    return Find(req);
  }

  // INVALID_ARGUMENT naming the field, for each kind of bad lookup.
  void ExpectBadInputRefused();
  std::string ShippedOrder(const std::string& customer, const std::string& tracking);
  // Every order key of the single-node store and every member of its lookup sets.
  std::string StoreKeysAndIndexMembers();

  std::unique_ptr<Stack> stack_;
};

std::string LookupTest::ShippedOrder(const std::string& customer, const std::string& tracking) {
  testing::OrderSeed seed("lookup");
  seed.lines = {{"TEA-1", "西湖龙井", "茶叶", 1, 8800}};
  seed.recipient = "李伟";
  seed.phone = "13800138000";
  seed.street = "龙井路 1号";
  auto order = testing::SeedPaidOrder(*stack_, customer, seed);
  EXPECT_TRUE(order.ok()) << order.status();
  if (!order.ok()) return std::string();
  ov1::ShipOrderRequest ship;
  ship.set_request_id("lookup-ship");
  ship.set_order_id(order->order_id());
  ship.set_carrier("SF Express");
  ship.set_tracking_number(tracking);
  ov1::ShipOrderResponse sr;
  grpc::Status st = Call("ShipOrder", ship, &sr, &ov1::OrderService::Stub::ShipOrder);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return order->order_id();
}

std::string LookupTest::StoreKeysAndIndexMembers() {
  RedisClient redis(stack_->StoreOptions());  // single node: KEYS sees every key
  std::string all;
  auto keys = redis.Command({"KEYS", "order:*"});
  EXPECT_TRUE(keys.ok()) << keys.status();
  if (!keys.ok()) return all;
  for (const auto& k : keys->elements) {
    all += k.str + "\n";
    if (!absl::StrContains(k.str, ":find:")) continue;
    auto members = redis.Command({"SMEMBERS", k.str});
    EXPECT_TRUE(members.ok()) << members.status();
    if (members.ok()) for (const auto& m : members->elements) all += "  " + m.str + "\n";
  }
  return all;
}

TEST_P(LookupTest, FindsByPhoneEmailAndTrackingNumberWithoutAPlainCopyO2) {
  const std::string li = Register("lookup-li", "李伟", "138 0013 8000", "Li.Wei@Example.com");
  const std::string mei = Register("lookup-mei", "李梅", "+86 135 0013 5000", "li.wei@example.com ");
  ASSERT_FALSE(li.empty());
  ASSERT_FALSE(mei.empty());

  // Another spelling of the same number finds her; the shared e-mail finds both.
  EXPECT_EQ(ByPhone("+86-138-0013-8000"), std::vector<std::string>{li});
  EXPECT_EQ(ByPhone("0086 13800138000"), std::vector<std::string>{li});
  std::vector<std::string> both = {li, mei};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(ByEmail("  LI.WEI@example.COM"), both);
  EXPECT_TRUE(ByPhone("13900139000").empty());

  // A shipped order's tracking number finds its customer and names the order.
  const std::string order = ShippedOrder(li, "SF 1000-2000-30");
  ov1::FindCustomersRequest by_tracking;
  by_tracking.set_tracking_number("sf1000200030");
  std::vector<std::string> orders;
  EXPECT_EQ(Find(by_tracking, &orders), std::vector<std::string>{li});
  EXPECT_EQ(orders, std::vector<std::string>{order});

  // A changed phone: the old entry is gone in the same commit, the new one is there.
  ov1::UpdateCustomerRequest up;
  up.set_request_id("lookup-new-phone");
  up.mutable_customer()->set_customer_id(li);
  up.mutable_customer()->add_phones("139-0013-9000");
  up.mutable_update_mask()->add_paths("phones");
  ov1::UpdateCustomerResponse ur;
  ASSERT_TRUE(Call("UpdateCustomer", up, &ur, &ov1::OrderService::Stub::UpdateCustomer).ok());
  EXPECT_TRUE(ByPhone("13800138000").empty());
  EXPECT_EQ(ByPhone("+8613900139000"), std::vector<std::string>{li});
  EXPECT_EQ(ByEmail("li.wei@example.com"), both);  // untouched by the phone change

  // No plain copy of the PII in Redis keys or index members (single node: every key).
  if (!GetParam()) {
    const std::string store = StoreKeysAndIndexMembers();
    EXPECT_TRUE(absl::StrContains(store, ":find:phone:")) << store;
    for (const char* pii : {"13800138000", "13900139000", "13500135000", "li.wei", "Li.Wei"}) {
      EXPECT_FALSE(absl::StrContains(store, pii)) << pii << " in\n" << store;
    }
  }
  ExpectBadInputRefused();
}

void LookupTest::ExpectBadInputRefused() {
  const std::pair<ov1::FindCustomersRequest, std::string> cases[] = {
      {ov1::FindCustomersRequest(), "by: set exactly one of phone, email or tracking_number"},
      {[] { ov1::FindCustomersRequest r; r.set_phone("12"); return r; }(), "phone: "},
      {[] { ov1::FindCustomersRequest r; r.set_phone("138-CALL-ME"); return r; }(), "phone: "},
      {[] { ov1::FindCustomersRequest r; r.set_email("li.example.com"); return r; }(), "email: "},
      {[] { ov1::FindCustomersRequest r; r.set_tracking_number(" - "); return r; }(), "tracking_number: "},
  };
  for (const auto& [req, prefix] : cases) {
    ov1::FindCustomersResponse resp;
    grpc::Status st = Call("FindCustomers", req, &resp, &ov1::OrderService::Stub::FindCustomers);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << req.ShortDebugString();
    EXPECT_TRUE(absl::StartsWith(st.error_message(), prefix)) << st.error_message();
  }
}

INSTANTIATE_TEST_SUITE_P(Store, LookupTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("RedisCluster") : std::string("SingleNode");
                         });

}  // namespace
}  // namespace revisit::e2e
