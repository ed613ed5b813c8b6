// RunTouchRequest: a mutating RPC of the outreach API as one TouchTxn for one
// customer under the one idempotency runner (common/idempotent.h): a repeat of
// (method, request_id) returns the first answer; a conflict is retried.
// Used by OutreachServiceImpl, FeedbackDesk and ConsentDesk.
// Thread-safety: thread-safe (a TouchTxn per attempt).
// Errors: `fn`'s refusal (nothing is written), Redis errors, the runner's
// INVALID_ARGUMENT for a request_id reused with another request.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_TOUCH_REQUEST_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_TOUCH_REQUEST_H_

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

template <typename Response>
using TouchRequestFn = std::function<absl::Status(TouchTxn&, Response*)>;

// Runs `fn` in a TouchTxn for `customer_id`, deduplicated on (method, request_id).
template <typename Response>
absl::Status RunTouchRequest(OutreachStore& store, const OutreachConfig& config,
                             const Clock& clock, const google::protobuf::Message& request,
                             const std::string& customer_id, const std::string& method,
                             const std::string& request_id, Response* resp,
                             const TouchRequestFn<Response>& fn) {
  return RunIdempotent<Response>(
      store.redis(), RequestKey(ShardOf(customer_id), method, request_id),
      config.idempotency_ttl, request, resp, [&](WriteBatch& batch, Response* r) -> absl::Status {
        TouchTxn txn(store, config, customer_id, clock.Now());
        RETURN_IF_ERROR(txn.Load());
        RETURN_IF_ERROR(fn(txn, r));
        batch = txn.Finish();
        return absl::OkStatus();
      });
}

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_TOUCH_REQUEST_H_
