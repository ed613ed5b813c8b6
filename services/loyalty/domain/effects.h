// Effects: what a pure loyalty decision wants done, for the store to commit in one
// WriteBatch (ledger lines, events for the outbox, a referral reward that belongs to
// another customer's shard). Decisions append; nothing here does I/O.
// Thread-safety: a value; use one per decision.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_EFFECTS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_EFFECTS_H_

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/proto_time.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/loyalty/v1/loyalty.pb.h"

namespace revisit::loyalty {

namespace v1 = ::revisit::loyalty::v1;

// One event to publish: name as in events.proto ("points_earned"), and its payload.
struct OutEvent {
  std::string name;
  std::shared_ptr<const google::protobuf::Message> payload;
};

// A reward owed to the referrer (L6), applied in the referrer's own shard.
struct ReferralReward {
  std::string referrer_id;
  std::string referred_id;
  std::string order_id;
  int64_t points = 0;
};

struct Effects {
  std::vector<v1::LedgerEntry> entries;
  std::vector<OutEvent> events;
  std::optional<ReferralReward> referral;

  template <typename M>
  void Emit(std::string name, M payload) {
    events.push_back({std::move(name), std::make_shared<M>(std::move(payload))});
  }
  bool empty() const { return entries.empty() && events.empty() && !referral; }
  // Names of the events, in order (tests).
  std::vector<std::string> EventNames() const;
};

// Unix milliseconds <-> absl::Time (0 means unset in the stored state).
inline int64_t ToMs(absl::Time t) { return absl::ToUnixMillis(t); }
inline absl::Time FromMs(int64_t ms) { return absl::FromUnixMillis(ms); }

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_EFFECTS_H_
