// Configuration of the loyalty service: the common REVISIT_* variables plus every
// loyalty rule (REVISIT_LOYALTY_*), each with its DOMAIN.md default.
// Thread-safety: a plain value, read once in main().
#ifndef REVISIT_SERVICES_LOYALTY_LOYALTY_CONFIG_H_
#define REVISIT_SERVICES_LOYALTY_LOYALTY_CONFIG_H_

#include "absl/time/time.h"
#include "common/config.h"
#include "common/service_runtime.h"
#include "services/loyalty/domain/loyalty_rules.h"

namespace revisit::loyalty {

struct LoyaltyConfig {
  CommonConfig common;
  LoyaltyRules rules;
  // How long a request_id's first answer is kept.
  absl::Duration idempotency_ttl;
  // How long a consumed event ID is remembered (the inbox). Longer than the topic's
  // retention, so a replay from offset 0 is recognised; the domain is idempotent
  // (order completes once, refund_id once) beneath it as a second guard.
  absl::Duration inbox_ttl;
  // Value classes (L1) are recomputed this often.
  absl::Duration reclassify_interval;
  // Consume revisit.order.v1 and revisit.complaint.v1 (off for tools that only serve gRPC).
  bool consume = true;
  // Read the consumed topics from offset 0 on start (rebuild; the inbox makes it safe).
  bool replay = false;
  // Records per consumed batch (store/batch_apply.h): a customer's events of one batch
  // commit as one script, so larger batches mean fewer scripts per event.
  int max_batch = 4096;
};

// Declares and reads every variable; env.status() tells whether all were valid.
LoyaltyConfig LoadLoyaltyConfig(EnvConfig& env);

// Only the rules (REVISIT_LOYALTY_* variables), for tools and tests.
LoyaltyRules LoadLoyaltyRules(EnvConfig& env);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_LOYALTY_CONFIG_H_
