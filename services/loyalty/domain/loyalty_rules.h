// LoyaltyRules: every number the loyalty decisions use (DOMAIN.md L1-L9), with the
// defaults of DOMAIN.md. Filled from the environment by loyalty_config.cc; tests
// build them directly. Pure data: thread-safe to share once built.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_LOYALTY_RULES_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_LOYALTY_RULES_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "revisit/loyalty/v1/loyalty.pb.h"

namespace revisit::loyalty {

namespace v1 = ::revisit::loyalty::v1;

// Index into per-tier arrays: REGULAR=0 .. PLATINUM=3.
int TierIndex(v1::Tier tier);

struct LoyaltyRules {
  // The currency spend and thresholds are counted in (orders in another currency
  // are refused by the consumer and dead-lettered).
  std::string currency = "CNY";
  int64_t minor_per_major = 100;

  // L4 points: `points_per_major` points per major unit, times the tier multiplier (%).
  int64_t points_per_major = 1;
  std::array<int64_t, 4> tier_multiplier_pct = {100, 125, 150, 200};
  // L4 checkout: what one spent point takes off an order (minor units; 1 = 100 points
  // per yuan).
  int64_t point_value_minor = 1;
  // Points stay pending until the return window after completion has passed.
  absl::Duration return_window = absl::Hours(24 * 7);
  // Available points expire after this much inactivity; a warning goes out before.
  absl::Duration expiry_inactivity = absl::Hours(24 * 365);
  absl::Duration expiry_warning = absl::Hours(24 * 30);

  // L3 tiers: minimum rolling spend for silver, gold, platinum (minor units).
  std::array<int64_t, 3> tier_thresholds_minor = {200000, 1000000, 5000000};
  absl::Duration tier_window = absl::Hours(24 * 365);
  absl::Duration downgrade_grace = absl::Hours(24 * 90);

  // L1 classes: cumulative share of spend for A and A+B, in percent.
  int a_share_pct = 70;
  int b_share_pct = 20;

  // L2 segments.
  int loyal_min_orders = 3;
  int early_adopter_min_new_skus = 3;
  absl::Duration early_adopter_window = absl::Hours(24 * 90);
  absl::Duration no_loyalty_after = absl::Hours(24 * 180);

  // L9 churn: overdue when now - last order > median interval x factor.
  double churn_factor = 2.0;
  int churn_min_orders = 3;
  int churn_history = 12;

  // L5 CLV: average monthly spend x expected lifetime.
  int64_t clv_lifetime_months = 36;

  // L7: refunded / spent above this share (percent) with enough orders is flagged.
  int negative_refund_pct = 50;
  int negative_min_orders = 2;
  // L7 from complaint events: at least this many complaints compensated (refund,
  // voucher, gift, points) whose compensation reaches negative_compensation_pct of
  // spend; 0 = rule off.
  int negative_compensated_complaints = 3;
  int negative_compensation_pct = 20;
  // What one compensation point counts as (minor units): 10 mirrors the complaint
  // service's default authority, 200.00 or 2000 points for an agent (C8).
  int64_t negative_point_value_minor = 10;
  // L7: at least this many complaints rejected as unreasonable (C8); 0 = rule off.
  int negative_rejected_complaints = 2;

  // L6: points for the referrer on the referred customer's first completed order.
  int64_t referral_reward_points = 500;

  // RFM (L2) score boundaries. Recency in days: <= r[0] scores 5 ... > r[3] scores 1.
  std::array<int64_t, 4> rfm_recency_days = {30, 90, 180, 365};
  // Frequency: completed orders in the tier window; >= f[3] scores 5 ... < f[0] scores 1.
  std::array<int64_t, 4> rfm_frequency_orders = {2, 4, 8, 16};
  // Monetary: spend in the tier window (minor); >= m[3] scores 5 ... < m[0] scores 1.
  std::array<int64_t, 4> rfm_monetary_minor = {50000, 200000, 1000000, 5000000};

  // Periodic re-evaluation: a customer is reviewed at least this often.
  absl::Duration review_interval = absl::Hours(24);
  // Orders kept in full on the account: those completed within this period.
  absl::Duration order_retention = absl::Hours(24 * 400);
};

// The explicit benefits of each tier (L3); BENEFIT_PARCEL_GIFT (O7) and
// BENEFIT_FREE_SHIPPING from a pass (L8) are added per customer, not per tier.
std::vector<v1::Benefit> TierBenefits(v1::Tier tier);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_LOYALTY_RULES_H_
