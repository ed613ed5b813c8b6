// C13/C14 exchange settlement (exchange.h) and the replacement it makes (decide.h):
// like-for-like costs nothing after any discount, another product settles the
// list-price difference both ways, the refund never exceeds what was paid, postage
// follows fault, a replacement with nothing to pay goes through the pay transition.
#include "services/order/domain/exchange.h"

#include <gtest/gtest.h>

#include "common/proto_time.h"
#include "services/order/domain/decide.h"

namespace revisit::order {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1772000000);

// 2 x 100.00 shoes, delivered, paid 170.00 after a promised 30.00 discount (O5).
v1::Order Discounted() {
  v1::Order o;
  o.set_order_id("ord-07-00000000000000aa");
  o.set_customer_id("cus-07-00000000000000bb");
  o.set_state(v1::ORDER_STATE_DELIVERED);
  auto* l = o.add_lines();
  l->set_line_id("1");
  l->set_sku("SHOE-38");
  l->set_quantity(2);
  l->mutable_unit_price()->set_amount_minor(10000);
  l->mutable_unit_price()->set_currency("CNY");
  for (auto* m : {o.mutable_subtotal(), o.mutable_total(), o.mutable_paid(), o.mutable_discount()}) {
    m->set_currency("CNY");
  }
  o.mutable_subtotal()->set_amount_minor(20000);
  o.mutable_discount()->set_amount_minor(3000);
  o.mutable_total()->set_amount_minor(17000);
  o.mutable_paid()->set_amount_minor(17000);
  o.mutable_refunded()->set_currency("CNY");
  return o;
}

v1::CreateReplacementOrderRequest Swap(const std::string& sku, int64_t price, int qty = 1,
                                       v1::ExchangeFault fault = v1::EXCHANGE_FAULT_SHOP) {
  v1::CreateReplacementOrderRequest r;
  auto* q = r.add_returned_lines();
  q->set_line_id("1");
  q->set_quantity(qty);
  auto* l = r.add_replacement_lines();
  l->set_sku(sku);
  l->set_quantity(qty);
  l->mutable_unit_price()->set_amount_minor(price);
  l->mutable_unit_price()->set_currency("CNY");
  r.set_reason("defect");
  r.set_fault(fault);
  return r;
}

OrderPolicy WithFee(int64_t fee) {
  OrderPolicy p;
  p.shipping_fee_minor = fee;
  return p;
}

TEST(ExchangeTest, LikeForLikeDefectCostsNothingAfterAPromisedDiscount) {
  auto x = SettleExchange(Discounted(), Swap("SHOE-38", 10000), 800);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_TRUE(x->like_for_like);
  EXPECT_EQ(x->returned_paid_value, 8500);  // 100.00 less its share of the 30.00
  EXPECT_EQ(x->returned_list_value, 10000);
  EXPECT_EQ(x->price_difference, 0);
  EXPECT_EQ(x->credit, 10000);
  auto e = DecideReplacement(Discounted(), Swap("SHOE-38", 10000), "ord-07-00000000000000cc",
                             "rfd-1", WithFee(800), kNow);
  ASSERT_TRUE(e.ok()) << e.status();
  const v1::Order& r = e->replacement.order;
  EXPECT_EQ(r.total().amount_minor(), 0);
  EXPECT_EQ(r.state(), v1::ORDER_STATE_PAID);  // through the pay transition
  EXPECT_TRUE(r.has_ship_by());
  EXPECT_EQ(r.exchange().postage_paid_by(), "shop");
  EXPECT_EQ(r.exchange().postage().amount_minor(), 800);
  EXPECT_EQ(r.checkout().shipping_fee().amount_minor(), 0);
  EXPECT_EQ(e->original.order.refunds(0).amount().amount_minor(), 0);
  EXPECT_EQ(e->price_difference, 0);
}

