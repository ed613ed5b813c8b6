#include "services/loyalty/loyalty_config.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace revisit::loyalty {
namespace {

// Reads "a,b,c,d" of N non-negative integers, ascending.
template <size_t N>
void IntList(EnvConfig& env, const std::string& name, std::array<int64_t, N>& out,
             const std::string& help) {
  std::vector<std::string> defaults;
  for (auto v : out) defaults.push_back(std::to_string(v));
  std::string text = env.String(name, absl::StrJoin(defaults, ","), help);
  std::vector<std::string> parts = absl::StrSplit(text, ',');
  std::array<int64_t, N> parsed{};
  bool ok = parts.size() == N;
  for (size_t i = 0; ok && i < N; ++i) {
    ok = absl::SimpleAtoi(parts[i], &parsed[i]) && parsed[i] >= 0 && (i == 0 || parsed[i] > parsed[i - 1]);
  }
  if (!ok) {
    env.Invalid(name, text, "must be " + std::to_string(N) + " ascending non-negative integers");
    return;
  }
  out = parsed;
}

}  // namespace

LoyaltyRules LoadLoyaltyRules(EnvConfig& env) {
  LoyaltyRules r;
  r.currency = env.String("REVISIT_LOYALTY_CURRENCY", r.currency,
                          "ISO currency of spend, thresholds and vouchers");
  r.points_per_major = env.Int("REVISIT_LOYALTY_POINTS_PER_UNIT", r.points_per_major, 0, 1000,
                               "L4 points per major currency unit spent");
  r.point_value_minor = env.Int("REVISIT_LOYALTY_POINT_VALUE_MINOR", r.point_value_minor, 1,
                                1000000, "what one point takes off an order at checkout, minor units (L4)");
  IntList(env, "REVISIT_LOYALTY_TIER_MULTIPLIERS_PCT", r.tier_multiplier_pct,
          "L4 points multiplier % for regular,silver,gold,platinum");
  r.return_window = env.Duration("REVISIT_LOYALTY_RETURN_WINDOW", "7d", absl::ZeroDuration(),
                                 "L4 points stay pending this long after completion");
  r.expiry_inactivity = env.Duration("REVISIT_LOYALTY_EXPIRY_INACTIVITY", "365d", absl::Hours(1),
                                     "L4 available points expire after this inactivity");
  r.expiry_warning = env.Duration("REVISIT_LOYALTY_EXPIRY_WARNING", "30d", absl::ZeroDuration(),
                                  "L4 points_expiring is sent this long before expiry");
  IntList(env, "REVISIT_LOYALTY_TIER_THRESHOLDS", r.tier_thresholds_minor,
          "L3 rolling spend (minor units) for silver,gold,platinum");
  r.tier_window = env.Duration("REVISIT_LOYALTY_TIER_WINDOW", "365d", absl::Hours(1),
                               "L3 rolling spend window");
  r.downgrade_grace = env.Duration("REVISIT_LOYALTY_DOWNGRADE_GRACE", "90d", absl::ZeroDuration(),
                                   "L3 grace period before a downgrade");
  r.a_share_pct = static_cast<int>(env.Int("REVISIT_LOYALTY_CLASS_A_PCT", r.a_share_pct, 1, 98,
                                           "L1 class A: customers making the top N% of spend"));
  r.b_share_pct = static_cast<int>(env.Int("REVISIT_LOYALTY_CLASS_B_PCT", r.b_share_pct, 1, 98,
                                           "L1 class B: the next N% of spend"));
  if (r.a_share_pct + r.b_share_pct >= 100) {
    env.Invalid("REVISIT_LOYALTY_CLASS_B_PCT", std::to_string(r.b_share_pct),
                "A% + B% must be below 100");
  }
  r.loyal_min_orders = static_cast<int>(env.Int("REVISIT_LOYALTY_LOYAL_MIN_ORDERS",
                                                r.loyal_min_orders, 2, 1000, "L2 loyal: orders"));
  r.churn_factor = env.Double("REVISIT_LOYALTY_CHURN_FACTOR", r.churn_factor, 1, 100,
                              "L9 overdue after median interval x factor");
  r.churn_min_orders = static_cast<int>(env.Int("REVISIT_LOYALTY_CHURN_MIN_ORDERS",
                                                r.churn_min_orders, 2, 1000,
                                                "L9 orders needed to know a rhythm"));
  r.clv_lifetime_months = env.Int("REVISIT_LOYALTY_CLV_LIFETIME_MONTHS", r.clv_lifetime_months, 1,
                                  1200, "L5 expected customer lifetime");
  r.negative_refund_pct = static_cast<int>(env.Int("REVISIT_LOYALTY_NEGATIVE_REFUND_PCT",
                                                   r.negative_refund_pct, 1, 100,
                                                   "L7 refund ratio flagged for review"));
  r.negative_compensated_complaints = static_cast<int>(env.Int(
      "REVISIT_LOYALTY_NEGATIVE_COMPENSATED_COMPLAINTS", r.negative_compensated_complaints, 0, 1000,
      "L7 compensated complaints (refund, voucher, gift, points) flagged for review; 0 = off"));
  r.negative_compensation_pct = static_cast<int>(env.Int(
      "REVISIT_LOYALTY_NEGATIVE_COMPENSATION_PCT", r.negative_compensation_pct, 0, 1000,
      "L7 compensated complaints flag when their compensation is at least this % of spend; 0 = the count alone"));
  r.negative_point_value_minor = env.Int(
      "REVISIT_LOYALTY_NEGATIVE_POINT_VALUE_MINOR", r.negative_point_value_minor, 0, 1000000,
      "L7 what one compensation point counts as (minor units)");
  r.negative_rejected_complaints = static_cast<int>(env.Int(
      "REVISIT_LOYALTY_NEGATIVE_REJECTED_COMPLAINTS", r.negative_rejected_complaints, 0, 1000,
      "L7 complaints rejected as unreasonable (C8) flagged for review; 0 = off"));
  r.regular_min_orders = static_cast<int>(env.Int(
      "REVISIT_LOYALTY_REGULAR_MIN_ORDERS", r.regular_min_orders, 0, 1000,
      "L4 kept orders within REVISIT_LOYALTY_REGULAR_WINDOW that make a regular; 0 = no vouchers for regulars"));
  r.regular_window = env.Duration("REVISIT_LOYALTY_REGULAR_WINDOW", "365d", absl::Hours(1),
                                  "L4 the window the regular's orders are counted in");
  r.regular_period = env.Duration("REVISIT_LOYALTY_REGULAR_PERIOD", "90d", absl::Hours(1),
                                  "L4 a regular gets at most one voucher per period");
  r.regular_voucher_minor = env.Int("REVISIT_LOYALTY_REGULAR_VOUCHER_MINOR", r.regular_voucher_minor,
                                    1, 100000000, "L4 the regular's voucher value (minor units)");
  r.regular_min_spend_minor = env.Int(
      "REVISIT_LOYALTY_REGULAR_MIN_SPEND_MINOR", r.regular_min_spend_minor, 0, 100000000,
      "L4 the minimum spend the regular's voucher needs (minor units)");
  r.regular_validity = env.Duration("REVISIT_LOYALTY_REGULAR_VALIDITY", "30d", absl::Hours(1),
                                    "L4 how long the regular's voucher is valid");
  r.referral_reward_points = env.Int("REVISIT_LOYALTY_REFERRAL_POINTS", r.referral_reward_points,
                                     0, 1000000, "L6 points for the referrer");
  r.review_interval = env.Duration("REVISIT_LOYALTY_REVIEW_INTERVAL", "1d", absl::Seconds(1),
                                   "each customer is re-evaluated at least this often");
  return r;
}

