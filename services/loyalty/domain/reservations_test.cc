// L4/L8 checkout benefits: reserve checks every term as issued, confirm and release
// in every order, expiry by the hold timer, the refund policy for points and vouchers.
#include "services/loyalty/domain/reservations.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Day;
using testing::Has;

constexpr char kOrder[] = "ord-01-00000000000000aa";

v1::Voucher Voucher(const std::string& id, int64_t value, int64_t min_spend) {
  v1::Voucher v;
  v.set_voucher_id(id);
  v.set_customer_id("cus-1");
  v.set_kind(v1::VOUCHER_KIND_REGULAR_REWARD);
  v.mutable_value()->set_amount_minor(value);
  v.mutable_value()->set_currency("CNY");
  v.mutable_min_spend()->set_amount_minor(min_spend);
  v.mutable_min_spend()->set_currency("CNY");
  *v.mutable_valid_from() = ToProto(Day(0));
  *v.mutable_valid_until() = ToProto(Day(30));
  v.set_state(v1::VOUCHER_STATE_ISSUED);
  return v;
}

v1::ReserveBenefitsRequest Ask(std::vector<std::string> vouchers, int64_t points,
                               int64_t payable = 10000) {
  v1::ReserveBenefitsRequest r;
  r.set_request_id("r1");
  r.set_reservation_id(kOrder);
  r.set_customer_id("cus-1");
  for (auto& v : vouchers) r.add_voucher_ids(v);
  r.set_points(points);
  auto* shoes = r.add_lines();
  shoes->set_category("shoes");
  shoes->mutable_amount()->set_amount_minor(8000);
  shoes->mutable_amount()->set_currency("CNY");
  auto* tea = r.add_lines();
  tea->set_category("tea");
  tea->mutable_amount()->set_amount_minor(2000);
  tea->mutable_amount()->set_currency("CNY");
  r.mutable_payable()->set_amount_minor(payable);
  r.mutable_payable()->set_currency("CNY");
  *r.mutable_hold_until() = ToProto(Day(1) + absl::Minutes(30));
  return r;
}

internal::Account Account(int64_t points) {
  internal::Account a;
  a.set_customer_id("cus-1");
  a.set_points_available(points);
  return a;
}

struct Reserved {
  v1::Reservation r;
  std::vector<v1::Voucher> vouchers;
  internal::Account account;
};

Reserved ReserveOk(std::vector<v1::Voucher> vs, int64_t points, int64_t balance = 1000) {
  std::vector<std::string> ids;
  VoucherSlots slots;
  for (auto& v : vs) {
    ids.push_back(v.voucher_id());
    slots.push_back(v);
  }
  Reserved out{{}, {}, Account(balance)};
  Effects fx;
  auto r = DecideReserve(Ask(ids, points), slots, out.account, Day(1), LoyaltyRules(), fx);
  EXPECT_TRUE(r.ok()) << r.status();
  if (r.ok()) out.r = *r;
  for (auto& s : slots) out.vouchers.push_back(*s);
  return out;
}

absl::Status ReserveErr(v1::Voucher v, absl::Time now = Day(1)) {
  VoucherSlots slots = {v};
  internal::Account a = Account(0);
  Effects fx;
  return DecideReserve(Ask({v.voucher_id()}, 0), slots, a, now, LoyaltyRules(), fx).status();
}

TEST(ReserveTest, HoldsVouchersAndSpendsPoints) {
  Reserved x = ReserveOk({Voucher("vch-a", 1500, 5000)}, 300);
  EXPECT_EQ(x.r.state(), v1::RESERVATION_STATE_HELD);
  EXPECT_EQ(x.r.voucher_discount().amount_minor(), 1500);
  EXPECT_EQ(x.r.points_discount().amount_minor(), 300);  // 1 minor per point by default
  EXPECT_EQ(x.account.points_available(), 700);
  EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_RESERVED);
  EXPECT_EQ(x.vouchers[0].reserved_order_id(), kOrder);
  EXPECT_FALSE(x.r.free_shipping());
}

TEST(ReserveTest, ScopeLimitsTheDiscountAndTheMinimumSpend) {
  v1::Voucher tea = Voucher("vch-t", 5000, 0);
  tea.add_categories("tea");
  EXPECT_EQ(ReserveOk({tea}, 0).r.voucher_discount().amount_minor(), 2000);  // tea is 20.00
  tea.mutable_min_spend()->set_amount_minor(3000);
  absl::Status st = ReserveErr(tea);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("minimum spend"), std::string::npos) << st;
  v1::Voucher bags = Voucher("vch-b", 100, 0);
  bags.add_categories("bags");
  EXPECT_NE(ReserveErr(bags).message().find("no such line"), std::string::npos);
}

