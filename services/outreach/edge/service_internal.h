// Internal to outreach_service*.cc: a TouchTxn under the one idempotency runner
// (common/idempotent.h).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_SERVICE_INTERNAL_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_SERVICE_INTERNAL_H_

#include "common/entity.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/outreach/edge/outreach_service.h"

namespace revisit::outreach {

template <typename Response>
absl::Status OutreachServiceImpl::Idempotent(const google::protobuf::Message& request,
                                             const std::string& customer_id,
                                             const std::string& method,
                                             const std::string& request_id, Response* resp,
                                             const TxnFn<Response>& fn) {
  return RunIdempotent<Response>(
      store_.redis(), RequestKey(ShardOf(customer_id), method, request_id),
      config_.idempotency_ttl, request, resp, [&](WriteBatch& batch, Response* r) -> absl::Status {
        TouchTxn txn(store_, config_, customer_id, clock_.Now());
        RETURN_IF_ERROR(txn.Load());
        RETURN_IF_ERROR(fn(txn, r));
        batch = txn.Finish();
        return absl::OkStatus();
      });
}

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_SERVICE_INTERNAL_H_
