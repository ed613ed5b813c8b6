// The order service as a real process (revisit-order, started by testing::Stack)
// against a real redis-server and the run's Kafka, driven over real gRPC. Proves the "Done
// when" list of issue 3: the full order path publishes its events in order, keyed
// by customer ID, with CloudEvents headers and PII-free payloads; a duplicate
// request changes nothing; a refund above the paid amount is refused and nothing
// changes; a SIGKILL between the Redis commit and the publish still publishes each
// event exactly once after restart; an open next-purchase discount (O5) is applied
// to exactly one later order even under a race; validation (names, codes, Chinese
// text); auto-completion and ShipmentLate (O3) by durable timer.
//
// No timing assertions: every wait is "until the condition holds", bounded by a
// generous guard that only turns a hang into a failure. "Nothing was published"
// is proved with a sentinel: a later event of the same customer (same outbox
// shard, same partition, published in commit order) appears and nothing unwanted
// appears before it.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "common/event_envelope.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/redis_client.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "tests/harness/kafka_reader.h"
#include "tests/harness/local_broker.h"
#include "tests/harness/stack.h"
#include "tests/harness/subprocess.h"
#include "tests/harness/tls_material.h"

namespace revisit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Svc;
namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::common::v1;

constexpr char kTopic[] = "revisit.order.v1";
constexpr absl::Duration kGuard = absl::Seconds(40);  // failure guard, never a timing check

