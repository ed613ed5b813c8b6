// L6: the one dedupe of a referral reversal is ReferralDedupeKey, in the referrer's
// shard beside the referrer's account and ledger (so one WriteBatch commits the key
// with the REVERSE entry, atomically), and the same for every request about the same
// referred customer: a second reversal finds it recorded and applies nothing
// (WriteBatch's DEDUPE contract; with Redis: loyalty_exactly_once_test
// ASecondReversalOfOneReferralIsANoOpL6).
#include <gtest/gtest.h>

#include "common/keys.h"
#include "services/loyalty/store/loyalty_store.h"

namespace revisit::loyalty {
namespace {

ReferralReward Reversal(const std::string& order_id, int64_t points) {
  return ReferralReward{"cus-old", "cus-1", order_id, points, /*reversal=*/true};
}

TEST(ReferralDedupeKeyTest, EveryReversalOfOneReferredCustomerSharesOneKeyL6) {
  const std::string key = ReferralDedupeKey(Reversal("o1", 500));
  EXPECT_EQ(key, ShardKey(kService, ShardOf("cus-old"), "referral_reversal:cus-1"));
  EXPECT_EQ(ReferralDedupeKey(Reversal("o1", 500)), key);  // a second full refund
  EXPECT_EQ(ReferralDedupeKey(Reversal("o1", 800)), key);  // whatever it carries
  ReferralReward other = Reversal("o1", 500);
  other.referred_id = "cus-2";
  EXPECT_NE(ReferralDedupeKey(other), key);
}

TEST(ReferralDedupeKeyTest, TheKeyLivesWithTheReferrersAccountAndAwardL6) {
  ReferralReward award = Reversal("o1", 500);
  award.reversal = false;
  const int shard = ShardOf("cus-old");
  const std::string tag = ShardKey(kService, shard, "");
  EXPECT_EQ(ReferralDedupeKey(award), tag + "referral:cus-1");
  EXPECT_EQ(ReferralDedupeKey(Reversal("o1", 500)).rfind(tag, 0), 0u);
  EXPECT_EQ(AccountKey(shard, "cus-old").rfind(tag, 0), 0u);
  EXPECT_EQ(LedgerKey(shard, "cus-old").rfind(tag, 0), 0u);
}

}  // namespace
}  // namespace revisit::loyalty
