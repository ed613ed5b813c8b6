// Configuration of the complaint service: the common REVISIT_* variables plus the
// SLA targets (C1, C7, C16), the business-hours calendar, the 三包 policy (C13),
// authority limits (C8), execution (C9) and follow-up (C10) knobs.
// Thread-safety: a plain value, read once in main().
#ifndef REVISIT_SERVICES_COMPLAINT_COMPLAINT_CONFIG_H_
#define REVISIT_SERVICES_COMPLAINT_COMPLAINT_CONFIG_H_

#include <string>

#include "absl/time/time.h"
#include "common/config.h"
#include "common/grpc_client.h"
#include "common/service_runtime.h"
#include "services/complaint/domain/decide.h"

namespace revisit::complaint {

struct ComplaintConfig {
  CommonConfig common;
  Policies policies;
  absl::Duration idempotency_ttl;
  // Order service (refunds, replacements) and loyalty (vouchers, points), C9.
  std::string order_address;
  std::string loyalty_address;
  CallPolicy call_policy;
};

// Declares and reads every variable; env.status() tells whether all were valid.
ComplaintConfig LoadComplaintConfig(EnvConfig& env);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_COMPLAINT_CONFIG_H_