std::string Header(const RawRecord& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string Type(const RawRecord& r) { return Header(r, kCeType); }

// ce_type "revisit.order.paid.v1" -> "paid".
std::string ShortType(const RawRecord& r) {
  std::string t = Type(r);
  const std::string prefix = "revisit.order.", suffix = ".v1";
  if (t.size() > prefix.size() + suffix.size() && t.rfind(prefix, 0) == 0) {
    return t.substr(prefix.size(), t.size() - prefix.size() - suffix.size());
  }
  return "?" + t;
}

cv1::Money Cny(int64_t minor) {
  cv1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

// A Chinese customer; name, phone and street are the PII that must never reach a topic.
constexpr char kName[] = "张小明";
constexpr char kPhone[] = "13800138000";
constexpr char kStreet[] = "文三路 100号 西溪花园 3幢 1单元 502室";
constexpr char kEmail[] = "xiaoming@example.cn";

ov1::Address ChineseAddress() {
  ov1::Address a;
  a.set_recipient(kName);
  a.set_phone(kPhone);
  a.set_province("浙江省");
  a.set_city("杭州市");
  a.set_district("西湖区");
  a.set_street(kStreet);
  a.set_postal_code("310012");
  return a;
}

ov1::Customer ChineseCustomer() {
  ov1::Customer c;
  c.set_name(kName);
  c.add_phones(kPhone);
  c.add_emails(kEmail);
  *c.add_addresses() = ChineseAddress();
  c.mutable_birthday()->set_month(2);
  c.mutable_birthday()->set_day(29);
  c.set_time_zone("Asia/Shanghai");
  (*c.mutable_preferences())["鞋码"] = "38";
  auto* consent = c.add_consents();
  consent->set_channel(cv1::CHANNEL_SMS);
  consent->set_granted(true);
  c.set_occupation("教师");
  return c;
}

ov1::OrderLine Line(const std::string& sku, int quantity, int64_t unit_minor) {
  ov1::OrderLine l;
  l.set_sku(sku);
  l.set_name("真丝围巾 " + sku);
  l.set_category("服饰");
  l.set_quantity(quantity);
  *l.mutable_unit_price() = Cny(unit_minor);
  return l;
}

// One test's stack (testing::Stack): redis-server and the run's Kafka from SetUp;
// revisit-order started by each test (StartService) with the environment it needs.
class OrderServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Make the certificates now, not inside a test whose domain clock already runs.
    testing::TlsMaterial::Get();
    testing::StackOptions o;
    o.services = {};  // no process yet: see StartService
    auto stack = testing::Stack::Start(o);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  void TearDown() override {
    if (stack_ != nullptr && ::testing::Test::HasFailure()) std::cerr << stack_->LogTails();
  }

  // (Re)starts revisit-order with `env` over the stack's defaults (a previous call's
  // `env` is forgotten); waits until it is SERVING.
  void StartService(const std::map<std::string, std::string>& env = {}) {
    stack_->ResetEnv(Svc::kOrder);
    for (const auto& [k, v] : env) stack_->SetEnv(Svc::kOrder, k, v);
    absl::Status st = stack_->Restart(Svc::kOrder);
    ASSERT_TRUE(st.ok()) << st;
    stub_ = &stack_->order();
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (ov1::OrderService::Stub::*method)(grpc::ClientContext*,
                                                                     const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
    return (stub_->*method)(&ctx, req, resp);
  }

  // --- RPC helpers that must succeed ---------------------------------------------------

  ov1::Customer CreateCustomer(const std::string& request_id,
                               const ov1::Customer& c = ChineseCustomer()) {
    ov1::CreateCustomerRequest req;
    req.set_request_id(request_id);
    *req.mutable_customer() = c;
    ov1::CreateCustomerResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::CreateCustomer, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.customer();
  }

  ov1::CreateOrderRequest OrderRequest(const std::string& request_id,
                                       const std::string& customer_id) {
    ov1::CreateOrderRequest req;
    req.set_request_id(request_id);
    req.set_customer_id(customer_id);
    *req.add_lines() = Line("SKU-1", 2, 12900);  // 2 x 129.00
    *req.add_lines() = Line("SKU-2", 1, 5000);   // 1 x 50.00
    *req.mutable_shipping_address() = ChineseAddress();
    return req;
  }

  ov1::Order CreateOrder(const std::string& request_id, const std::string& customer_id) {
    ov1::CreateOrderResponse resp;
    grpc::Status st =
        Call(&ov1::OrderService::Stub::CreateOrder, OrderRequest(request_id, customer_id), &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.order();
  }

  ov1::Order Pay(const std::string& request_id, const ov1::Order& o) {
    ov1::PayOrderRequest req;
    req.set_request_id(request_id);
    req.set_order_id(o.order_id());
    *req.mutable_amount() = o.total();
    req.set_payment_reference("alipay-" + request_id);
    ov1::PayOrderResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::PayOrder, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.order();
  }

  grpc::Status TryShip(const std::string& request_id, const std::string& order_id,
                       ov1::Order* out = nullptr) {
    ov1::ShipOrderRequest req;
    req.set_request_id(request_id);
    req.set_order_id(order_id);
    req.set_carrier("顺丰速运");
    req.set_tracking_number("SF1234567890");
    ov1::ShipOrderResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::ShipOrder, req, &resp);
    if (out) *out = resp.order();
    return st;
  }

  ov1::Order Ship(const std::string& request_id, const std::string& order_id) {
    ov1::Order o;
    grpc::Status st = TryShip(request_id, order_id, &o);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return o;
  }

  ov1::Order Deliver(const std::string& request_id, const std::string& order_id) {
    ov1::ConfirmDeliveryRequest req;
    req.set_request_id(request_id);
    req.set_order_id(order_id);
    req.set_inspected_on_receipt(true);
    ov1::ConfirmDeliveryResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::ConfirmDelivery, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.order();
  }

  ov1::Order Complete(const std::string& request_id, const std::string& order_id) {
    ov1::CompleteOrderRequest req;
    req.set_request_id(request_id);
    req.set_order_id(order_id);
    ov1::CompleteOrderResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::CompleteOrder, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.order();
  }

  ov1::Order GetOrder(const std::string& order_id) {
    ov1::GetOrderRequest req;
    req.set_order_id(order_id);
    ov1::GetOrderResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::GetOrder, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.order();
  }

  // --- topic helpers -------------------------------------------------------------------

  // Reads the whole topic until `done(records)` holds; fails after the guard.
  std::vector<RawRecord> ReadUntil(const std::function<bool(const std::vector<RawRecord>&)>& done,
                                   const std::string& what) {
    absl::Time give_up = absl::Now() + kGuard;
    std::vector<RawRecord> last;
    while (absl::Now() < give_up) {
      auto read = testing::ReadAllRaw(stack_->Bootstrap(), kTopic, absl::Seconds(10));
      if (read.ok()) {
        last = *std::move(read);
        if (done(last)) return last;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "guard expired waiting for " << what << "; topic has " << last.size()
                  << " records";
    return last;
  }

  // Records keyed by `customer_id`, in partition order.
  static std::vector<RawRecord> Of(const std::vector<RawRecord>& all,
                                   const std::string& customer_id) {
    std::vector<RawRecord> out;
    for (const auto& r : all) {
      if (r.key == customer_id) out.push_back(r);
    }
    return out;
  }

  // Waits until the customer's records include one with ce_type ...`type` and
  // ce_subject `subject`; returns the customer's records.
  std::vector<RawRecord> ReadCustomerUntil(const std::string& customer_id,
                                           const std::string& type, const std::string& subject) {
    auto all = ReadUntil(
        [&](const std::vector<RawRecord>& recs) {
          for (const auto& r : Of(recs, customer_id)) {
            if (ShortType(r) == type && Header(r, kCeSubject) == subject) return true;
          }
          return false;
        },
        type + " of " + subject);
    return Of(all, customer_id);
  }

  static std::vector<std::string> Types(const std::vector<RawRecord>& recs) {
    std::vector<std::string> out;
    for (const auto& r : recs) out.push_back(ShortType(r));
    return out;
  }

  // Entries in every outbox stream of the order service (committed, not yet acked).
  int64_t OutboxBacklog() {
    RedisClient redis(stack_->StoreOptions());
    int64_t total = 0;
    for (int s = 0; s < kShards; ++s) {
      auto n = redis.Command({"XLEN", OutboxStream("order", s)});
      EXPECT_TRUE(n.ok()) << n.status();
      if (n.ok()) total += n->integer;
    }
    return total;
  }

  std::unique_ptr<testing::Stack> stack_;
  ov1::OrderService::Stub* stub_ = nullptr;  // the stack's: reconnects after a restart
};

// (a) create customer → create order → pay → ship → deliver → complete: the events
// appear in order on revisit.order.v1, keyed by the customer ID, with CloudEvents
// headers, ce_sequence increasing per order, and no PII in any payload.
// Topics are created by the deployment: on real Kafka (auto-creation off) a service
// whose topic does not exist refuses to start and names it, instead of serving
// calls whose events could never be published.
TEST_F(OrderServiceTest, StartUpRefusesAnEventTopicThatDoesNotExist) {
  ASSERT_NE(stack_->local_broker(), nullptr);
  ASSERT_FALSE(stack_->local_broker()->embedded()) << "needs real Kafka (the mock auto-creates topics)";
  stack_->SetEnv(Svc::kOrder, "REVISIT_TOPIC_PREFIX", "nonexistent.");
  absl::Status st = stack_->Restart(Svc::kOrder);
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_FALSE(stack_->Running(Svc::kOrder));
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("kafka topic nonexistent.revisit.order.v1 does not exist"));
}

TEST_F(OrderServiceTest, FullPathPublishesOrderedCloudEventsKeyedByCustomerWithoutPii) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  ov1::Customer c = CreateCustomer("cust-a");
  ASSERT_FALSE(c.customer_id().empty());
  ov1::Order o = CreateOrder("order-a", c.customer_id());
  ASSERT_EQ(o.state(), ov1::ORDER_STATE_CREATED);
  EXPECT_EQ(o.total().amount_minor(), 2 * 12900 + 5000);
  EXPECT_EQ(Pay("pay-a", o).state(), ov1::ORDER_STATE_PAID);
  EXPECT_EQ(Ship("ship-a", o.order_id()).state(), ov1::ORDER_STATE_SHIPPED);
  EXPECT_EQ(Deliver("deliver-a", o.order_id()).state(), ov1::ORDER_STATE_DELIVERED);
  ov1::Order done = Complete("complete-a", o.order_id());
  EXPECT_EQ(done.state(), ov1::ORDER_STATE_COMPLETED);

  auto all = ReadUntil([&](const std::vector<RawRecord>& r) { return r.size() >= 6; }, "6 events");
  std::vector<RawRecord> recs = Of(all, c.customer_id());
  ASSERT_EQ(all.size(), recs.size()) << "every event is keyed by the customer ID";
  ASSERT_THAT(Types(recs), ElementsAre("customer_registered", "created", "paid", "shipped",
                                       "delivered", "completed"));
  std::set<std::string> ids;
  int64_t last_seq = 0;
  absl::Time last_time = absl::InfinitePast();
  for (size_t i = 0; i < recs.size(); ++i) {
    const RawRecord& r = recs[i];
    SCOPED_TRACE(Type(r));
    EXPECT_EQ(r.partition, recs[0].partition) << "one customer, one partition";
    EXPECT_EQ(Header(r, kCeSpecVersion), "1.0");
    EXPECT_EQ(Header(r, kCeId).size(), 32u);
    ids.insert(Header(r, kCeId));
    EXPECT_EQ(Type(r), "revisit.order." + ShortType(r) + ".v1");
    EXPECT_EQ(Header(r, kCeSource), "revisit/order");
    EXPECT_EQ(Header(r, kContentType), "application/protobuf");
    absl::Time t;
    std::string err;
    EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, Header(r, kCeTime), &t, &err))
        << Header(r, kCeTime) << ": " << err;
    EXPECT_GE(t, last_time);
    last_time = t;
    int64_t seq = 0;
    ASSERT_TRUE(absl::SimpleAtoi(Header(r, kCeSequence), &seq)) << Header(r, kCeSequence);
    if (i == 0) {
      EXPECT_EQ(Header(r, kCeSubject), c.customer_id());
      EXPECT_EQ(seq, 1);
    } else {
      EXPECT_EQ(Header(r, kCeSubject), o.order_id());
      EXPECT_EQ(seq, last_seq + 1) << "ce_sequence increases by one per order event";
      last_seq = seq;
    }
    if (i == 1) {
      EXPECT_EQ(seq, 1);
    }
    // PII-free: no name, phone, e-mail or street bytes anywhere in the payload.
    for (const char* pii : {kName, kPhone, kStreet, kEmail, "西溪花园"}) {
      EXPECT_EQ(r.value.find(pii), std::string::npos) << "payload leaks " << pii;
    }
  }
  EXPECT_EQ(ids.size(), recs.size()) << "ce_id is unique per event";

  ov1::CustomerRegistered reg;
  ASSERT_TRUE(reg.ParseFromString(recs[0].value));
  EXPECT_EQ(reg.customer_id(), c.customer_id());
  EXPECT_EQ(reg.birthday().month(), 2);
  EXPECT_EQ(reg.time_zone(), "Asia/Shanghai");
  ov1::OrderShipped shipped;
  ASSERT_TRUE(shipped.ParseFromString(recs[3].value));
  EXPECT_EQ(shipped.order().order_id(), o.order_id());
  EXPECT_EQ(shipped.carrier(), "顺丰速运");
  EXPECT_EQ(shipped.tracking_number(), "SF1234567890");
  ov1::OrderCompleted completed;
  ASSERT_TRUE(completed.ParseFromString(recs[5].value));
  EXPECT_EQ(completed.order().state(), ov1::ORDER_STATE_COMPLETED);
  EXPECT_EQ(completed.order().paid().amount_minor(), o.total().amount_minor());
  EXPECT_TRUE(completed.order().inspected_on_receipt());
  EXPECT_FALSE(completed.automatic());
}

