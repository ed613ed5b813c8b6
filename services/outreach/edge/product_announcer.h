// ProductAnnouncer: AnnounceProduct of the outreach API (R4). One new-product touch
// per known customer, in tier waves: platinum first, then one wave per tier below
// (`wave_interval_seconds` apart; an unknown tier is regular). Each customer's touch
// commits on its own; the request is answered once (RunIdempotentOnce), and a repeat
// of a half-done announcement finds the touches already made (one per triple).
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field; Redis errors.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_PRODUCT_ANNOUNCER_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_PRODUCT_ANNOUNCER_H_

#include <string>

#include "common/clock.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

class ProductAnnouncer {
 public:
  ProductAnnouncer(const OutreachConfig& config, OutreachStore& store, const Clock& clock);

  absl::Status Announce(const v1::AnnounceProductRequest& req, v1::AnnounceProductResponse* resp);

 private:
  absl::Status ScheduleWaves(const v1::AnnounceProductRequest& req, const std::string& campaign,
                             v1::AnnounceProductResponse* resp);

  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_PRODUCT_ANNOUNCER_H_
