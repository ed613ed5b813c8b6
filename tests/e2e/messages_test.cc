// End-to-end: messages people can read (O1, O2, O3, R10). Real processes.
//
// A customer without a locale (so zh-CN) buys two packs of tea and pays by WeChat Pay;
// the order archives the payment method and reference (O2), and the thank-you that
// outreach sends is the Chinese template filled with the amount, the quantity, the
// payment method and the ship-by day, which respects the warehouse's same-day
// cut-off (O3): paid before the cut-off ships today, after it tomorrow. The stack
// runs at real speed in a warehouse zone (Etc/GMT±N) where it is about noon now, with
// the cut-off at 18:00 (before) or 09:00 (after), so the expected day never depends
// on when the test runs.
// AttributionTest (R12): the thank-you earns no credit; a paid order does, with revenue.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace uv1 = ::revisit::outreach::v1;

// An IANA zone where the local time is between 11:00 and 13:00 now.
std::string NoonZone() {
  const int utc_hour = absl::ToCivilHour(absl::Now(), absl::UTCTimeZone()).hour();
  const int offset = 12 - utc_hour;  // -11..12: local = utc + offset is 12:xx
  if (offset == 0) return "Etc/GMT";
  // Etc/GMT-8 is UTC+8 (POSIX sign).
  return absl::StrCat("Etc/GMT", offset > 0 ? "-" : "+", offset > 0 ? offset : -offset);
}

struct Outcome {
  ov1::Order order;
  uv1::Touch thanks;
};

Outcome BuyTea(const std::string& zone, const std::string& cutoff) {
  Outcome out;
  StackOptions o;
  o.time_scale = 1;
  o.service_env[Svc::kOrder] = {{"REVISIT_ORDER_SHIP_CUTOFF", cutoff},
                                {"REVISIT_ORDER_SHIP_TIME_ZONE", zone}};
  auto stack = Stack::Start(o);
  EXPECT_TRUE(stack.ok()) << stack.status();
  if (!stack.ok()) return out;
  Stack& s = **stack;
  ov1::CreateCustomerRequest cc;
  cc.set_request_id("tea-customer");
  cc.mutable_customer()->set_name("韩梅梅");
  cc.mutable_customer()->add_phones("13500135000");
  cc.mutable_customer()->set_time_zone(zone);
  auto* g = cc.mutable_customer()->add_consents();
  g->set_channel(::revisit::common::v1::CHANNEL_SMS);
  g->set_granted(true);
  ov1::CreateCustomerResponse cr;
  EXPECT_TRUE(RetryCall("CreateCustomer", [&] {
                auto ctx = Ctx();
                return s.order().CreateCustomer(ctx.get(), cc, &cr);
              }).ok());
  ov1::CreateOrderRequest co;
  co.set_request_id("tea-order");
  co.set_customer_id(cr.customer().customer_id());
  auto* l = co.add_lines();
  l->set_sku("TEA-1");
  l->set_name("西湖龙井");
  l->set_category("茶叶");
  l->set_quantity(2);
  l->mutable_unit_price()->set_amount_minor(8800);
  l->mutable_unit_price()->set_currency("CNY");
  auto* a = co.mutable_shipping_address();
  a->set_recipient("韩梅梅");
  a->set_phone("13500135000");
  a->set_province("浙江省");
  a->set_city("杭州市");
  a->set_district("西湖区");
  a->set_street("龙井路 1号");
  ov1::CreateOrderResponse or_;
  EXPECT_TRUE(RetryCall("CreateOrder", [&] {
                auto ctx = Ctx();
                return s.order().CreateOrder(ctx.get(), co, &or_);
              }).ok());
  ov1::PayOrderRequest pay;
  pay.set_request_id("tea-pay");
  pay.set_order_id(or_.order().order_id());
  *pay.mutable_amount() = or_.order().total();
  pay.set_payment_method(ov1::PAYMENT_METHOD_WECHAT_PAY);
  pay.set_payment_reference("wx-4200001234");
  ov1::PayOrderResponse pr;
  grpc::Status st = RetryCall("PayOrder", [&] {
    auto ctx = Ctx();
    return s.order().PayOrder(ctx.get(), pay, &pr);
  });
  EXPECT_TRUE(st.ok()) << st.error_message();
  ov1::GetOrderRequest get;
  get.set_order_id(or_.order().order_id());
  ov1::GetOrderResponse gr;
  EXPECT_TRUE(RetryCall("GetOrder", [&] {
                auto ctx = Ctx();
                return s.order().GetOrder(ctx.get(), get, &gr);
              }).ok());
  out.order = gr.order();
  absl::Status sent = Eventually("thank-you sent", [&] {
    uv1::ListTouchesRequest req;
    req.set_customer_id(cr.customer().customer_id());
    uv1::ListTouchesResponse resp;
    auto ctx = Ctx();
    if (!s.outreach().ListTouches(ctx.get(), req, &resp).ok()) return false;
    for (const auto& t : resp.touches())
      if (t.trigger() == uv1::TRIGGER_ORDER_THANKS && t.state() == uv1::TOUCH_STATE_SENT) {
        out.thanks = t;
        return true;
      }
    return false;
  });
  EXPECT_TRUE(sent.ok()) << sent << s.LogTails();
  return out;
}