// (b) A repeated request_id returns the first answer (same IDs) and changes nothing:
// no second order, no second event.
TEST_F(OrderServiceTest, DuplicateRequestReturnsFirstAnswerAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  ov1::Customer c1 = CreateCustomer("cust-dup");
  ov1::Customer c2 = CreateCustomer("cust-dup");
  EXPECT_EQ(c1.customer_id(), c2.customer_id());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(c1, c2));

  ov1::Order o1 = CreateOrder("order-dup", c1.customer_id());
  ov1::Order o2 = CreateOrder("order-dup", c1.customer_id());
  EXPECT_EQ(o1.order_id(), o2.order_id());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(o1, o2));
  ov1::Order p1 = Pay("pay-dup", o1);
  ov1::Order p2 = Pay("pay-dup", o1);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(p1, p2));
  EXPECT_EQ(p2.state(), ov1::ORDER_STATE_PAID);
  // Even after the order moved on, the repeat still gets the first answer (PAID).
  Ship("ship-dup", o1.order_id());
  ov1::Order p3 = Pay("pay-dup", o1);
  EXPECT_EQ(p3.state(), ov1::ORDER_STATE_PAID);
  ov1::Order s2;
  ASSERT_TRUE(TryShip("ship-dup", o1.order_id(), &s2).ok());
  EXPECT_EQ(s2.state(), ov1::ORDER_STATE_SHIPPED);

  ov1::ListOrdersRequest list;
  list.set_customer_id(c1.customer_id());
  ov1::ListOrdersResponse listed;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::ListOrders, list, &listed).ok());
  EXPECT_EQ(listed.orders_size(), 1);
  EXPECT_EQ(GetOrder(o1.order_id()).shipment().shipped_at().seconds(),
            s2.shipment().shipped_at().seconds());

  // Sentinel: delivery comes after everything above in the same outbox shard.
  Deliver("deliver-dup", o1.order_id());
  ov1::ShipOrderRequest ship_again;
  ship_again.set_request_id("ship-dup");
  ship_again.set_order_id(o1.order_id());
  ship_again.set_carrier("顺丰速运");
  ship_again.set_tracking_number("SF1234567890");
  ov1::ShipOrderResponse first_ship, later_ship;
  *first_ship.mutable_order() = s2;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::ShipOrder, ship_again, &later_ship).ok());
  EXPECT_EQ(later_ship.SerializeAsString(), first_ship.SerializeAsString());
  ov1::Order p4 = Pay("pay-dup", o1);  // decide now fails: the recorded answer still wins
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(p1, p4));
  auto recs = ReadCustomerUntil(c1.customer_id(), "delivered", o1.order_id());
  EXPECT_THAT(Types(recs),
              ElementsAre("customer_registered", "created", "paid", "shipped", "delivered"));
}

