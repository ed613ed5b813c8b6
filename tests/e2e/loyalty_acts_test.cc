// End-to-end: loyalty that acts (issue 16), real processes (redis-server, Kafka, the
// four services).
//
// - L6: a referred customer's first order completes and the referrer is rewarded;
//   the order refunded in full takes the reward back as a REVERSE ledger entry in the
//   referrer's account (the award stays: a ledger entry, not a deletion), once; a
//   partial refund of another referred customer's first order keeps the reward.
// - L4: points about to expire after inactivity reach the customer as an outreach
//   touch (points_expiring consumed by outreach), in Chinese with the points and the
//   expiry date.
// Domain time runs 600 x wall time: the return window is 1 domain hour, points
// expire after 8 domain hours of inactivity with the warning 4 hours before.
// Waits poll a condition under a guard; nothing asserts how long anything takes.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "tests/e2e/story.h"
#include "tests/harness/shared_stack.h"

namespace revisit::e2e {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace lv1 = ::revisit::loyalty::v1;
namespace uv1 = ::revisit::outreach::v1;
namespace common1 = ::revisit::common::v1;

class LoyaltyActsTest : public testing::SharedStack<LoyaltyActsTest> {
 public:
  static StackOptions SuiteOptions() {
    StackOptions o = StoryStackOptions();
    o.time_scale = 600;
    o.service_env[Svc::kLoyalty] = {{"REVISIT_LOYALTY_RETURN_WINDOW", "1h"},
                                    {"REVISIT_LOYALTY_EXPIRY_INACTIVITY", "8h"},
                                    {"REVISIT_LOYALTY_EXPIRY_WARNING", "4h"},
                                    {"REVISIT_LOYALTY_REGULAR_MIN_ORDERS", "2"},
                                    {"REVISIT_LOYALTY_REGULAR_VOUCHER_MINOR", "1500"}};
    o.service_env[Svc::kOutreach]["REVISIT_OUTREACH_RULES"] += ";points_expiring.quiet_hours=false";
    return o;
  }

 protected:
  // A customer (zh-CN, SMS consent) loyalty knows, referred by `referrer` if set.
  std::string Customer(const std::string& tag, const std::string& referrer = "") {
    ov1::CreateCustomerRequest req;
    req.set_request_id("cus-" + tag);
    auto* c = req.mutable_customer();
    c->set_name("赵敏");
    c->add_phones("13900139000");
    c->set_time_zone("Asia/Shanghai");
    c->set_referrer_id(referrer);
    auto* g = c->add_consents();
    g->set_channel(common1::CHANNEL_SMS);
    g->set_granted(true);
    ov1::CreateCustomerResponse resp;
    EXPECT_TRUE(RetryCall("CreateCustomer", [&] {
                  return stack().order().CreateCustomer(Ctx().get(), req, &resp);
                }).ok());
    const std::string id = resp.customer().customer_id();
    EXPECT_TRUE(Eventually("loyalty knows " + id, [&] { return Profile(id).ok(); }).ok());
    return id;
  }

  absl::StatusOr<lv1::Profile> Profile(const std::string& customer) {
    lv1::GetProfileRequest req;
    req.set_customer_id(customer);
    lv1::GetProfileResponse resp;
    grpc::Status st = stack().loyalty().GetProfile(Ctx().get(), req, &resp);
    if (!st.ok()) return absl::UnavailableError(st.error_message());
    return resp.profile();
  }

  template <typename Req, typename Resp>
  void Call(const std::string& what, Req req,
            grpc::Status (ov1::OrderService::Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*)) {
    Resp resp;
    grpc::Status st =
        RetryCall(what, [&] { return (stack().order().*rpc)(Ctx().get(), req, &resp); });
    EXPECT_TRUE(st.ok()) << what << ": " << st.error_message();
  }

