// Customer insights from purchase behaviour: attitude segments (L2), RFM scores,
// churn risk (L9), lifetime value (L5) and the negative-value flag (L7).
//
// SEGMENT RULES (L2), first match wins; "orders" are completed orders:
//   1. no completed order                         -> UNSPECIFIED "no completed order yet"
//   2. >= loyal_min_orders (3) orders, not overdue against their own rhythm (churn
//      rule below):
//        a. >= early_adopter_min_new_skus (3) SKUs bought for the first time within
//           early_adopter_window (90 days): keeps trying our new products
//                                              -> EARLY_ADOPTER
//        b. otherwise                          -> LOYAL
//   3. >= 2 orders (comes back, but irregularly or is now overdue: buys elsewhere
//      between our orders)                     -> BRAND_SWITCHER
//   4. 1 order, older than no_loyalty_after (180 days) -> NO_LOYALTY
//   5. 1 recent order                          -> UNSPECIFIED "too early to tell"
// The contracts carry no product launch dates, so "early adopter" uses a customer's
// first purchase of each SKU as the proxy for adopting something new.
//
// CHURN (L9): with >= churn_min_orders orders, the median interval between the last
// churn_history completions x churn_factor is the customer's allowance; a customer
// whose last order is older than that is at risk (one churn_risk_detected per
// overdue episode; a new order ends the episode).
//
// CLV (L5): net spend / months since first order (at least 1) x clv_lifetime_months.
// NEGATIVE VALUE (L7), flagged for review (event once), never dropped, when any of:
//   1. refunded/spent >= negative_refund_pct with at least negative_min_orders orders;
//   2. >= negative_compensated_complaints complaints compensated (refund, voucher,
//      gift, points: complaint.resolved) whose compensation (a point counts as
//      negative_point_value_minor) is >= negative_compensation_pct of spend;
//   3. >= negative_rejected_complaints complaints rejected as unreasonable (C8 or a
//      platform ruling without remedy: complaint.rejected), not reopened since.
// The reason names every rule that holds.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_INSIGHTS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_INSIGHTS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

struct SegmentDecision {
  v1::Segment segment = v1::SEGMENT_UNSPECIFIED;
  std::string reason;
};

struct ChurnDecision {
  bool at_risk = false;
  // Known only with enough orders.
  bool has_rhythm = false;
  absl::Duration median_interval;
  absl::Time due = absl::InfiniteFuture();  // last order + median x factor
  std::string reason;
};

struct NegativeValueDecision {
  bool negative = false;
  std::string reason;  // empty unless negative
};

struct ClvEstimate {
  int64_t value_minor = 0;
  std::string reason;
};

ChurnDecision DecideChurn(const internal::Account& account, absl::Time now,
                          const LoyaltyRules& rules);
SegmentDecision DecideSegment(const internal::Account& account, absl::Time now,
                              const LoyaltyRules& rules);
v1::Rfm ScoreRfm(const internal::Account& account, absl::Time now, const LoyaltyRules& rules);
ClvEstimate EstimateClv(const internal::Account& account, absl::Time now,
                        const LoyaltyRules& rules);

NegativeValueDecision DecideNegativeValue(const internal::Account& account, const LoyaltyRules& rules);

// Applies the churn, segment and negative-value decisions to `account`, emitting
// churn_risk_detected, segment_changed and negative_value_flagged on changes.
void UpdateInsights(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                    Effects& effects);

// Next time an insight can change without an event (churn due, segment ageing).
absl::Time NextInsightCheck(const internal::Account& account, absl::Time now,
                            const LoyaltyRules& rules);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_INSIGHTS_H_