// Issue 17: the service decides on the orders it committed last (OrderCache) and
// sends only the commit. An order changed behind its back (here written to Redis
// directly, as another instance would) is never answered from the stale copy: a
// refusal on the copy is not the answer (the order is read and decided again), and a
// decision on the copy is refused by the commit's version guard and made again.
TEST_F(OrderServiceTest, AnOrderChangedByAnotherWriterIsDecidedOnAsStored) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  RedisClient redis(stack_->StoreOptions());
  auto overwrite = [&](const ov1::Order& o, int version) {
    auto shard = ShardOfEntityId(o.order_id(), "ord", "order_id");
    ASSERT_TRUE(shard.ok()) << shard.status();
    auto st = redis.Command({"HSET", ShardKey("order", *shard, "order:" + o.order_id()), "v",
                             std::to_string(version), "d", o.SerializeAsString()});
    ASSERT_TRUE(st.ok()) << st.status();
  };
  ov1::Customer c = CreateCustomer("cust-stale");

  // Cached: PAID (version 2); stored: SHIPPED (3). The copy refuses delivery.
  ov1::Order a = Pay("pay-stale-a", CreateOrder("order-stale-a", c.customer_id()));
  ov1::Order shipped = a;
  shipped.set_state(ov1::ORDER_STATE_SHIPPED);
  shipped.mutable_shipment()->set_carrier("顺丰速运");
  shipped.mutable_shipment()->set_tracking_number("SF0000000001");
  ASSERT_NO_FATAL_FAILURE(overwrite(shipped, 3));
  ov1::Order delivered = Deliver("deliver-stale-a", a.order_id());
  EXPECT_EQ(delivered.state(), ov1::ORDER_STATE_DELIVERED);
  EXPECT_EQ(delivered.shipment().tracking_number(), "SF0000000001");

  // Cached: PAID (2); stored: CANCELLED (3). The copy would ship; the stored order refuses.
  ov1::Order b = Pay("pay-stale-b", CreateOrder("order-stale-b", c.customer_id()));
  ov1::Order cancelled = b;
  cancelled.set_state(ov1::ORDER_STATE_CANCELLED);
  ASSERT_NO_FATAL_FAILURE(overwrite(cancelled, 3));
  ov1::Order out;
  grpc::Status st = TryShip("ship-stale-b", b.order_id(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  ov1::Order stored = GetOrder(b.order_id());
  EXPECT_EQ(stored.state(), ov1::ORDER_STATE_CANCELLED);
  EXPECT_FALSE(stored.has_shipment());
}

// (c) A refund above what was paid is FAILED_PRECONDITION naming the amounts; the
// order is unchanged and no refund event is published.
TEST_F(OrderServiceTest, RefundAbovePaidIsRefusedAndNothingChanges) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  ov1::Customer c = CreateCustomer("cust-r");
  ov1::Order o = CreateOrder("order-r", c.customer_id());
  Pay("pay-r", o);  // 308.00 CNY
  ov1::Order before = GetOrder(o.order_id());

  ov1::RefundOrderRequest req;
  req.set_request_id("refund-too-much");
  req.set_order_id(o.order_id());
  *req.mutable_amount() = Cny(30801);
  req.set_reason("客户要求退款");
  ov1::RefundOrderResponse resp;
  grpc::Status st = Call(&ov1::OrderService::Stub::RefundOrder, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("308.01 CNY"));
  EXPECT_THAT(st.error_message(), HasSubstr("308.00 CNY"));
  EXPECT_THAT(st.error_message(), HasSubstr("paid 308.00 CNY"));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(before, GetOrder(o.order_id())));

  // A partial refund, then a second one that would exceed the rest: cumulative cap.
  *req.mutable_amount() = Cny(30000);
  req.set_request_id("refund-ok");
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::RefundOrder, req, &resp).ok());
  EXPECT_EQ(resp.order().refunded().amount_minor(), 30000);
  ov1::Order after_first = GetOrder(o.order_id());
  *req.mutable_amount() = Cny(801);
  req.set_request_id("refund-rest-too-much");
  st = Call(&ov1::OrderService::Stub::RefundOrder, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("refund of 8.01 CNY exceeds the refundable balance 8.00 CNY"));
  EXPECT_THAT(st.error_message(), HasSubstr("already refunded 300.00 CNY"));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(after_first, GetOrder(o.order_id())));

  Ship("ship-r", o.order_id());  // sentinel
  auto recs = ReadCustomerUntil(c.customer_id(), "shipped", o.order_id());
  EXPECT_THAT(Types(recs),
              ElementsAre("customer_registered", "created", "paid", "refunded", "shipped"));
  ov1::OrderRefunded refunded;
  ASSERT_TRUE(refunded.ParseFromString(recs[3].value));
  EXPECT_EQ(refunded.refund().amount().amount_minor(), 30000);
}

// (d) SIGKILL between the Redis commit and the publish: the first process commits
// (state + outbox in one Lua script) but can reach no broker, so nothing leaves
// Redis; it is killed; a new process (different instance, so it takes the relay
// lease over once the dead holder's lease expires) publishes every committed event
// exactly once, by ce_id.
TEST_F(OrderServiceTest, KilledBetweenCommitAndPublishPublishesEachEventExactlyOnceAfterRestart) {
  auto dead_port = testing::FreePort();  // nothing listens there
  ASSERT_TRUE(dead_port.ok());
  ASSERT_NO_FATAL_FAILURE(
      StartService({{"REVISIT_KAFKA_BOOTSTRAP", absl::StrCat("127.0.0.1:", *dead_port)}}));
  std::vector<std::string> customers;
  std::vector<std::string> orders;
  for (int i = 0; i < 3; ++i) {
    ov1::Customer c = CreateCustomer(absl::StrCat("cust-k", i));
    ov1::Order o = CreateOrder(absl::StrCat("order-k", i), c.customer_id());
    Pay(absl::StrCat("pay-k", i), o);
    Ship(absl::StrCat("ship-k", i), o.order_id());
    customers.push_back(c.customer_id());
    orders.push_back(o.order_id());
  }
  const int64_t committed = OutboxBacklog();
  EXPECT_EQ(committed, 12) << "every committed event is still in the outbox";
  auto nothing = testing::ReadAllRaw(stack_->Bootstrap(), kTopic);
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  ASSERT_TRUE(nothing->empty()) << "no broker was reachable: nothing can have been published";
  ASSERT_TRUE(stack_->Kill(Svc::kOrder).ok());

  // The real broker now, as another instance (another relay lease holder).
  ASSERT_NO_FATAL_FAILURE(StartService({{"REVISIT_INSTANCE_ID", "order-it-2"}}));
  auto all = ReadUntil([&](const std::vector<RawRecord>& r) { return r.size() >= 12; },
                       "12 events after restart");
  // Quiescence: once the outbox is empty nothing is left that could be sent again.
  absl::Time give_up = absl::Now() + kGuard;
  while (OutboxBacklog() > 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(50));
  ASSERT_EQ(OutboxBacklog(), 0);
  all = ReadUntil([](const std::vector<RawRecord>&) { return true; }, "final read");

  std::map<std::string, int> by_id;
  for (const auto& r : all) ++by_id[Header(r, kCeId)];
  EXPECT_EQ(all.size(), 12u);
  EXPECT_EQ(by_id.size(), 12u);
  for (const auto& [id, n] : by_id) EXPECT_EQ(n, 1) << "ce_id " << id << " published " << n << "x";
  for (size_t i = 0; i < customers.size(); ++i) {
    EXPECT_THAT(Types(Of(all, customers[i])),
                ElementsAre("customer_registered", "created", "paid", "shipped"))
        << "in commit order per customer";
  }
  // And the restarted service keeps publishing new work once.
  Deliver("deliver-k0", orders[0]);
  auto recs = ReadCustomerUntil(customers[0], "delivered", orders[0]);
  EXPECT_EQ(recs.size(), 5u);
}

