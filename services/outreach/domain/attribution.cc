#include "services/outreach/domain/attribution.h"

#include <algorithm>

namespace revisit::outreach {

std::optional<size_t> AttributeRevisit(const std::vector<TouchMark>& marks,
                                       absl::Time ordered_at, absl::Duration window) {
  std::optional<size_t> best;
  for (size_t i = 0; i < marks.size(); ++i) {
    const TouchMark& m = marks[i];
    if (m.transactional || m.at > ordered_at || ordered_at - m.at > window) continue;
    if (!best || m.at > marks[*best].at ||
        (m.at == marks[*best].at && m.touch_id > marks[*best].touch_id))
      best = i;
  }
  // Only the latest touch is credited; if it was credited already, no one is (R12).
  if (best && marks[*best].attributed) return std::nullopt;
  return best;
}

void PruneMarks(std::vector<TouchMark>& marks, absl::Time now, absl::Duration window,
                size_t max_marks) {
  marks.erase(std::remove_if(marks.begin(), marks.end(),
                             [&](const TouchMark& m) { return now - m.at > window; }),
              marks.end());
  std::sort(marks.begin(), marks.end(),
            [](const TouchMark& a, const TouchMark& b) { return a.at < b.at; });
  if (marks.size() > max_marks) marks.erase(marks.begin(), marks.end() - max_marks);
}

}  // namespace revisit::outreach
