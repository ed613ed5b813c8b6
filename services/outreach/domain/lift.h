// Lift of a campaign over its holdout group (R12): the difference of the two revisit
// rates with a 95% confidence interval (Wald interval for a difference of two
// proportions, normal approximation; z = 1.96).
// With an empty group nothing is known: the interval is the whole range [-1, 1].
// The approximation is rough below ~10 revisits per group; the counts travel with
// the estimate (CampaignStats) so a reader can judge.
// Thread-safety: pure function.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_LIFT_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_LIFT_H_

#include <cstdint>

namespace revisit::outreach {

struct LiftEstimate {
  double treated_rate = 0;
  double holdout_rate = 0;
  double lift = 0;  // treated_rate - holdout_rate
  double low = -1;  // 95% interval, clamped to [-1, 1]
  double high = 1;
};

LiftEstimate EstimateLift(int64_t treated, int64_t treated_revisits, int64_t holdout,
                          int64_t holdout_revisits);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_LIFT_H_
