// End-to-end: vouchers and points at checkout (L4, L8), a saga between the order and
// loyalty services as real processes (redis-server, Kafka, the four services).
//
// - spent at checkout, paid, the order cancelled: both given back (refund policy);
// - one voucher, two racing orders: exactly one holds it, it is redeemed once;
// - the voucher's terms as issued are enforced (minimum spend, scope); a
//   free-shipping pass waives the configured shipping fee;
// - SIGKILL between reserve and commit: the order service dies after loyalty
//   reserved (simulated by reserving for an order that is never stored) and loyalty
//   is SIGKILLed too: loyalty's durable hold timer gives everything back; and
//   orders placed and paid while order or loyalty is SIGKILLed at random points
//   leave every voucher either redeemed by exactly one paid order or issued again.
// - O8: the 三包 terms in force when an order was paid are what its eligibility
//   checks use after the policy changed (complaint restarted with a new policy);
//   an order paid afterwards gets the new terms.
// Domain time runs 60 x wall time; a hold lasts 10 domain minutes (10 s wall).
// Waits poll a condition under a guard; nothing asserts how long anything takes.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/proto_time.h"
#include "tests/e2e/story.h"
#include "tests/harness/shared_stack.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;
namespace lv1 = ::revisit::loyalty::v1;
namespace common1 = ::revisit::common::v1;

common1::Money Cny(int64_t minor) {
  common1::Money m;
  m.set_amount_minor(minor);
  m.set_currency("CNY");
  return m;
}

class CheckoutTest : public testing::SharedStack<CheckoutTest> {
 public:
  static StackOptions SuiteOptions() {
    StackOptions o;
    o.time_scale = 60;
    o.env = {{"REVISIT_ORDER_SHIPPING_FEE_MINOR", "800"},
             {"REVISIT_ORDER_BENEFITS_HOLD", "10m"}};
    return o;
  }

 protected:
  // A customer loyalty knows, with `points` available.
  std::string Customer(const std::string& tag, int64_t points) {
    ov1::CreateCustomerRequest req;
    req.set_request_id("cus-" + tag);
    req.mutable_customer()->set_name("李娜");
    req.mutable_customer()->add_phones("13800138000");
    ov1::CreateCustomerResponse resp;
    EXPECT_TRUE(RetryCall("CreateCustomer", [&] {
                  return stack().order().CreateCustomer(Ctx().get(), req, &resp);
                }).ok());
    const std::string id = resp.customer().customer_id();
    EXPECT_TRUE(Eventually("loyalty knows " + id, [&] { return Points(id) >= 0; }).ok());
    if (points > 0) {
      lv1::AwardPointsRequest a;
      a.set_request_id("award-" + tag);
      a.set_customer_id(id);
      a.set_points(points);
      a.set_reason("test balance");
      lv1::AwardPointsResponse ar;
      EXPECT_TRUE(RetryCall("AwardPoints", [&] {
                    return stack().loyalty().AwardPoints(Ctx().get(), a, &ar);
                  }).ok());
    }
    return id;
  }

  // Available points, or -1 while loyalty does not know the customer (or is down).
  int64_t Points(const std::string& customer) {
    lv1::GetProfileRequest req;
    req.set_customer_id(customer);
    lv1::GetProfileResponse resp;
    return stack().loyalty().GetProfile(Ctx().get(), req, &resp).ok()
               ? resp.profile().points_available()
               : -1;
  }