// (e) O5: an open next-purchase discount is applied to exactly one later order,
// even when two CreateOrder calls for the customer race; the promise is REDEEMED
// naming that order and one promise_redeemed event is published.
TEST_F(OrderServiceTest, OpenDiscountIsAppliedToExactlyOneOrderUnderRace) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    ov1::Customer c = CreateCustomer(absl::StrCat("cust-p", round));
    ov1::RecordPromiseRequest preq;
    preq.set_request_id(absl::StrCat("promise-", round));
    auto* p = preq.mutable_promise();
    p->set_customer_id(c.customer_id());
    p->set_kind(ov1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT);
    p->set_description("下次购物立减 20 元");
    *p->mutable_discount() = Cny(2000);
    p->set_made_by("客服小王");
    ov1::RecordPromiseResponse presp;
    ASSERT_TRUE(Call(&ov1::OrderService::Stub::RecordPromise, preq, &presp).ok());
    ASSERT_EQ(presp.promise().state(), ov1::PROMISE_STATE_OPEN);

    ov1::Order results[2];
    grpc::Status statuses[2];
    absl::Barrier* start = new absl::Barrier(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        ov1::CreateOrderRequest req = OrderRequest(absl::StrCat("race-", round, "-", t), c.customer_id());
        ov1::CreateOrderResponse resp;
        grpc::ClientContext ctx;
        ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
        if (start->Block()) delete start;
        statuses[t] = stub_->CreateOrder(&ctx, req, &resp);
        results[t] = resp.order();
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(statuses[0].ok()) << statuses[0].error_message();
    ASSERT_TRUE(statuses[1].ok()) << statuses[1].error_message();
    ASSERT_NE(results[0].order_id(), results[1].order_id());
    int discounted = 0;
    std::string winner;
    for (const auto& o : results) {
      if (!o.applied_promise_id().empty()) {
        ++discounted;
        winner = o.order_id();
        EXPECT_EQ(o.applied_promise_id(), presp.promise().promise_id());
        EXPECT_EQ(o.discount().amount_minor(), 2000);
        EXPECT_EQ(o.total().amount_minor(), 30800 - 2000);
      } else {
        EXPECT_EQ(o.discount().amount_minor(), 0);
        EXPECT_EQ(o.total().amount_minor(), 30800);
      }
      // Stored state agrees with the answer.
      EXPECT_EQ(GetOrder(o.order_id()).applied_promise_id(), o.applied_promise_id());
    }
    EXPECT_EQ(discounted, 1);

    ov1::ListPromisesRequest lreq;
    lreq.set_customer_id(c.customer_id());
    ov1::ListPromisesResponse lresp;
    ASSERT_TRUE(Call(&ov1::OrderService::Stub::ListPromises, lreq, &lresp).ok());
    ASSERT_EQ(lresp.promises_size(), 1);
    EXPECT_EQ(lresp.promises(0).state(), ov1::PROMISE_STATE_REDEEMED);
    EXPECT_EQ(lresp.promises(0).redeemed_order_id(), winner);
    EXPECT_EQ(lresp.promises(0).description(), "下次购物立减 20 元") << "terms never change (O8)";

    // A third order gets no discount; its event is the sentinel for the topic check.
    absl::SleepFor(absl::Milliseconds(2));  // a later millisecond, so "newest" is defined
    ov1::Order third = CreateOrder(absl::StrCat("third-", round), c.customer_id());
    EXPECT_TRUE(third.applied_promise_id().empty());
    EXPECT_EQ(third.total().amount_minor(), 30800);
    // ListOrders is newest first (millisecond scores must survive the zset write).
    ov1::ListOrdersRequest list;
    list.set_customer_id(c.customer_id());
    ov1::ListOrdersResponse listed;
    ASSERT_TRUE(Call(&ov1::OrderService::Stub::ListOrders, list, &listed).ok());
    ASSERT_EQ(listed.orders_size(), 3);
    EXPECT_EQ(listed.orders(0).order_id(), third.order_id());
    auto recs = ReadCustomerUntil(c.customer_id(), "created", third.order_id());
    int redeemed_events = 0;
    for (const auto& r : recs) {
      if (ShortType(r) != "promise_redeemed") continue;
      ++redeemed_events;
      ov1::PromiseRedeemed ev;
      ASSERT_TRUE(ev.ParseFromString(r.value));
      EXPECT_EQ(ev.promise().redeemed_order_id(), winner);
    }
    EXPECT_EQ(redeemed_events, 1);
    EXPECT_EQ(std::count_if(recs.begin(), recs.end(),
                            [](const RawRecord& r) { return ShortType(r) == "created"; }),
              3);
  }
}

