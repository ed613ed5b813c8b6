// L4 points ledger maths with explicit times.
#include "services/loyalty/domain/ledger.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Day;
using testing::Order;
using testing::RefundOf;

// Invariant (L4): balances equal the sums of the ledger.
void ExpectInvariant(const internal::Account& a, const std::vector<v1::LedgerEntry>& ledger) {
  int64_t avail = 0, pending = 0;
  for (const auto& e : ledger) {
    avail += e.available_delta();
    pending += e.pending_delta();
  }
  EXPECT_EQ(a.points_available(), avail);
  EXPECT_EQ(a.points_pending(), pending);
}

struct Harness {
  LoyaltyRules rules;
  internal::Account account = NewAccount("cus-1");
  std::vector<v1::LedgerEntry> ledger;
  Effects last;

  absl::Status Complete(const std::string& id, int64_t paid, absl::Time at) {
    last = Effects();
    auto st = OnOrderCompleted(account, Order(id, paid, at), "ev-" + id, at, rules, last);
    Collect();
    return st;
  }
  void Refund(const std::string& order, int64_t paid, const std::string& rid, int64_t amount,
              absl::Time at) {
    last = Effects();
    ASSERT_TRUE(OnOrderRefunded(account, Order(order, paid, at), RefundOf(rid, amount, at),
                                "ev-" + rid, at, rules, last).ok());
    Collect();
  }
  void ReviewAt(absl::Time at) {
    last = Effects();
    Review(account, at, rules, last);
    Collect();
  }
  void Collect() { ledger.insert(ledger.end(), last.entries.begin(), last.entries.end()); }
};

TEST(LedgerSeqOfTest, ReadsTheSequenceAndRefusesAnythingElseWithoutThrowing) {
  EXPECT_EQ(LedgerSeqOf("led-00000042").value(), 42);
  EXPECT_EQ(LedgerSeqOf("led-123456789").value(), 123456789);
  for (const char* bad : {"", "led-", "led-x1", "led--5", "led-0", "xyz-00000001",
                          "led-99999999999999999999999"}) {
    auto seq = LedgerSeqOf(bad);
    ASSERT_FALSE(seq.ok()) << bad;
    EXPECT_EQ(seq.status().code(), absl::StatusCode::kDataLoss) << bad;
  }
}

TEST(PointsForTest, RateTimesTierMultiplierL4) {
  LoyaltyRules rules;
  struct Case { int64_t minor; v1::Tier tier; int64_t want; } cases[] = {
      {10000, v1::TIER_REGULAR, 100},  {10000, v1::TIER_SILVER, 125},
      {10000, v1::TIER_GOLD, 150},     {10000, v1::TIER_PLATINUM, 200},
      {199, v1::TIER_REGULAR, 1},      {99, v1::TIER_REGULAR, 0},
      {0, v1::TIER_GOLD, 0},           {-500, v1::TIER_GOLD, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PointsFor(c.minor, c.tier, rules), c.want) << c.minor << " " << c.tier;
  }
  rules.points_per_major = 3;
  EXPECT_EQ(PointsFor(10000, v1::TIER_GOLD, rules), 450);
}