  // A 20.00 CNY voucher for 服饰 with a minimum spend of 100.00 (L4).
  std::string Voucher(const std::string& customer, const std::string& tag,
                      lv1::VoucherKind kind = lv1::VOUCHER_KIND_REGULAR_REWARD) {
    lv1::IssueVoucherRequest req;
    req.set_request_id("vch-" + tag);
    auto* v = req.mutable_voucher();
    v->set_customer_id(customer);
    v->set_kind(kind);
    if (kind != lv1::VOUCHER_KIND_FREE_SHIPPING_PASS) {
      *v->mutable_value() = Cny(2000);
      *v->mutable_min_spend() = Cny(10000);
      *v->mutable_valid_until() = ToProto(stack().DomainNow() + absl::Hours(24 * 30));
      v->add_categories("服饰");
    }
    v->set_reason("regular customer");
    lv1::IssueVoucherResponse resp;
    EXPECT_TRUE(RetryCall("IssueVoucher", [&] {
                  return stack().loyalty().IssueVoucher(Ctx().get(), req, &resp);
                }).ok());
    return resp.voucher().voucher_id();
  }

  lv1::Voucher VoucherNow(const std::string& customer, const std::string& id) {
    lv1::ListVouchersRequest req;
    req.set_customer_id(customer);
    lv1::ListVouchersResponse resp;
    RetryCall("ListVouchers", [&] { return stack().loyalty().ListVouchers(Ctx().get(), req, &resp); });
    for (const auto& v : resp.vouchers()) {
      if (v.voucher_id() == id) return v;
    }
    return lv1::Voucher();
  }

  // 2 x 129.00 服饰 + 1 x 50.00 护理 (308.00 CNY), spending `vouchers` and `points`.
  ov1::CreateOrderRequest OrderRequest(const std::string& rid, const std::string& customer,
                                       std::vector<std::string> vouchers, int64_t points,
                                       int scarves = 2) {
    ov1::CreateOrderRequest req;
    req.set_request_id(rid);
    req.set_customer_id(customer);
    auto add = [&](const char* sku, const char* category, int qty, int64_t price) {
      if (qty == 0) return;
      auto* l = req.add_lines();
      l->set_sku(sku);
      l->set_name(std::string("商品 ") + sku);
      l->set_category(category);
      l->set_quantity(qty);
      *l->mutable_unit_price() = Cny(price);
    };
    add("SCARF-1", "服饰", scarves, 12900);
    add("CARE-KIT", "护理", 1, 5000);
    auto* a = req.mutable_shipping_address();
    a->set_recipient("李娜");
    a->set_phone("13800138000");
    a->set_province("上海市");
    a->set_city("上海市");
    a->set_district("徐汇区");
    a->set_street("漕溪北路 1号");
    for (auto& v : vouchers) req.add_voucher_ids(v);
    req.set_points(points);
    return req;
  }

  grpc::Status Create(const ov1::CreateOrderRequest& req, ov1::Order* out) {
    ov1::CreateOrderResponse resp;
    grpc::Status st = RetryCall("CreateOrder", [&] {
      return stack().order().CreateOrder(Ctx().get(), req, &resp);
    });
    *out = resp.order();
    return st;
  }

  grpc::Status Pay(const ov1::Order& o, ov1::Order* out = nullptr) {
    ov1::PayOrderRequest req;
    req.set_request_id("pay-" + o.order_id());
    req.set_order_id(o.order_id());
    *req.mutable_amount() = o.total();
    ov1::PayOrderResponse resp;
    grpc::Status st = RetryCall("PayOrder", [&] {
      return stack().order().PayOrder(Ctx().get(), req, &resp);
    });
    if (out) *out = resp.order();
    return st;
  }

  grpc::Status Cancel(const ov1::Order& o) {
    ov1::CancelOrderRequest req;
    req.set_request_id("cancel-" + o.order_id());
    req.set_order_id(o.order_id());
    req.set_reason("customer changed their mind");
    ov1::CancelOrderResponse resp;
    return RetryCall("CancelOrder", [&] {
      return stack().order().CancelOrder(Ctx().get(), req, &resp);
    });
  }