  // One 200.00 CNY order spending `vouchers`, paid, shipped, delivered and completed
  // (points earned): the order as created.
  ov1::Order BuyAndComplete(const std::string& customer, const std::string& tag,
                            const std::vector<std::string>& vouchers = {}) {
    ov1::CreateOrderRequest req;
    req.set_request_id("ord-" + tag);
    req.set_customer_id(customer);
    auto* l = req.add_lines();
    l->set_sku("TEA-9");
    l->set_name("安吉白茶");
    l->set_category("茶叶");
    l->set_quantity(1);
    l->mutable_unit_price()->set_amount_minor(20000);
    l->mutable_unit_price()->set_currency("CNY");
    auto* a = req.mutable_shipping_address();
    a->set_recipient("赵敏");
    a->set_phone("13900139000");
    a->set_province("浙江省");
    a->set_city("湖州市");
    a->set_district("安吉县");
    a->set_street("溪龙乡 2号");
    for (const auto& v : vouchers) req.add_voucher_ids(v);
    ov1::CreateOrderResponse created;
    EXPECT_TRUE(RetryCall("CreateOrder", [&] {
                  return stack().order().CreateOrder(Ctx().get(), req, &created);
                }).ok());
    const ov1::Order& o = created.order();
    ov1::PayOrderRequest pay;
    pay.set_request_id("pay-" + tag);
    pay.set_order_id(o.order_id());
    *pay.mutable_amount() = o.total();
    pay.set_payment_reference("wx-" + tag);
    Call("PayOrder", pay, &ov1::OrderService::Stub::PayOrder);
    ov1::ShipOrderRequest ship;
    ship.set_request_id("ship-" + tag);
    ship.set_order_id(o.order_id());
    ship.set_carrier("顺丰速运");
    ship.set_tracking_number("SF" + tag);
    Call("ShipOrder", ship, &ov1::OrderService::Stub::ShipOrder);
    ov1::ConfirmDeliveryRequest deliver;
    deliver.set_request_id("deliver-" + tag);
    deliver.set_order_id(o.order_id());
    deliver.set_inspected_on_receipt(true);
    Call("ConfirmDelivery", deliver, &ov1::OrderService::Stub::ConfirmDelivery);
    ov1::CompleteOrderRequest complete;
    complete.set_request_id("complete-" + tag);
    complete.set_order_id(o.order_id());
    Call("CompleteOrder", complete, &ov1::OrderService::Stub::CompleteOrder);
    return o;
  }

  // The customer's vouchers for regulars (L4).
  std::vector<lv1::Voucher> RegularVouchers(const std::string& customer) {
    lv1::ListVouchersRequest req;
    req.set_customer_id(customer);
    lv1::ListVouchersResponse resp;
    std::vector<lv1::Voucher> out;
    if (!stack().loyalty().ListVouchers(Ctx().get(), req, &resp).ok()) return out;
    for (const auto& v : resp.vouchers()) {
      if (v.kind() == lv1::VOUCHER_KIND_REGULAR_REWARD) out.push_back(v);
    }
    return out;
  }

  // Refunds `amount_minor` of the order (0: in full).
  void Refund(const std::string& order_id, int64_t amount_minor, const std::string& tag) {
    ov1::RefundOrderRequest req;
    req.set_request_id("refund-" + tag);
    req.set_order_id(order_id);
    if (amount_minor == 0) {
      req.set_full(true);
    } else {
      req.mutable_amount()->set_amount_minor(amount_minor);
      req.mutable_amount()->set_currency("CNY");
    }
    req.set_reason("退货退款");
    req.mutable_actor()->set_id("staff-7");
    req.mutable_actor()->set_role("agent");
    Call("RefundOrder", req, &ov1::OrderService::Stub::RefundOrder);
  }

  // The referrer's entries from the referral of `referred` (award or reversal).
  std::vector<lv1::LedgerEntry> ReferralEntries(const std::string& referrer,
                                                const std::string& referred) {
    std::vector<lv1::LedgerEntry> all, out;
    if (!Ledger(stack(), referrer, &all)) return out;
    for (const auto& e : all) {
      if (absl::EndsWith(e.source_id(), ":" + referred)) out.push_back(e);
    }
    return out;
  }
};

TEST_F(LoyaltyActsTest, FullRefundOfTheFirstOrderTakesTheReferralRewardBackOnceL6) {
  const std::string referrer = Customer("l6-referrer");
  const std::string referred = Customer("l6-referred", referrer);
  const std::string order = BuyAndComplete(referred, "l6-first").order_id();
  ASSERT_TRUE(Eventually("referrer rewarded (L6)", [&] {
                return ReferralEntries(referrer, referred).size() == 1;
              }).ok());
  Refund(order, 0, "l6-full");
  ASSERT_TRUE(Eventually("referral reward taken back (L6)", [&] {
                return ReferralEntries(referrer, referred).size() == 2;
              }).ok());
  // Redelivery or a second full refund request changes nothing: still one of each.
  Refund(order, 0, "l6-full");
  auto referred_profile = Profile(referred);
  ASSERT_TRUE(referred_profile.ok());
  const auto entries = ReferralEntries(referrer, referred);
  ASSERT_EQ(entries.size(), 2u);
  // Newest first: the reversal, then the award (kept: a ledger entry, not a deletion).
  EXPECT_EQ(entries[0].kind(), lv1::ENTRY_KIND_REVERSE);
  EXPECT_EQ(entries[0].available_delta(), -entries[1].available_delta());
  EXPECT_EQ(entries[0].source_id(), "referral-reversal:" + referred);
  EXPECT_EQ(entries[1].kind(), lv1::ENTRY_KIND_AWARD);
  EXPECT_GT(entries[1].available_delta(), 0);
  auto p = Profile(referrer);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->points_available(), 0) << "the referrer bought nothing: award - reversal = 0";
}

