// R12: the lift of a campaign over its holdout group, with its interval (lift.h).
#include "services/outreach/domain/lift.h"

#include <algorithm>
#include <cmath>

namespace revisit::outreach {

LiftEstimate EstimateLift(int64_t treated, int64_t treated_revisits, int64_t holdout,
                          int64_t holdout_revisits) {
  LiftEstimate e;
  if (treated > 0) e.treated_rate = static_cast<double>(treated_revisits) / treated;
  if (holdout > 0) e.holdout_rate = static_cast<double>(holdout_revisits) / holdout;
  e.lift = e.treated_rate - e.holdout_rate;
  if (treated == 0 || holdout == 0) return e;  // nothing known: [-1, 1]
  const double var = e.treated_rate * (1 - e.treated_rate) / treated +
                     e.holdout_rate * (1 - e.holdout_rate) / holdout;
  const double half = 1.96 * std::sqrt(var);
  e.low = std::max(-1.0, e.lift - half);
  e.high = std::min(1.0, e.lift + half);
  return e;
}

}  // namespace revisit::outreach
