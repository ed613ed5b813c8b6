// Deterministic identities: touch IDs (one touch per (customer, trigger, source), so
// a redelivered event never makes a second touch), follow-up sources (one per
// resolution of a complaint, C10/R8) and holdout membership (R12).
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_IDS_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_IDS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

// "tch-<shard 2 hex>-<16 hex>": the shard is the customer's (keys.h ShardOf), the hex
// a stable hash of (customer_id, trigger, source_id). Parse with ShardOfEntityId.
std::string TouchId(absl::string_view customer_id, revisit::outreach::v1::Trigger trigger,
                    absl::string_view source_id);

// The source of the C10/R8 follow-up touch for resolution `resolution` (1, 2, ... as in
// ComplaintResolved.resolution) of complaint `complaint_id`: the complaint ID for the
// first (0 or 1: touches made before resolutions were counted keep their ID), else
// "<complaint_id>/r<resolution>". So each resolution gets its own touch, and a
// redelivered or replayed resolved event maps to the same one. `reminder`: the one
// reminder after no answer (C10), "<that source>/reminder".
std::string FollowUpSource(absl::string_view complaint_id, int resolution, bool reminder = false);

// The inverse of FollowUpSource: the complaint ID, the resolution (>= 1), reminder or not.
struct FollowUpOf {
  std::string complaint_id;
  int resolution = 1;
  bool reminder = false;
};
FollowUpOf ParseFollowUpSource(absl::string_view source_id);

// The order a touch is about: its source for the order triggers (thanks, care tips,
// feedback request, shipment apology), else empty (greetings, check-ins, manual
// touches, ...). R11 carries it on the complaint a low rating opens.
std::string OrderIdOf(const revisit::outreach::v1::Touch& touch);

// True when the customer belongs to the holdout group of `campaign`: a stable hash
// of (campaign, customer) modulo 1000 below `permille` (R12). Independent per campaign.
bool InHoldout(absl::string_view customer_id, absl::string_view campaign, int permille);

// FNV-1a 64 of `data`.
uint64_t Fnv1a64(absl::string_view data);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TOUCH_IDS_H_