// (f) Validation: Chinese text round-trips byte for byte; bad fields are
// INVALID_ARGUMENT naming the field; unknown IDs NOT_FOUND; an illegal transition
// is FAILED_PRECONDITION naming the state and the action.
TEST_F(OrderServiceTest, ValidationNamesFieldsAndChineseTextRoundTrips) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  ov1::Customer sent = ChineseCustomer();
  sent.set_name("欧阳娜娜𠀀");  // includes a 4-byte (supplementary plane) character
  ov1::Customer c = CreateCustomer("cust-v", sent);
  ov1::GetCustomerRequest greq;
  greq.set_customer_id(c.customer_id());
  ov1::GetCustomerResponse gresp;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::GetCustomer, greq, &gresp).ok());
  // O2: the archive keeps contact, addresses and profile facts as recorded.
  EXPECT_EQ(gresp.customer().name(), "欧阳娜娜𠀀");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(gresp.customer().addresses(0),
                                                                 ChineseAddress()));
  EXPECT_EQ(gresp.customer().preferences().at("鞋码"), "38");
  EXPECT_EQ(gresp.customer().occupation(), "教师");

  ov1::CreateOrderRequest oreq = OrderRequest("order-v", c.customer_id());
  auto* gift = oreq.mutable_gift();
  gift->set_recipient_name("李华");
  gift->set_card_message("生日快乐！愿你天天开心。");
  ov1::CreateOrderResponse oresp;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::CreateOrder, oreq, &oresp).ok());
  ov1::Order stored = GetOrder(oresp.order().order_id());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(stored.shipping_address(), ChineseAddress()));
  EXPECT_EQ(stored.lines(0).name(), "真丝围巾 SKU-1");
  EXPECT_EQ(stored.gift().card_message(), "生日快乐！愿你天天开心。");
  EXPECT_EQ(stored.gift().signed_by(), "欧阳娜娜𠀀") << "O6: signed with the buyer's name";

  struct Bad {
    std::string what;
    std::function<void(ov1::CreateCustomerRequest&)> edit;
    std::string field;
  };
  const std::vector<Bad> bad_customers = {
      {"empty name", [](auto& r) { r.mutable_customer()->clear_name(); }, "customer.name"},
      {"name too long", [](auto& r) { r.mutable_customer()->set_name(std::string(101 * 3, 'x')); },
       "customer.name"},
      {"bad email", [](auto& r) { r.mutable_customer()->set_emails(0, "no-at-sign"); },
       "customer.emails[0]"},
      {"bad birthday", [](auto& r) { r.mutable_customer()->mutable_birthday()->set_day(30); },
       "customer.birthday.day"},
      {"bad time zone", [](auto& r) { r.mutable_customer()->set_time_zone("Mars/Olympus"); },
       "customer.time_zone"},
      {"no request id", [](auto& r) { r.clear_request_id(); }, "request_id"},
      {"address lacks city",
       [](auto& r) { r.mutable_customer()->mutable_addresses(0)->clear_city(); },
       "customer.addresses[0].city"},
  };
  for (const auto& b : bad_customers) {
    ov1::CreateCustomerRequest req;
    req.set_request_id("bad-" + std::to_string(&b - bad_customers.data()));
    *req.mutable_customer() = ChineseCustomer();
    b.edit(req);
    ov1::CreateCustomerResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::CreateCustomer, req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << b.what;
    EXPECT_THAT(st.error_message(), HasSubstr(b.field + ":")) << b.what;
  }

  struct BadOrder {
    std::string what;
    std::function<void(ov1::CreateOrderRequest&)> edit;
    std::string field;
  };
  const std::vector<BadOrder> bad_orders = {
      {"no lines", [](auto& r) { r.clear_lines(); }, "lines"},
      {"zero quantity", [](auto& r) { r.mutable_lines(1)->set_quantity(0); }, "lines[1].quantity"},
      {"bad currency", [](auto& r) { r.mutable_lines(0)->mutable_unit_price()->set_currency("rmb"); },
       "lines[0].unit_price.currency"},
      {"mixed currency",
       [](auto& r) { r.mutable_lines(1)->mutable_unit_price()->set_currency("USD"); },
       "lines[1].unit_price.currency"},
      {"negative price",
       [](auto& r) { r.mutable_lines(0)->mutable_unit_price()->set_amount_minor(-1); },
       "lines[0].unit_price.amount_minor"},
      {"no address", [](auto& r) { r.clear_shipping_address(); }, "shipping_address"},
      {"address lacks street", [](auto& r) { r.mutable_shipping_address()->clear_street(); },
       "shipping_address.street"},
      {"card too long",
       [](auto& r) { r.mutable_gift()->set_recipient_name("李华");
                     r.mutable_gift()->set_card_message(std::string(501 * 3, 'a')); },
       "gift.card_message"},
  };
  for (const auto& b : bad_orders) {
    ov1::CreateOrderRequest req = OrderRequest("bad-order", c.customer_id());
    b.edit(req);
    ov1::CreateOrderResponse resp;
    grpc::Status st = Call(&ov1::OrderService::Stub::CreateOrder, req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << b.what;
    EXPECT_THAT(st.error_message(), HasSubstr(b.field + ":")) << b.what << ": " << st.error_message();
  }
  // Pay with the wrong amount names the field and the total.
  ov1::PayOrderRequest pay;
  pay.set_request_id("pay-wrong");
  pay.set_order_id(stored.order_id());
  *pay.mutable_amount() = Cny(1);
  ov1::PayOrderResponse pay_resp;
  grpc::Status st = Call(&ov1::OrderService::Stub::PayOrder, pay, &pay_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("amount: must equal the order total 308.00 CNY"));

  // Unknown IDs: NOT_FOUND naming the field.
  greq.set_customer_id(NewEntityId("cus", 3));
  st = Call(&ov1::OrderService::Stub::GetCustomer, greq, &gresp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("customer_id"));
  ov1::GetOrderRequest get;
  get.set_order_id(NewEntityId("ord", 5));
  ov1::GetOrderResponse got;
  st = Call(&ov1::OrderService::Stub::GetOrder, get, &got);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("order_id"));
  get.set_order_id("not-an-order-id");
  st = Call(&ov1::OrderService::Stub::GetOrder, get, &got);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  ov1::CreateOrderRequest unknown = OrderRequest("order-unknown", NewEntityId("cus", 1));
  st = Call(&ov1::OrderService::Stub::CreateOrder, unknown, &oresp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("customer_id"));
  st = TryShip("ship-unknown", NewEntityId("ord", 2));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  // Illegal transitions: FAILED_PRECONDITION naming state and action.
  st = TryShip("ship-early", stored.order_id());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("cannot ship an order that is created"));
  ov1::CompleteOrderRequest complete;
  complete.set_request_id("complete-early");
  complete.set_order_id(stored.order_id());
  ov1::CompleteOrderResponse complete_resp;
  st = Call(&ov1::OrderService::Stub::CompleteOrder, complete, &complete_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("cannot complete an order that is created"));
  Pay("pay-v", stored);
  Ship("ship-v", stored.order_id());
  ov1::CancelOrderRequest cancel;
  cancel.set_request_id("cancel-late");
  cancel.set_order_id(stored.order_id());
  cancel.set_reason("不想要了");
  ov1::CancelOrderResponse cancel_resp;
  st = Call(&ov1::OrderService::Stub::CancelOrder, cancel, &cancel_resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("cannot cancel an order that is shipped"));
  EXPECT_EQ(GetOrder(stored.order_id()).state(), ov1::ORDER_STATE_SHIPPED);
}