  std::vector<ov1::Order> Orders(const std::string& customer) {
    ov1::ListOrdersRequest req;
    req.set_customer_id(customer);
    req.mutable_page()->set_page_size(100);
    ov1::ListOrdersResponse resp;
    RetryCall("ListOrders", [&] { return stack().order().ListOrders(Ctx().get(), req, &resp); });
    return {resp.orders().begin(), resp.orders().end()};
  }

  // The saga's invariant for one voucher: REDEEMED by exactly one paid order (and no
  // other paid order spent it), or ISSUED and spent by no paid order.
  void ExpectSettled(const std::string& customer, const std::string& voucher_id) {
    const lv1::Voucher v = VoucherNow(customer, voucher_id);
    int paid_with_it = 0;
    std::string paid_order;
    for (const auto& o : Orders(customer)) {
      bool uses = false;
      for (const auto& id : o.checkout().voucher_ids()) uses |= id == voucher_id;
      const bool paid = o.state() != ov1::ORDER_STATE_CREATED && o.state() != ov1::ORDER_STATE_CANCELLED;
      if (uses && paid) {
        ++paid_with_it;
        paid_order = o.order_id();
        EXPECT_EQ(o.checkout().benefits(), ov1::BENEFITS_STATE_CONFIRMED) << o.order_id();
      }
    }
    if (v.state() == lv1::VOUCHER_STATE_REDEEMED) {
      EXPECT_EQ(paid_with_it, 1) << voucher_id;
      EXPECT_EQ(v.redeemed_order_id(), paid_order);
    } else {
      EXPECT_EQ(v.state(), lv1::VOUCHER_STATE_ISSUED) << voucher_id;
      EXPECT_EQ(paid_with_it, 0) << voucher_id;
    }
  }
};

TEST_F(CheckoutTest, VoucherAndPointsSpentThenGivenBackOnCancel) {
  const std::string c = Customer("cancel", 1000);
  const std::string vch = Voucher(c, "cancel");
  ov1::Order o;
  ASSERT_TRUE(Create(OrderRequest("ord-cancel", c, {vch}, 300), &o).ok());
  // 308.00 - 20.00 voucher - 3.00 points + 8.00 shipping.
  EXPECT_EQ(o.total().amount_minor(), 30800 - 2000 - 300 + 800);
  EXPECT_EQ(o.checkout().benefits(), ov1::BENEFITS_STATE_HELD);
  EXPECT_EQ(VoucherNow(c, vch).state(), lv1::VOUCHER_STATE_RESERVED);
  EXPECT_EQ(Points(c), 700);
  ov1::Order paid;
  ASSERT_TRUE(Pay(o, &paid).ok());
  EXPECT_EQ(paid.checkout().benefits(), ov1::BENEFITS_STATE_CONFIRMED);
  EXPECT_EQ(VoucherNow(c, vch).state(), lv1::VOUCHER_STATE_REDEEMED);
  ASSERT_TRUE(Cancel(o).ok());
  ASSERT_TRUE(Eventually("voucher and points given back", [&] {
                return VoucherNow(c, vch).state() == lv1::VOUCHER_STATE_ISSUED && Points(c) == 1000;
              }).ok());
  // The voucher is usable again, on another order.
  ov1::Order again;
  ASSERT_TRUE(Create(OrderRequest("ord-cancel-2", c, {vch}, 0), &again).ok());
  ASSERT_TRUE(Pay(again).ok());
  ExpectSettled(c, vch);
}

TEST_F(CheckoutTest, OneVoucherTwoRacingOrdersSpentOnce) {
  const std::string c = Customer("race", 0);
  const std::string vch = Voucher(c, "race");
  std::array<grpc::Status, 2> st;
  std::array<ov1::Order, 2> orders;
  std::thread a([&] { st[0] = Create(OrderRequest("race-a", c, {vch}, 0), &orders[0]); });
  std::thread b([&] { st[1] = Create(OrderRequest("race-b", c, {vch}, 0), &orders[1]); });
  a.join();
  b.join();
  ASSERT_NE(st[0].ok(), st[1].ok()) << st[0].error_message() << " | " << st[1].error_message();
  const int loser = st[0].ok() ? 1 : 0;
  EXPECT_EQ(st[loser].error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st[loser].error_message().find("RESERVED"), std::string::npos) << st[loser].error_message();
  ASSERT_TRUE(Pay(orders[1 - loser]).ok());
  EXPECT_EQ(VoucherNow(c, vch).redeemed_order_id(), orders[1 - loser].order_id());
  ExpectSettled(c, vch);
}