std::string ZhDay(absl::CivilDay d) { return absl::StrCat(d.month(), "月", d.day(), "日"); }

TEST(MessagesTest, AThankYouInChineseWithTheAmountAndTheShipByDayBeforeAndAfterTheCutOffO1O3) {
  const std::string zone = NoonZone();
  absl::TimeZone tz;
  ASSERT_TRUE(absl::LoadTimeZone(zone, &tz)) << zone;
  for (const auto& [cutoff, days_later] : {std::pair{"18:00", 0}, std::pair{"09:00", 1}}) {
    SCOPED_TRACE(absl::StrCat("cut-off ", cutoff, " in ", zone));
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), tz);
    Outcome o = BuyTea(zone, cutoff);
    // O2: the payment is archived on the order.
    EXPECT_EQ(o.order.payment_method(), ov1::PAYMENT_METHOD_WECHAT_PAY);
    EXPECT_EQ(o.order.payment_reference(), "wx-4200001234");
    const absl::CivilDay ship_day = absl::ToCivilDay(absl::FromUnixSeconds(o.order.ship_by().seconds()), tz);
    EXPECT_EQ(ship_day, today + days_later) << "O3: the cut-off decides the day";
    // O1/R10: the Chinese thank-you with the real facts.
    const std::string& m = o.thanks.message();
    EXPECT_EQ(m, absl::StrCat("感谢您购买西湖龙井！订单 ", o.order.order_id(),
                              " 已收到付款 ¥176.00（共 2 件，微信支付），我们将在 ", ZhDay(ship_day),
                              " 前发货。"));
  }
}

