#include "services/outreach/edge/product_announcer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/status.h"
#include "revisit/loyalty/v1/loyalty.pb.h"
#include "services/outreach/domain/request_checks.h"
#include "services/outreach/edge/message_facts.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

ProductAnnouncer::ProductAnnouncer(const OutreachConfig& config, OutreachStore& store,
                                   const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status ProductAnnouncer::Announce(const v1::AnnounceProductRequest& req,
                                        v1::AnnounceProductResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateId("sku", req.sku()));
  RETURN_IF_ERROR(ValidateText("name", req.name(), 1, 200));
  RETURN_IF_ERROR(ValidateText("category", req.category(), 0, 64));
  RETURN_IF_ERROR(ValidateText("message", req.message(), 1, 1000));
  RETURN_IF_ERROR(ValidateWaveInterval("wave_interval_seconds", req.wave_interval_seconds()));
  const std::string campaign = "new_product:" + req.sku();
  return RunIdempotentOnce<v1::AnnounceProductResponse>(
      store_.redis(), RequestKey(ShardOf(req.sku()), "AnnounceProduct", req.request_id()),
      config_.idempotency_ttl, req, resp, [&](v1::AnnounceProductResponse* r) {
        return ScheduleWaves(req, campaign, r);
      });
}

// R4: one new-product touch per known customer, in tier waves.
absl::Status ProductAnnouncer::ScheduleWaves(const v1::AnnounceProductRequest& req,
                                             const std::string& campaign,
                                             v1::AnnounceProductResponse* resp) {
  const absl::Time now = clock_.Now();
  int64_t scheduled = 0;
  for (int shard = 0; shard < kShards; ++shard) {
    ASSIGN_OR_RETURN(auto customers, store_.CustomersOf(shard));
    for (const store::CustomerState& c : customers) {
      // R4: platinum (4) first, then one wave per tier below; unknown tier = regular.
      const int tier = std::max(c.tier(), static_cast<int>(loyalty::v1::TIER_REGULAR));
      const absl::Duration wave =
          absl::Seconds(req.wave_interval_seconds()) * (loyalty::v1::TIER_PLATINUM - tier);
      bool made = false;
      RETURN_IF_ERROR(MutateWithRetry([&]() -> absl::Status {
        TouchTxn txn(store_, config_, c.customer_id(), now);
        RETURN_IF_ERROR(txn.Load());
        MessageFacts m = FactsFor(config_, txn.customer());
        m.extra = absl::StrCat(req.name(), ". ", req.message());
        TouchSpec spec;
        spec.trigger = v1::TRIGGER_NEW_PRODUCT;
        spec.source_id = req.sku();
        spec.campaign = campaign;
        spec.due = now + wave;
        spec.message = Compose(config_, spec.trigger, m);
        ASSIGN_OR_RETURN(auto r, txn.Schedule(spec));
        made = r.second;
        return txn.Commit().status();
      }));
      scheduled += made;
    }
  }
  resp->set_campaign(campaign);
  resp->set_touches_scheduled(scheduled);
  return absl::OkStatus();
}

}  // namespace revisit::outreach