TEST_F(CheckoutTest, TermsAsIssuedAndFreeShipping) {
  const std::string c = Customer("terms", 0);
  const std::string vch = Voucher(c, "terms");
  ov1::Order o;
  grpc::Status below = Create(OrderRequest("terms-min", c, {vch}, 0, /*scarves=*/0), &o);
  EXPECT_EQ(below.error_code(), grpc::StatusCode::FAILED_PRECONDITION);  // no 服饰 line
  ov1::CreateOrderRequest small = OrderRequest("terms-small", c, {vch}, 0, 1);
  small.mutable_lines(0)->mutable_unit_price()->set_amount_minor(5000);  // 50.00 of 服饰 < 100.00
  grpc::Status st = Create(small, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("minimum spend"), std::string::npos) << st.error_message();
  EXPECT_EQ(VoucherNow(c, vch).state(), lv1::VOUCHER_STATE_ISSUED);
  ov1::Order plain;
  ASSERT_TRUE(Create(OrderRequest("terms-fee", c, {}, 0), &plain).ok());
  EXPECT_EQ(plain.checkout().shipping_fee().amount_minor(), 800);
  Voucher(c, "terms-pass", lv1::VOUCHER_KIND_FREE_SHIPPING_PASS);
  ov1::Order waived;
  ASSERT_TRUE(Create(OrderRequest("terms-waived", c, {}, 0), &waived).ok());
  EXPECT_TRUE(waived.checkout().shipping_waived());
  EXPECT_EQ(waived.total().amount_minor(), 30800);
}

TEST_F(CheckoutTest, OrderDiesAfterReserveLoyaltyDiesTooHoldTimerGivesBack) {
  const std::string c = Customer("orphan", 500);
  const std::string vch = Voucher(c, "orphan");
  // What the order service does first for a new order; it then "dies" before storing.
  lv1::ReserveBenefitsRequest r;
  r.set_request_id("orphan-reserve");
  r.set_reservation_id(absl::StrCat("ord-", c.substr(4, 2), "-00000000deadbeef"));
  r.set_customer_id(c);
  r.add_voucher_ids(vch);
  r.set_points(200);
  auto* l = r.add_lines();
  l->set_category("服饰");
  *l->mutable_amount() = Cny(25800);
  *r.mutable_payable() = Cny(25800);
  *r.mutable_hold_until() = ToProto(stack().DomainNow() + absl::Minutes(10));
  lv1::ReserveBenefitsResponse resp;
  ASSERT_TRUE(RetryCall("ReserveBenefits", [&] {
                return stack().loyalty().ReserveBenefits(Ctx().get(), r, &resp);
              }).ok());
  ASSERT_TRUE(stack().Kill(Svc::kOrder).ok());
  ASSERT_TRUE(stack().Kill(Svc::kLoyalty).ok());
  ASSERT_TRUE(stack().Restart(Svc::kLoyalty).ok());
  ASSERT_TRUE(stack().Restart(Svc::kOrder).ok());
  EXPECT_EQ(VoucherNow(c, vch).state(), lv1::VOUCHER_STATE_RESERVED);
  EXPECT_EQ(Points(c), 300);
  ASSERT_TRUE(Eventually("hold released by loyalty's timer", [&] {
                return VoucherNow(c, vch).state() == lv1::VOUCHER_STATE_ISSUED && Points(c) == 500;
              }).ok());
  ExpectSettled(c, vch);
}

