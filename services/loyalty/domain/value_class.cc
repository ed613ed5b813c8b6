#include "services/loyalty/domain/value_class.h"

#include <algorithm>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace revisit::loyalty {

std::vector<ClassAssignment> ClassifyAbc(const std::vector<int64_t>& spend_minor,
                                         const LoyaltyRules& rules) {
  const size_t n = spend_minor.size();
  std::vector<ClassAssignment> out(n);
  // Sort key: descending spend, then ascending index (deterministic).
  std::vector<std::pair<int64_t, uint32_t>> order;
  order.reserve(n);
  absl::int128 total = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t s = std::max<int64_t>(0, spend_minor[i]);
    total += s;
    order.emplace_back(-s, static_cast<uint32_t>(i));
  }
  std::sort(order.begin(), order.end());
  const absl::int128 a_limit = total * rules.a_share_pct;                       // x100
  const absl::int128 b_limit = total * (rules.a_share_pct + rules.b_share_pct);  // x100
  absl::int128 before = 0;
  size_t i = 0;
  while (i < n) {
    const int64_t s = -order[i].first;
    v1::ValueClass cls = v1::VALUE_CLASS_C;
    if (s > 0) {
      absl::int128 before100 = before * 100;
      cls = before100 < a_limit ? v1::VALUE_CLASS_A
            : before100 < b_limit ? v1::VALUE_CLASS_B
                                  : v1::VALUE_CLASS_C;
    }
    const int64_t share_bp =
        total == 0 ? 0 : static_cast<int64_t>(before * 10000 / total);
    const int64_t rank = static_cast<int64_t>(i) + 1;
    size_t j = i;
    for (; j < n && order[j].first == order[i].first; ++j) {
      ClassAssignment& a = out[order[j].second];
      a.value_class = cls;
      a.rank = rank;
      a.share_before_bp = share_bp;
      before += s;
    }
    i = j;
  }
  return out;
}

std::string ClassLetter(v1::ValueClass c) {
  switch (c) {
    case v1::VALUE_CLASS_A: return "A";
    case v1::VALUE_CLASS_B: return "B";
    case v1::VALUE_CLASS_C: return "C";
    default: return "?";
  }
}

std::string ClassReason(const ClassAssignment& a, int64_t customers, const LoyaltyRules& rules) {
  return absl::StrFormat(
      "class %s: rank %d of %d; customers ranked above make %d.%02d%% of spend; A is the top "
      "%d%%, B the next %d%% (L1)",
      ClassLetter(a.value_class), a.rank, customers, a.share_before_bp / 100,
      a.share_before_bp % 100, rules.a_share_pct, rules.b_share_pct);
}

}  // namespace revisit::loyalty
