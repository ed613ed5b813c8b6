#include "services/outreach/domain/loyalty_touches.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/proto_time.h"

namespace revisit::outreach {

std::optional<PlannedTouch> PointsExpiringTouch(const revisit::loyalty::v1::PointsExpiring& event,
                                                absl::Time event_time, absl::Time now,
                                                MessageFacts base) {
  if (event.points() <= 0 || !event.has_expires_at()) return std::nullopt;
  const absl::Time expires = FromProto(event.expires_at());
  if (expires <= now) return std::nullopt;  // L4: too late to warn
  PlannedTouch t;
  t.trigger = revisit::outreach::v1::TRIGGER_POINTS_EXPIRING;
  t.source_id = absl::StrCat("points-expiring-", absl::ToUnixMillis(expires));
  t.due = event_time;
  t.facts = std::move(base);
  t.facts.points = event.points();
  t.facts.expires_at = expires;
  return t;
}

std::vector<std::string> ExpiryWarningsPostponedBy(const store::CustomerState& c,
                                                   absl::Time activity_at) {
  std::vector<std::string> ids;
  for (const store::PendingRef& ref : c.pending()) {
    if (ref.trigger() != revisit::outreach::v1::TRIGGER_POINTS_EXPIRING) continue;
    absl::string_view ms = ref.source_id();
    int64_t expires_ms = 0;
    if (!absl::ConsumePrefix(&ms, "points-expiring-") || !absl::SimpleAtoi(ms, &expires_ms))
      continue;  // not a warning this file planned: left alone
    if (absl::FromUnixMillis(expires_ms) > activity_at) ids.push_back(ref.touch_id());
  }
  return ids;
}

}  // namespace revisit::outreach