TEST(LedgerTest, EarnedPointsPendingUntilReturnWindowEndsL4) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  EXPECT_EQ(h.account.points_pending(), 100);
  EXPECT_EQ(h.account.points_available(), 0);
  EXPECT_EQ(h.last.EventNames()[0], "points_earned");
  h.ReviewAt(Day(6));
  EXPECT_EQ(h.account.points_available(), 0);
  h.ReviewAt(Day(7));
  EXPECT_EQ(h.account.points_available(), 100);
  EXPECT_EQ(h.account.points_pending(), 0);
  EXPECT_EQ(h.last.EventNames()[0], "points_available");
  h.ReviewAt(Day(8));  // released once
  EXPECT_EQ(h.account.points_available(), 100);
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, CompletionIsIdempotentOnOrderIdL4) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  EXPECT_TRUE(h.last.entries.empty());
  EXPECT_EQ(h.account.points_pending(), 100);
  EXPECT_EQ(h.account.completed_orders(), 1);
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, PartialRefundsReverseInProportionWithoutDriftL4) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 30000, Day(0)).ok());  // 300 points pending
  h.Refund("o1", 30000, "r1", 10000, Day(1));          // a third
  EXPECT_EQ(h.account.points_pending(), 200);
  h.Refund("o1", 30000, "r1", 10000, Day(1));          // same refund again: nothing
  EXPECT_EQ(h.account.points_pending(), 200);
  h.Refund("o1", 30000, "r2", 10000, Day(2));
  h.Refund("o1", 30000, "r3", 10000, Day(3));          // full refund reverses exactly all
  EXPECT_EQ(h.account.points_pending(), 0);
  EXPECT_EQ(h.account.orders(0).points_reversed(), 300);
  h.ReviewAt(Day(10));
  EXPECT_EQ(h.account.points_available(), 0);  // nothing left to release
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, RoundingAcrossPartialRefundsSumsToTheFullReversal) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());  // 100 points
  for (int i = 0; i < 3; ++i) h.Refund("o1", 10000, "r" + std::to_string(i), 3333, Day(1));
  EXPECT_EQ(h.account.orders(0).points_reversed(), 99);  // floor(100 * 9999 / 10000)
  h.Refund("o1", 10000, "r-last", 1, Day(1));
  EXPECT_EQ(h.account.orders(0).points_reversed(), 100);
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, RefundOfSpentPointsGoesNegativeAndIsRecoveredL4) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  h.ReviewAt(Day(7));
  Effects e;
  ASSERT_TRUE(Redeem(h.account, 100, "gift", "req-1", Day(8), e).ok());
  h.ledger.insert(h.ledger.end(), e.entries.begin(), e.entries.end());
  h.Refund("o1", 10000, "r1", 10000, Day(9));
  EXPECT_EQ(h.account.points_available(), -100);
  Effects no;
  EXPECT_EQ(Redeem(h.account, 1, "", "req-2", Day(9), no).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(h.Complete("o2", 15000, Day(10)).ok());
  h.ReviewAt(Day(17));
  EXPECT_EQ(h.account.points_available(), 50);  // 150 earned - 100 debt
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, RefundBeforeCompletionEarnsOnTheNetAmount) {
  Harness h;
  h.Refund("o1", 10000, "r1", 4000, Day(0));
  ASSERT_TRUE(h.Complete("o1", 10000, Day(1)).ok());
  EXPECT_EQ(h.account.points_pending(), 60);
  EXPECT_EQ(h.account.refunded_total_minor(), 4000);
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, RedeemValidatesAmountL4) {
  Harness h;
  Effects e;
  EXPECT_EQ(Redeem(h.account, 0, "", "r", Day(0), e).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Redeem(h.account, 1, "", "r", Day(0), e).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(LedgerTest, ExpiryWarnsOnceThenExpiresAfterInactivityL4) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  h.ReviewAt(Day(7));
  h.ReviewAt(Day(334));
  EXPECT_FALSE(testing::Has(h.last, "points_expiring"));
  h.ReviewAt(Day(335));  // 365 - 30
  EXPECT_TRUE(testing::Has(h.last, "points_expiring"));
  h.ReviewAt(Day(340));
  EXPECT_FALSE(testing::Has(h.last, "points_expiring"));
  h.ReviewAt(Day(365));
  EXPECT_EQ(h.account.points_available(), 0);
  EXPECT_EQ(h.last.entries.at(0).kind(), v1::ENTRY_KIND_EXPIRE);
  ExpectInvariant(h.account, h.ledger);
}

TEST(LedgerTest, ActivityPostponesExpiry) {
  Harness h;
  ASSERT_TRUE(h.Complete("o1", 10000, Day(0)).ok());
  ASSERT_TRUE(h.Complete("o2", 10000, Day(300)).ok());
  h.ReviewAt(Day(400));
  EXPECT_EQ(h.account.points_available(), 200);
  EXPECT_EQ(ExpiryAt(h.account, h.rules), Day(665));
}

TEST(LedgerTest, FormatMoney) {
  EXPECT_EQ(FormatMoney(123456, "CNY"), "1234.56 CNY");
  EXPECT_EQ(FormatMoney(-5, "CNY"), "-0.05 CNY");
}

}  // namespace
}  // namespace revisit::loyalty
