// Value classes (L1): ABC by cumulative share of spend over all customers.
//
// Customers are ranked by spend, highest first. A customer whose rank group starts
// before `a_share_pct` (70%) of total spend is A, before a+b (90%) is B, else C:
// A = the few customers who make the top 70% of spend, C = the many who make the last
// 10%. Customers with equal spend always share a class (the class is decided where
// their group starts), and a customer with no spend is always C.
//
// Algorithm: one sort of (spend, index) pairs, O(n log n), then one linear pass. At
// 1,000,000 customers this is tens of milliseconds (value_class_bench). Memory: 16
// bytes per customer for the sort plus the output.
// Thread-safety: pure function.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_VALUE_CLASS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_VALUE_CLASS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "services/loyalty/domain/loyalty_rules.h"

namespace revisit::loyalty {

// The class of one customer and why.
struct ClassAssignment {
  v1::ValueClass value_class = v1::VALUE_CLASS_C;
  // 1-based rank by spend (ties share the rank of their group's first member).
  int64_t rank = 0;
  // Share of total spend made by customers ranked above this one's group, in
  // basis points (1/100 of a percent).
  int64_t share_before_bp = 0;
};

// Classifies customers by `spend_minor` (index i is customer i). Negative spend
// counts as zero.
std::vector<ClassAssignment> ClassifyAbc(const std::vector<int64_t>& spend_minor,
                                         const LoyaltyRules& rules);

// "rank 3 of 1000: customers above make 41.20% of spend; A is the top 70% (L1)".
std::string ClassReason(const ClassAssignment& a, int64_t customers, const LoyaltyRules& rules);

// "A", "B", "C".
std::string ClassLetter(v1::ValueClass c);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_VALUE_CLASS_H_