TEST_F(LoyaltyActsTest, PartialRefundOfTheFirstOrderKeepsTheReferralRewardL6) {
  const std::string referrer = Customer("l6p-referrer");
  const std::string referred = Customer("l6p-referred", referrer);
  const std::string order = BuyAndComplete(referred, "l6p-first").order_id();
  ASSERT_TRUE(Eventually("referrer rewarded (L6)", [&] {
                return ReferralEntries(referrer, referred).size() == 1;
              }).ok());
  Refund(order, 5000, "l6p-half");
  // The partial refund has been applied once its points reversal shows in the ledger.
  ASSERT_TRUE(Eventually("partial refund applied by loyalty (L4)", [&] {
                std::vector<lv1::LedgerEntry> es;
                return Ledger(stack(), referred, &es) && CountKind(es, lv1::ENTRY_KIND_REVERSE) == 1;
              }).ok());
  const auto entries = ReferralEntries(referrer, referred);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind(), lv1::ENTRY_KIND_AWARD);
}

TEST_F(LoyaltyActsTest, PointsAboutToExpireAreAnnouncedInChineseL4) {
  const std::string customer = Customer("l4-expiry");
  BuyAndComplete(customer, "l4-expiry");
  // 200.00 CNY earns 200 points, available after the return window (1 domain hour);
  // no activity for 4 more hours: loyalty warns (points_expiring), outreach sends it.
  uv1::Touch warning;
  ASSERT_TRUE(Eventually("points-expiry warning SENT (L4)", [&] {
                const auto all = Touches(stack(), customer);
                const uv1::Touch* t =
                    Find(all, uv1::TRIGGER_POINTS_EXPIRING, uv1::TOUCH_STATE_SENT);
                if (t != nullptr) warning = *t;
                return t != nullptr;
              }, absl::Seconds(120)).ok())
      << stack().LogTails();
  EXPECT_NE(warning.message().find("您的 200 积分将于"), std::string::npos) << warning.message();
  EXPECT_NE(warning.message().find("日 到期"), std::string::npos) << warning.message();
  EXPECT_EQ(warning.channel(), common1::CHANNEL_SMS) << "the one consented channel (R6)";
  // One warning per expiry date, however often loyalty's review runs.
  int warnings = 0;
  for (const auto& t : Touches(stack(), customer)) warnings += t.trigger() == uv1::TRIGGER_POINTS_EXPIRING;
  EXPECT_EQ(warnings, 1);
}

TEST_F(LoyaltyActsTest, TheSecondKeptOrderMakesARegularWithAUsableVoucherOncePerPeriodL4) {
  const std::string customer = Customer("l4-regular");
  BuyAndComplete(customer, "l4-regular-1");
  BuyAndComplete(customer, "l4-regular-2");
  std::vector<lv1::Voucher> vouchers;
  ASSERT_TRUE(Eventually("a voucher for the regular (L4)", [&] {
                vouchers = RegularVouchers(customer);
                return !vouchers.empty();
              }).ok());
  ASSERT_EQ(vouchers.size(), 1u);
  const lv1::Voucher v = vouchers[0];
  EXPECT_EQ(v.value().amount_minor(), 1500);  // REVISIT_LOYALTY_REGULAR_VOUCHER_MINOR
  EXPECT_EQ(v.min_spend().amount_minor(), 10000);
  EXPECT_EQ(v.state(), lv1::VOUCHER_STATE_ISSUED);
  EXPECT_EQ(FromProto(v.valid_until()) - FromProto(v.valid_from()), absl::Hours(24 * 30));
  // Genuinely usable: spent at checkout on the third order, which takes 15.00 off.
  const ov1::Order third = BuyAndComplete(customer, "l4-regular-3", {v.voucher_id()});
  EXPECT_EQ(third.total().amount_minor(), 20000 - 1500);
  ASSERT_TRUE(Eventually("the regular's voucher REDEEMED by the third order", [&] {
                auto now = RegularVouchers(customer);
                return now.size() == 1 && now[0].state() == lv1::VOUCHER_STATE_REDEEMED &&
                       now[0].redeemed_order_id() == third.order_id();
              }).ok());
  // The third order's completion reviews the account again: still one this period.
  ASSERT_TRUE(Eventually("third order's points earned", [&] {
                std::vector<lv1::LedgerEntry> es;
                return Ledger(stack(), customer, &es) && CountKind(es, lv1::ENTRY_KIND_EARN) == 3;
              }).ok());
  EXPECT_EQ(RegularVouchers(customer).size(), 1u);
}

}  // namespace
}  // namespace revisit::e2e