LoyaltyConfig LoadLoyaltyConfig(EnvConfig& env) {
  LoyaltyConfig c;
  c.common = LoadCommonConfig(env, "loyalty");
  c.rules = LoadLoyaltyRules(env);
  c.idempotency_ttl = env.Duration("REVISIT_LOYALTY_IDEMPOTENCY_TTL", "7d", absl::Minutes(1),
                                   "how long a request_id's first answer is kept");
  c.inbox_ttl = env.Duration("REVISIT_LOYALTY_INBOX_TTL", "400d", absl::Minutes(1),
                             "how long consumed event IDs are remembered (replay guard)");
  c.reclassify_interval = env.Duration("REVISIT_LOYALTY_RECLASSIFY_INTERVAL", "1d",
                                       absl::Seconds(1), "L1 classes are recomputed this often");
  c.consume = env.Bool("REVISIT_LOYALTY_CONSUME", true, "consume revisit.order.v1 and revisit.complaint.v1");
  c.replay = env.Bool("REVISIT_LOYALTY_REPLAY", false,
                      "read the consumed topics from offset 0 on start (exactly-once: no double effect)");
  c.max_batch = static_cast<int>(env.Int(
      "REVISIT_LOYALTY_MAX_BATCH", c.max_batch, 1, 16384,
      "at most this many consumed records per batch (one read and one commit pipeline; "
      "a customer's events in a batch commit as one script)"));
  return c;
}

}  // namespace revisit::loyalty