TEST(ExchangeTest, LikeForLikeEvenWhenTheListPriceMovedOrQuantitiesSplit) {
  auto dearer_today = SettleExchange(Discounted(), Swap("SHOE-38", 12000), 0);
  ASSERT_TRUE(dearer_today.ok());
  EXPECT_EQ(dearer_today->price_difference, 0);
  v1::CreateReplacementOrderRequest split = Swap("SHOE-38", 10000, 2);
  split.mutable_replacement_lines(0)->set_quantity(1);
  *split.add_replacement_lines() = split.replacement_lines(0);
  auto x = SettleExchange(Discounted(), split, 0);
  ASSERT_TRUE(x.ok());
  EXPECT_TRUE(x->like_for_like);
  EXPECT_EQ(x->price_difference, 0);
  EXPECT_FALSE(SettleExchange(Discounted(), Swap("SHOE-39", 10000), 0)->like_for_like);
}

TEST(ExchangeTest, AnotherProductSettlesTheListPriceDifferenceBothWays) {
  auto dearer = SettleExchange(Discounted(), Swap("BOOT-38", 13000), 0);
  ASSERT_TRUE(dearer.ok());
  EXPECT_EQ(dearer->price_difference, 3000);  // 130.00 - 100.00: the discount stays theirs
  EXPECT_EQ(dearer->credit, 10000);
  auto cheaper = SettleExchange(Discounted(), Swap("SANDAL-38", 6000), 0);
  ASSERT_TRUE(cheaper.ok());
  EXPECT_EQ(cheaper->price_difference, -4000);
  EXPECT_EQ(cheaper->refund, 4000);
  EXPECT_EQ(cheaper->credit, 6000);
  auto tiny = SettleExchange(Discounted(), Swap("SOCKS", 100), 0);
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(tiny->refund, 8500);  // never more than was paid for the returned unit
  EXPECT_EQ(tiny->price_difference, -8500);
  auto e = DecideReplacement(Discounted(), Swap("BOOT-38", 13000), "ord-07-00000000000000cc", "rfd-1",
                             WithFee(0), kNow);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->replacement.order.state(), v1::ORDER_STATE_CREATED);
  EXPECT_EQ(e->replacement.order.total().amount_minor(), 3000);
  EXPECT_TRUE(e->replacement.timers.empty());
}

TEST(ExchangeTest, PostageFollowsFault) {
  for (auto [fault, customer] : {std::pair{v1::EXCHANGE_FAULT_SHOP, false},
                                 std::pair{v1::EXCHANGE_FAULT_UNSPECIFIED, false},
                                 std::pair{v1::EXCHANGE_FAULT_CUSTOMER, true}}) {
    auto e = DecideReplacement(Discounted(), Swap("SHOE-38", 10000, 1, fault),
                               "ord-07-00000000000000cc", "rfd-1", WithFee(800), kNow);
    ASSERT_TRUE(e.ok()) << e.status();
    const v1::Order& r = e->replacement.order;
    EXPECT_EQ(r.exchange().postage_paid_by(), customer ? "customer" : "shop");
    EXPECT_EQ(r.total().amount_minor(), customer ? 800 : 0);
    EXPECT_EQ(r.state(), customer ? v1::ORDER_STATE_CREATED : v1::ORDER_STATE_PAID);
    EXPECT_EQ(r.exchange().fault(), customer ? v1::EXCHANGE_FAULT_CUSTOMER : v1::EXCHANGE_FAULT_SHOP);
  }
}

TEST(ExchangeTest, RefusesWhatCanNeverBeSettled) {
  v1::CreateReplacementOrderRequest bad_fault = Swap("SHOE-38", 10000);
  bad_fault.set_fault(static_cast<v1::ExchangeFault>(9));
  EXPECT_EQ(SettleExchange(Discounted(), bad_fault, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SettleExchange(Discounted(), Swap("SHOE-38", 10000, 3), 0).status().code(),
            absl::StatusCode::kInvalidArgument);  // 2 bought
  EXPECT_EQ(SettleExchange(Discounted(), Swap("GOLD", INT64_MAX / 2, 1), 0).status().code(),
            absl::StatusCode::kInvalidArgument);  // beyond 10^15: refused, not wrapped
  EXPECT_EQ(SettleExchange(Discounted(), Swap("SHOE-38", 10000), -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace revisit::order