TEST(ReserveTest, RefusesEveryUnusableVoucher) {
  v1::Voucher v = Voucher("vch-a", 100, 0);
  EXPECT_EQ(ReserveErr(v, Day(31)).code(), absl::StatusCode::kFailedPrecondition);  // expired
  EXPECT_EQ(ReserveErr(v, Day(0) - absl::Hours(1)).code(), absl::StatusCode::kFailedPrecondition);
  v1::Voucher redeemed = v;
  redeemed.set_state(v1::VOUCHER_STATE_REDEEMED);
  EXPECT_EQ(ReserveErr(redeemed).code(), absl::StatusCode::kFailedPrecondition);
  v1::Voucher held = v;
  held.set_state(v1::VOUCHER_STATE_RESERVED);
  held.set_reserved_order_id("ord-01-00000000000000bb");
  EXPECT_NE(ReserveErr(held).message().find("RESERVED by order ord-01-00000000000000bb"),
            std::string::npos);
  v1::Voucher other = v;
  other.set_customer_id("cus-2");
  EXPECT_EQ(ReserveErr(other).code(), absl::StatusCode::kInvalidArgument);
  v1::Voucher pass = v;
  pass.set_kind(v1::VOUCHER_KIND_FREE_SHIPPING_PASS);
  EXPECT_EQ(ReserveErr(pass).code(), absl::StatusCode::kFailedPrecondition);
  VoucherSlots missing = {std::nullopt};
  internal::Account a = Account(0);
  Effects fx;
  EXPECT_EQ(DecideReserve(Ask({"vch-x"}, 0), missing, a, Day(1), LoyaltyRules(), fx).status().code(),
            absl::StatusCode::kNotFound);
  VoucherSlots twice = {v, v};
  EXPECT_EQ(DecideReserve(Ask({"vch-a", "vch-a"}, 0), twice, a, Day(1), LoyaltyRules(), fx)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReserveTest, PointsNeedBalanceAndRoomInThePrice) {
  VoucherSlots none;
  internal::Account a = Account(100);
  Effects fx;
  EXPECT_EQ(DecideReserve(Ask({}, 101), none, a, Day(1), LoyaltyRules(), fx).status().code(),
            absl::StatusCode::kFailedPrecondition);
  a = Account(1000000);
  EXPECT_EQ(DecideReserve(Ask({}, 10001), none, a, Day(1), LoyaltyRules(), fx).status().code(),
            absl::StatusCode::kFailedPrecondition);  // worth more than the 100.00 payable
  LoyaltyRules huge;
  huge.point_value_minor = int64_t{1} << 40;
  EXPECT_EQ(DecideReserve(Ask({}, int64_t{1} << 30), none, a, Day(1), huge, fx).status().code(),
            absl::StatusCode::kFailedPrecondition);  // overflow is refused, not wrapped
  EXPECT_EQ(a.points_available(), 1000000);
}

TEST(ReserveTest, VouchersWorthMoreThanThePriceAreCapped) {
  VoucherSlots slots = {Voucher("vch-a", 9000, 0), Voucher("vch-b", 9000, 0)};
  internal::Account a = Account(0);
  Effects fx;
  auto r = DecideReserve(Ask({"vch-a", "vch-b"}, 0), slots, a, Day(1), LoyaltyRules(), fx);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->voucher_discount().amount_minor(), 10000);
}

TEST(ReserveTest, FreeShippingFromAPass) {
  VoucherSlots none;
  internal::Account a = Account(0);
  a.set_free_shipping_lifetime(true);
  Effects fx;
  auto r = DecideReserve(Ask({}, 0), none, a, Day(1), LoyaltyRules(), fx);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->free_shipping());
}

