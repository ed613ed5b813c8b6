#include "tests/chaos/stack_invariants.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/event_type.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"

namespace revisit::e2e {

using testing::kAllServices;
using testing::Stack;
using testing::Svc;
using testing::SvcName;

namespace {

using testing::AtMostOncePer;
using testing::InvariantChecker;
using testing::InvariantCheckerOptions;

template <typename M>
std::optional<M> Payload(const EventEnvelope& e) {
  M m;
  if (!m.ParseFromString(e.payload)) return std::nullopt;
  return m;
}

// The ledger entry's source (L4: each source changes the ledger once).
template <typename M>
std::optional<std::string> LedgerSource(const EventEnvelope& e) {
  auto m = Payload<M>(e);
  if (!m) return "unparsable " + e.id;
  return absl::StrCat(static_cast<int>(m->entry().kind()), ":", m->entry().source_id());
}

}  // namespace

// The effects each request may have at most once, read from the events.
void AddStackEffectChecks(InvariantChecker& checker) {
  checker.AddEffectCheck(
      "refunds", AtMostOncePer("refund of order", "revisit.order.refunded.v1",
                               [](const EventEnvelope& e) -> std::optional<std::string> {
                                 auto m = Payload<order::v1::OrderRefunded>(e);
                                 if (!m) return "unparsable " + e.id;
                                 return m->order().order_id();  // one refund per story order
                               }));
  checker.AddEffectCheck("ledger", AtMostOncePer("points earned from source",
                                                 "revisit.loyalty.points_earned.v1",
                                                 LedgerSource<loyalty::v1::PointsEarned>));
  checker.AddEffectCheck("ledger", AtMostOncePer("points reversed from source",
                                                 "revisit.loyalty.points_reversed.v1",
                                                 LedgerSource<loyalty::v1::PointsReversed>));
  checker.AddEffectCheck(
      "touches", AtMostOncePer("touch sent", "revisit.outreach.touch_sent.v1",
                               [](const EventEnvelope& e) -> std::optional<std::string> {
                                 auto m = Payload<outreach::v1::TouchSent>(e);
                                 if (!m) return "unparsable " + e.id;
                                 return m->touch().touch_id();
                               }));
  checker.AddEffectCheck(
      "complaints", AtMostOncePer("complaint opened from touch", "revisit.complaint.opened.v1",
                                  [](const EventEnvelope& e) -> std::optional<std::string> {
                                    auto m = Payload<complaint::v1::ComplaintOpened>(e);
                                    if (!m) return "unparsable " + e.id;
                                    if (m->source_touch_id().empty()) return std::nullopt;
                                    return m->source_touch_id();
                                  }));
}

InvariantCheckerOptions StackCheckerOptions(Stack& s, RedisClient& redis) {
  InvariantCheckerOptions o;
  o.bootstrap = s.Bootstrap();
  for (Svc svc : kAllServices) {
    o.topics.push_back(EventTopic(SvcName(svc)));
    o.services.push_back(SvcName(svc));
  }
  o.redis = [&redis](const std::vector<std::string>& argv) { return redis.Command(argv); };
  // The consumer groups (group = service) and what each consumes (services/*/main.cc).
  o.consumer_groups = {
      {"complaint", {EventTopic("order"), EventTopic("outreach"), EventTopic("loyalty")}},
      {"loyalty", {EventTopic("order"), EventTopic("complaint")}},
      {"outreach", {EventTopic("order"), EventTopic("complaint"), EventTopic("loyalty")}},
  };
  return o;
}

}  // namespace revisit::e2e