// R12: a campaign touch earns the paid revisit and its revenue; the thank-you, a
// transactional touch, earns nothing, and an order placed but not paid counts for no one.
TEST(AttributionTest, IgnoresTheThankYouAndCountsRevenueOfPaidOrdersOnlyR12) {
  auto stack = Stack::Start(StoryStackOptions());
  ASSERT_TRUE(stack.ok()) << stack.status();
  Stack& s = **stack;
  ov1::CreateCustomerRequest cc;
  cc.set_request_id("attr-customer");
  cc.mutable_customer()->set_name("李华");
  cc.mutable_customer()->add_phones("13300133000");
  auto* g = cc.mutable_customer()->add_consents();
  g->set_channel(::revisit::common::v1::CHANNEL_SMS);
  g->set_granted(true);
  ov1::CreateCustomerResponse cr;
  ASSERT_TRUE(RetryCall("CreateCustomer", [&] {
                auto ctx = Ctx();
                return s.order().CreateCustomer(ctx.get(), cc, &cr);
              }).ok());
  const std::string customer = cr.customer().customer_id();
  auto order = [&](const std::string& tag, int qty, bool pay) {
    ov1::CreateOrderRequest co;
    co.set_request_id("attr-order-" + tag);
    co.set_customer_id(customer);
    auto* l = co.add_lines();
    l->set_sku("TEA-1");
    l->set_name("西湖龙井");
    l->set_category("茶叶");
    l->set_quantity(qty);
    l->mutable_unit_price()->set_amount_minor(8800);
    l->mutable_unit_price()->set_currency("CNY");
    auto* a = co.mutable_shipping_address();
    a->set_recipient("李华");
    a->set_phone("13300133000");
    a->set_province("浙江省");
    a->set_city("杭州市");
    a->set_district("西湖区");
    a->set_street("龙井路 1号");
    ov1::CreateOrderResponse r;
    EXPECT_TRUE(RetryCall("CreateOrder", [&] {
                  auto ctx = Ctx();
                  return s.order().CreateOrder(ctx.get(), co, &r);
                }).ok());
    if (!pay) return r.order().order_id();
    ov1::PayOrderRequest p;
    p.set_request_id("attr-pay-" + tag);
    p.set_order_id(r.order().order_id());
    *p.mutable_amount() = r.order().total();
    ov1::PayOrderResponse pr;
    EXPECT_TRUE(RetryCall("PayOrder", [&] {
                  auto ctx = Ctx();
                  return s.order().PayOrder(ctx.get(), p, &pr);
                }).ok());
    return r.order().order_id();
  };
  // A touch decided by outreach (sent or suppressed), by trigger and source.
  auto decided = [&](uv1::Trigger trigger, const std::string& source) {
    uv1::Touch found;
    absl::Status st = Eventually(absl::StrCat(uv1::Trigger_Name(trigger), " ", source, " decided"), [&] {
      uv1::ListTouchesRequest req;
      req.set_customer_id(customer);
      uv1::ListTouchesResponse resp;
      auto ctx = Ctx();
      if (!s.outreach().ListTouches(ctx.get(), req, &resp).ok()) return false;
      for (const auto& t : resp.touches())
        if (t.trigger() == trigger && (source.empty() || t.source_id() == source) &&
            (t.state() == uv1::TOUCH_STATE_SENT || t.state() == uv1::TOUCH_STATE_SUPPRESSED)) {
          found = t;
          return true;
        }
      return false;
    });
    EXPECT_TRUE(st.ok()) << st;
    return found;
  };
  const std::string first = order("1", 1, true);
  EXPECT_EQ(decided(uv1::TRIGGER_ORDER_THANKS, first).state(), uv1::TOUCH_STATE_SENT);

  uv1::ScheduleTouchRequest st;
  st.set_request_id("attr-campaign");
  st.set_customer_id(customer);
  st.set_campaign("spring-tea");
  st.set_message("新茶上市：明前龙井");
  uv1::ScheduleTouchResponse sr;
  ASSERT_TRUE(RetryCall("ScheduleTouch", [&] {
                auto ctx = Ctx();
                return s.outreach().ScheduleTouch(ctx.get(), st, &sr);
              }).ok());
  const uv1::Touch campaign = decided(uv1::TRIGGER_MANUAL, "");
  const bool holdout = campaign.state() == uv1::TOUCH_STATE_SUPPRESSED;

  order("2", 1, false);                       // placed, never paid: no credit
  const std::string third = order("3", 2, true);  // paid: 176.00
  decided(uv1::TRIGGER_ORDER_THANKS, third);   // barrier: its events were applied
  auto stats = [&](const std::string& name) {
    uv1::GetCampaignStatsRequest req;
    req.set_campaign(name);
    uv1::GetCampaignStatsResponse resp;
    grpc::Status g = RetryCall("GetCampaignStats", [&] {
      auto ctx = Ctx();
      return s.outreach().GetCampaignStats(ctx.get(), req, &resp);
    });
    EXPECT_TRUE(g.ok()) << g.error_message();
    return resp.stats();
  };
  const uv1::CampaignStats spring = stats("spring-tea");
  EXPECT_EQ(holdout ? spring.holdout_revisits() : spring.treated_revisits(), 1) << spring.DebugString();
  EXPECT_EQ(holdout ? spring.holdout_revenue_minor() : spring.revenue_minor(), 17600)
      << "the paid order's amount, not the unpaid one's: " << spring.DebugString();
  EXPECT_LE(spring.lift_ci_low(), spring.lift());
  EXPECT_GE(spring.lift_ci_high(), spring.lift());
  const uv1::CampaignStats thanks = stats("order_thanks");
  EXPECT_GE(thanks.sent(), 2);
  EXPECT_EQ(thanks.treated_revisits(), 0) << "the thank-you earns no credit: " << thanks.DebugString();
  EXPECT_EQ(thanks.revenue_minor(), 0);
}

}  // namespace
}  // namespace revisit::e2e