TEST(ConfirmTest, RedeemsOnceAndRefusesAfterRelease) {
  Reserved x = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  Effects fx;
  ASSERT_TRUE(DecideConfirm(x.r, x.vouchers, Day(1), fx).ok());
  EXPECT_EQ(x.r.state(), v1::RESERVATION_STATE_CONFIRMED);
  EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_REDEEMED);
  EXPECT_EQ(x.vouchers[0].redeemed_order_id(), kOrder);
  EXPECT_TRUE(Has(fx, "benefits_confirmed"));
  // L4: the voucher spent at checkout is the one redemption event (RedeemVoucher retired).
  EXPECT_EQ(fx.EventNames(), (std::vector<std::string>{"benefits_confirmed", "voucher_redeemed"}));
  Effects again;
  EXPECT_TRUE(DecideConfirm(x.r, x.vouchers, Day(1), again).ok());
  EXPECT_TRUE(again.empty());

  Reserved y = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  Effects rel;
  ASSERT_TRUE(DecideRelease(y.r, y.vouchers, y.account, std::nullopt, "cancelled", Day(1), rel));
  EXPECT_EQ(DecideConfirm(y.r, y.vouchers, Day(1), rel).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ReleaseTest, CancelGivesEverythingBackOnce) {
  for (bool confirmed : {false, true}) {
    Reserved x = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
    Effects fx;
    if (confirmed) {
      ASSERT_TRUE(DecideConfirm(x.r, x.vouchers, Day(1), fx).ok());
    }
    ASSERT_TRUE(DecideRelease(x.r, x.vouchers, x.account, std::nullopt, "cancelled", Day(1), fx));
    EXPECT_EQ(x.r.state(), v1::RESERVATION_STATE_RELEASED);
    EXPECT_EQ(x.account.points_available(), 1000);
    EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_ISSUED);
    EXPECT_TRUE(x.vouchers[0].redeemed_order_id().empty());
    EXPECT_TRUE(x.vouchers[0].reserved_order_id().empty());
    EXPECT_EQ(x.vouchers[0].value().amount_minor(), 1500);  // terms unchanged (L4)
    Effects again;
    EXPECT_FALSE(DecideRelease(x.r, x.vouchers, x.account, std::nullopt, "again", Day(1), again));
    EXPECT_EQ(x.account.points_available(), 1000);
  }
}

TEST(ReleaseTest, PartialRefundsReturnPointsInProportionAndVouchersAtTheEnd) {
  Reserved x = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  Effects fx;
  ASSERT_TRUE(DecideConfirm(x.r, x.vouchers, Day(1), fx).ok());
  ASSERT_TRUE(DecideRelease(x.r, x.vouchers, x.account, RefundShare{1000, 3000}, "refund", Day(2), fx));
  EXPECT_EQ(x.r.points_returned(), 100);
  EXPECT_EQ(x.account.points_available(), 800);
  EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_REDEEMED);
  EXPECT_FALSE(DecideRelease(x.r, x.vouchers, x.account, RefundShare{1000, 3000}, "repeat", Day(2), fx));
  ASSERT_TRUE(DecideRelease(x.r, x.vouchers, x.account, RefundShare{3000, 3000}, "refund", Day(3), fx));
  EXPECT_EQ(x.r.points_returned(), 300);
  EXPECT_EQ(x.account.points_available(), 1000);
  EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_ISSUED);
  EXPECT_EQ(x.r.state(), v1::RESERVATION_STATE_RELEASED);
}

TEST(ReleaseTest, ARefundShareOfAnUnpaidHoldChangesNothing) {
  Reserved x = ReserveOk({}, 300);
  Effects fx;
  EXPECT_FALSE(DecideRelease(x.r, x.vouchers, x.account, RefundShare{100, 3000}, "r", Day(1), fx));
  EXPECT_EQ(x.r.state(), v1::RESERVATION_STATE_HELD);
}

TEST(ExpireTest, OnlyAnUnconfirmedHoldPastItsDeadline) {
  Reserved x = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  Effects fx;
  EXPECT_FALSE(DecideExpire(x.r, x.vouchers, x.account, Day(1), fx));  // not yet due
  EXPECT_TRUE(DecideExpire(x.r, x.vouchers, x.account, Day(2), fx));
  EXPECT_EQ(x.vouchers[0].state(), v1::VOUCHER_STATE_ISSUED);
  EXPECT_EQ(x.account.points_available(), 1000);
  Reserved y = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  ASSERT_TRUE(DecideConfirm(y.r, y.vouchers, Day(1), fx).ok());
  EXPECT_FALSE(DecideExpire(y.r, y.vouchers, y.account, Day(2), fx));
  EXPECT_EQ(y.vouchers[0].state(), v1::VOUCHER_STATE_REDEEMED);
}

TEST(SameReservationTest, ComparesCustomerVouchersAndPoints) {
  Reserved x = ReserveOk({Voucher("vch-a", 1500, 0)}, 300);
  EXPECT_TRUE(SameReservation(Ask({"vch-a"}, 300), x.r));
  EXPECT_FALSE(SameReservation(Ask({"vch-a"}, 301), x.r));
  EXPECT_FALSE(SameReservation(Ask({}, 300), x.r));
}

}  // namespace
}  // namespace revisit::loyalty