// C13/C14: a defect exchange after a promised next-purchase discount (O5) costs the
// customer nothing; the shop pays the postage, recorded on the replacement.
TEST_F(CheckoutTest, DefectExchangeAfterAPromisedDiscountCostsNothing) {
  const std::string c = Customer("exchange", 0);
  ov1::RecordPromiseRequest pr;
  pr.set_request_id("promise-exchange");
  auto* p = pr.mutable_promise();
  p->set_customer_id(c);
  p->set_kind(ov1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT);
  p->set_description("下次购物立减 30 元");
  *p->mutable_discount() = Cny(3000);
  p->set_made_by("agent-7");
  ov1::RecordPromiseResponse prr;
  ASSERT_TRUE(RetryCall("RecordPromise", [&] {
                return stack().order().RecordPromise(Ctx().get(), pr, &prr);
              }).ok());
  ov1::Order o;
  ASSERT_TRUE(Create(OrderRequest("exchange-order", c, {}, 0), &o).ok());
  EXPECT_EQ(o.discount().amount_minor(), 3000);
  ASSERT_TRUE(Pay(o).ok());
  ov1::ShipOrderRequest ship;
  ship.set_request_id("ship-exchange");
  ship.set_order_id(o.order_id());
  ship.set_carrier("顺丰");
  ship.set_tracking_number("SF100200300");
  ov1::ShipOrderResponse shipped;
  ASSERT_TRUE(RetryCall("ShipOrder", [&] {
                return stack().order().ShipOrder(Ctx().get(), ship, &shipped);
              }).ok());
  ov1::ConfirmDeliveryRequest dl;
  dl.set_request_id("deliver-exchange");
  dl.set_order_id(o.order_id());
  ov1::ConfirmDeliveryResponse delivered;
  ASSERT_TRUE(RetryCall("ConfirmDelivery", [&] {
                return stack().order().ConfirmDelivery(Ctx().get(), dl, &delivered);
              }).ok());
  ov1::CreateReplacementOrderRequest x;
  x.set_request_id("exchange-defect");
  x.set_original_order_id(o.order_id());
  auto* back = x.add_returned_lines();
  back->set_line_id("1");  // one of the two scarves, defective
  back->set_quantity(1);
  ov1::OrderLine same = o.lines(0);
  same.clear_line_id();
  same.set_quantity(1);
  *x.add_replacement_lines() = same;
  x.set_reason("丝巾有破洞 (quality defect)");
  x.set_fault(ov1::EXCHANGE_FAULT_SHOP);
  ov1::CreateReplacementOrderResponse xr;
  grpc::Status st = RetryCall("CreateReplacementOrder", [&] {
    return stack().order().CreateReplacementOrder(Ctx().get(), x, &xr);
  });
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(xr.price_difference().amount_minor(), 0);
  EXPECT_EQ(xr.replacement().total().amount_minor(), 0);
  EXPECT_EQ(xr.replacement().state(), ov1::ORDER_STATE_PAID);
  EXPECT_TRUE(xr.replacement().exchange().like_for_like());
  EXPECT_EQ(xr.replacement().exchange().postage_paid_by(), "shop");
  EXPECT_EQ(xr.replacement().exchange().postage().amount_minor(), 800);
  ov1::GetOrderRequest g;
  g.set_order_id(o.order_id());
  ov1::GetOrderResponse original;
  ASSERT_TRUE(RetryCall("GetOrder", [&] { return stack().order().GetOrder(Ctx().get(), g, &original); }).ok());
  EXPECT_EQ(original.order().refunded().amount_minor(), 0);  // nothing owed either way
}

