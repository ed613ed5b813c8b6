// Internal to outreach_service*.cc: the idempotent transaction runner.
#ifndef REVISIT_SERVICES_OUTREACH_SERVICE_INTERNAL_H_
#define REVISIT_SERVICES_OUTREACH_SERVICE_INTERNAL_H_

#include "common/entity.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/outreach/outreach_service.h"

namespace revisit::outreach {

template <typename Response>
absl::Status OutreachServiceImpl::Idempotent(const std::string& customer_id,
                                             const std::string& method,
                                             const std::string& request_id, Response* resp,
                                             const TxnFn<Response>& fn) {
  const std::string key = RequestKey(ShardOf(customer_id), method, request_id);
  ASSIGN_OR_RETURN(bool prior, ReadPriorResponse(store_.redis(), key, resp));
  if (prior) return absl::OkStatus();
  return MutateWithRetry([&]() -> absl::Status {
    resp->Clear();
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load());
    RETURN_IF_ERROR(fn(txn, resp));
    txn.batch().Dedupe(key, config_.idempotency_ttl, resp->SerializeAsString());
    ASSIGN_OR_RETURN(CommitResult r, txn.Commit());
    if (r.duplicate) return ParseStored(key, r.prior_response, resp);
    return absl::OkStatus();
  });
}

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_SERVICE_INTERNAL_H_