// (g) A delivered order completes by itself after REVISIT_ORDER_AUTO_COMPLETE_AFTER
// (durable timer): OrderCompleted with automatic=true.
TEST_F(OrderServiceTest, DeliveredOrderCompletesAutomaticallyByDurableTimer) {
  ASSERT_NO_FATAL_FAILURE(StartService({{"REVISIT_ORDER_AUTO_COMPLETE_AFTER", "2s"}}));
  ov1::Customer c = CreateCustomer("cust-g");
  ov1::Order o = CreateOrder("order-g", c.customer_id());
  Pay("pay-g", o);
  Ship("ship-g", o.order_id());
  ov1::Order delivered = Deliver("deliver-g", o.order_id());
  ASSERT_EQ(delivered.state(), ov1::ORDER_STATE_DELIVERED);
  EXPECT_EQ(delivered.auto_complete_at().seconds() - delivered.delivered_at().seconds(), 2);

  auto recs = ReadCustomerUntil(c.customer_id(), "completed", o.order_id());
  ASSERT_FALSE(recs.empty());
  EXPECT_THAT(Types(recs), ElementsAre("customer_registered", "created", "paid", "shipped",
                                       "delivered", "completed"));
  ov1::OrderCompleted ev;
  ASSERT_TRUE(ev.ParseFromString(recs.back().value));
  EXPECT_TRUE(ev.automatic());
  EXPECT_EQ(Header(recs.back(), kCeSequence), "5");
  ov1::Order done = GetOrder(o.order_id());
  EXPECT_EQ(done.state(), ov1::ORDER_STATE_COMPLETED);
  // A person completing it afterwards is an illegal transition, not a second event.
  ov1::CompleteOrderRequest req;
  req.set_request_id("complete-g");
  req.set_order_id(o.order_id());
  ov1::CompleteOrderResponse resp;
  grpc::Status st = Call(&ov1::OrderService::Stub::CompleteOrder, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("cannot complete an order that is completed"));
}

// (h) O3: a paid order not shipped by the same-day cut-off raises ShipmentLate. Domain
// time runs 15x (REVISIT_TIME_SCALE) from REVISIT_TIME_ORIGIN = now, and the cut-off is
// 2-3 domain minutes after the origin, so the deadline passes 8-12 wall seconds after start.
TEST_F(OrderServiceTest, PaidOrderNotShippedByCutoffRaisesShipmentLate) {
  absl::Time origin = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  absl::CivilMinute cutoff = absl::ToCivilMinute(origin, absl::UTCTimeZone()) + 3;
  ASSERT_NO_FATAL_FAILURE(StartService({
      {"REVISIT_TIME_SCALE", "15"},
      {"REVISIT_TIME_ORIGIN", std::to_string(absl::ToUnixSeconds(origin))},
      {"REVISIT_ORDER_SHIP_TIME_ZONE", "UTC"},
      {"REVISIT_ORDER_SHIP_CUTOFF", absl::StrFormat("%02d:%02d", cutoff.hour(), cutoff.minute())},
  }));
  ov1::Customer c = CreateCustomer("cust-h");
  ov1::Order o = CreateOrder("order-h", c.customer_id());
  ov1::Order paid = Pay("pay-h", o);
  absl::Time ship_by = absl::FromUnixSeconds(paid.ship_by().seconds());
  ASSERT_EQ(ship_by, absl::FromCivil(cutoff, absl::UTCTimeZone()))
      << "paid after the cut-off (machine too slow?): the deadline moved to tomorrow";

  auto recs = ReadCustomerUntil(c.customer_id(), "shipment_late", o.order_id());
  ASSERT_FALSE(recs.empty());
  EXPECT_THAT(Types(recs), ElementsAre("customer_registered", "created", "paid", "shipment_late"));
  ov1::ShipmentLate late;
  ASSERT_TRUE(late.ParseFromString(recs.back().value));
  EXPECT_EQ(late.order().order_id(), o.order_id());
  EXPECT_EQ(late.order().state(), ov1::ORDER_STATE_PAID);
  EXPECT_EQ(late.ship_by().seconds(), paid.ship_by().seconds());
  EXPECT_EQ(GetOrder(o.order_id()).state(), ov1::ORDER_STATE_PAID) << "still to be shipped";
  // Shipping late still works, and the late timer fired once: one shipment_late event.
  Ship("ship-h", o.order_id());
  recs = ReadCustomerUntil(c.customer_id(), "shipped", o.order_id());
  EXPECT_THAT(Types(recs), ElementsAre("customer_registered", "created", "paid", "shipment_late",
                                       "shipped"));
}

// The only fake here: a LoyaltyService whose GetShippingPerks grants a parcel gift
// and, while answering, changes the order behind the shipping call's back (bumps
// the stored version), so the ship's first commit meets a version conflict.
class ConflictingLoyalty final : public revisit::loyalty::v1::LoyaltyService::Service {
 public:
  explicit ConflictingLoyalty(const std::string& redis_address) {
    auto opts = ParseRedisAddress(redis_address);
    EXPECT_TRUE(opts.ok()) << opts.status();
    redis_ = std::make_unique<RedisClient>(*opts);
  }
  grpc::Status GetShippingPerks(grpc::ServerContext*,
                                const revisit::loyalty::v1::GetShippingPerksRequest* req,
                                revisit::loyalty::v1::GetShippingPerksResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    auto shard = ShardOfEntityId(req->order_id(), "ord", "order_id");
    EXPECT_TRUE(shard.ok()) << shard.status();
    if (shard.ok()) {
      auto bumped = redis_->Command(
          {"HINCRBY", ShardKey("order", *shard, "order:" + req->order_id()), "v", "1"});
      EXPECT_TRUE(bumped.ok()) << bumped.status();
    }
    resp->set_parcel_gift(true);
    resp->set_reason("gold tier: gift in parcel");
    return grpc::Status::OK;
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  int calls_ = 0;
  std::unique_ptr<RedisClient> redis_;
};

// (i) O7: shipping asks loyalty for perks once per RPC, outside the read-decide-commit
// retry loop: a forced version conflict (ABORTED, retried) does not ask again, and
// the shipment still carries the perks. A repeat of the ship asks nothing.
TEST_F(OrderServiceTest, VersionConflictWhileShippingAsksLoyaltyOnce) {
  ConflictingLoyalty loyalty(stack_->redis().Address());
  int loyalty_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", testing::TlsMaterial::Get().ServerCredentials("loyalty"),
                           &loyalty_port);
  builder.RegisterService(&loyalty);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(loyalty_port, 0);
  ASSERT_NO_FATAL_FAILURE(StartService(
      {{"REVISIT_LOYALTY_ADDR", absl::StrCat("127.0.0.1:", loyalty_port)},
       {"REVISIT_ORDER_PERKS_DEADLINE", "10s"}}));
  ov1::Customer c = CreateCustomer("cust-i");
  ov1::Order o = CreateOrder("order-i", c.customer_id());
  Pay("pay-i", o);