// Orders placed and paid while one service is SIGKILLed at a random moment.
TEST_F(CheckoutTest, SigkillMidSagaNeverLosesOrDoublesAVoucher) {
  std::mt19937 rng(20261202);
  int spent = 0;  // rounds whose voucher ended redeemed: the saga went through
  for (int round = 0; round < 6; ++round) {
    const Svc victim = round % 2 == 0 ? Svc::kOrder : Svc::kLoyalty;
    const std::string tag = absl::StrCat("kill", round);
    const std::string c = Customer(tag, 1000);
    const std::string vch = Voucher(c, tag);
    std::atomic<bool> done{false};
    std::thread buyer([&] {
      for (int i = 0; i < 2; ++i) {  // two orders after the same voucher
        ov1::Order o;
        if (Create(OrderRequest(absl::StrCat(tag, "-", i), c, {vch}, 100), &o).ok()) Pay(o);
      }
      done = true;
    });
    absl::SleepFor(absl::Milliseconds(std::uniform_int_distribution<int>(0, 120)(rng)));
    ASSERT_TRUE(stack().Kill(victim).ok());
    ASSERT_TRUE(stack().Restart(victim).ok());
    buyer.join();
    // Everything a hold can leave behind is settled by loyalty's timer at hold_until.
    ASSERT_TRUE(Eventually("no voucher left on hold", [&] {
                  return VoucherNow(c, vch).state() != lv1::VOUCHER_STATE_RESERVED;
                }, absl::Seconds(90)).ok());
    ExpectSettled(c, vch);
    spent += VoucherNow(c, vch).state() == lv1::VOUCHER_STATE_REDEEMED ? 1 : 0;
  }
  EXPECT_GT(spent, 0) << "no round spent its voucher: the invariant held vacuously";
}

// O8: the terms recorded at payment survive a policy change; only later orders get
// the new policy. Runs last: it leaves the complaint service on the new policy.
TEST_F(CheckoutTest, ZzPolicyChangeLeavesAnOlderOrdersTermsUntouched) {
  const std::string c = Customer("terms-o8", 0);
  auto paid_order = [&](const std::string& rid) {
    ov1::Order o;
    EXPECT_TRUE(Create(OrderRequest(rid, c, {}, 0), &o).ok());
    EXPECT_TRUE(Pay(o).ok());
    return o.order_id();
  };
  // The terms complaint answers with for line 1 of `order`, once it has recorded them.
  auto terms_of = [&](const std::string& order, cv1::CheckEligibilityResponse* out) {
    cv1::CheckEligibilityRequest req;
    req.set_order_id(order);
    req.set_line_id("1");
    req.set_cause(cv1::CAUSE_QUALITY_DEFECT);
    return Eventually("terms recorded for " + order, [&] {
      out->Clear();
      return stack().complaint().CheckEligibility(Ctx().get(), req, out).ok() && out->terms_recorded();
    });
  };
  const std::string before = paid_order("o8-before");
  cv1::CheckEligibilityResponse a;
  ASSERT_TRUE(terms_of(before, &a).ok());
  EXPECT_EQ(a.terms().exchange_days(), 15);  // the default policy
  EXPECT_EQ(a.terms().return_days(), 7);
  stack().SetEnv(Svc::kComplaint, "REVISIT_COMPLAINT_SANBAO_POLICY",
                 R"({"default": {"return_days": 3, "exchange_days": 5}})");
  ASSERT_TRUE(stack().Restart(Svc::kComplaint).ok());
  const std::string after = paid_order("o8-after");
  cv1::CheckEligibilityResponse b;
  ASSERT_TRUE(terms_of(after, &b).ok());
  EXPECT_EQ(b.terms().exchange_days(), 5);
  EXPECT_EQ(b.terms().return_days(), 3);
  cv1::CheckEligibilityResponse again;
  ASSERT_TRUE(terms_of(before, &again).ok());
  EXPECT_EQ(again.terms().exchange_days(), 15);  // as promised when paid
  EXPECT_EQ(again.terms().return_days(), 7);
}

}  // namespace
}  // namespace revisit::e2e