  ov1::Order shipped = Ship("ship-i", o.order_id());
  EXPECT_EQ(loyalty.calls(), 1);
  EXPECT_EQ(shipped.state(), ov1::ORDER_STATE_SHIPPED);
  EXPECT_TRUE(shipped.shipment().gift_in_parcel());
  EXPECT_EQ(shipped.shipment().perks_note(), "gold tier: gift in parcel");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(GetOrder(o.order_id()), shipped));

  ov1::Order again;
  ASSERT_TRUE(TryShip("ship-i", o.order_id(), &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(again, shipped));
  EXPECT_EQ(loyalty.calls(), 1);
  server->Shutdown();
}

// A LoyaltyService that refuses every perks request, as loyalty does for an order ID
// that is not the customer's.
class RefusingLoyalty final : public revisit::loyalty::v1::LoyaltyService::Service {
 public:
  grpc::Status GetShippingPerks(grpc::ServerContext*,
                                const revisit::loyalty::v1::GetShippingPerksRequest*,
                                revisit::loyalty::v1::GetShippingPerksResponse*) override {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "order_id: not an order of this customer");
  }
};

// (j) O7 degrades visibly: the shipment records whether loyalty refused the request
// or could not be reached, and ships without perks either way.
TEST_F(OrderServiceTest, ShipmentRecordsWhetherLoyaltyRefusedOrWasUnavailable) {
  RefusingLoyalty loyalty;
  int loyalty_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", testing::TlsMaterial::Get().ServerCredentials("loyalty"),
                           &loyalty_port);
  builder.RegisterService(&loyalty);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_NO_FATAL_FAILURE(StartService(
      {{"REVISIT_LOYALTY_ADDR", absl::StrCat("127.0.0.1:", loyalty_port)}}));
  ov1::Customer c = CreateCustomer("cust-j");
  ov1::Order refused = CreateOrder("order-j1", c.customer_id());
  Pay("pay-j1", refused);
  ov1::Order shipped = Ship("ship-j1", refused.order_id());
  EXPECT_FALSE(shipped.shipment().gift_in_parcel());
  EXPECT_EQ(shipped.shipment().perks_note(),
            "loyalty refused the perks request (order_id: not an order of this customer): "
            "shipped without perks");

  server->Shutdown();  // loyalty is gone now
  ov1::Order down = CreateOrder("order-j2", c.customer_id());
  Pay("pay-j2", down);
  shipped = Ship("ship-j2", down.order_id());
  EXPECT_EQ(shipped.state(), ov1::ORDER_STATE_SHIPPED);
  EXPECT_TRUE(absl::StartsWith(shipped.shipment().perks_note(), "loyalty unavailable ("))
      << shipped.shipment().perks_note();
}

// C13 多退少补 through the real process: returning one 50.00 unit for a 30.00
// replacement refunds the excess 20.00 on the original, the replacement has nothing
// to pay (paid at once through the transition table), both events are published in
// order, a repeat gets the first answer and a reused request_id with another request
// is refused.
TEST_F(OrderServiceTest, ExchangeSettlesThePriceDifferenceOnBothOrdersC13) {
  ASSERT_NO_FATAL_FAILURE(StartService());
  ov1::Customer c = CreateCustomer("cust-x");
  ov1::Order o = CreateOrder("order-x", c.customer_id());
  Pay("pay-x", o);
  Ship("ship-x", o.order_id());
  Deliver("deliver-x", o.order_id());

  ov1::CreateReplacementOrderRequest req;
  req.set_request_id("exchange-x");
  req.set_original_order_id(o.order_id());
  auto* back = req.add_returned_lines();
  back->set_line_id("2");  // 1 x 50.00
  back->set_quantity(1);
  *req.add_replacement_lines() = Line("SKU-3", 1, 3000);
  req.set_reason("wrong colour");
  ov1::CreateReplacementOrderResponse first;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::CreateReplacementOrder, req, &first).ok());
  EXPECT_EQ(first.price_difference().amount_minor(), -2000);
  EXPECT_EQ(first.replacement().state(), ov1::ORDER_STATE_PAID);
  EXPECT_EQ(first.replacement().replacement_of(), o.order_id());
  ov1::Order original = GetOrder(o.order_id());
  EXPECT_EQ(original.refunded().amount_minor(), 2000);
  ASSERT_EQ(original.refunds_size(), 1);
  EXPECT_EQ(original.refunds(0).lines(0).line_id(), "2");

  const std::string new_id = first.replacement().order_id();
  auto recs = ReadCustomerUntil(c.customer_id(), "replacement_created", new_id);
  ASSERT_FALSE(recs.empty());
  EXPECT_THAT(Types(recs), ElementsAre("customer_registered", "created", "paid", "shipped",
                                       "delivered", "refunded", "replacement_created"));

  ov1::CreateReplacementOrderResponse again;
  ASSERT_TRUE(Call(&ov1::OrderService::Stub::CreateReplacementOrder, req, &again).ok());
  EXPECT_EQ(again.replacement().order_id(), new_id);
  req.set_reason("another reason");
  grpc::Status st = Call(&ov1::OrderService::Stub::CreateReplacementOrder, req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(GetOrder(o.order_id()).refunded().amount_minor(), 2000);
}

}  // namespace
}  // namespace revisit
