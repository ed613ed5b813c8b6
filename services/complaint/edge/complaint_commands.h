// ComplaintCommands: runs one command on one existing complaint, the way every
// mutating RPC does: request_id checked, the complaint read, the pure decider run
// (domain/decide.h), the complaint, its indexes, events (outbox) and timers committed
// in one WriteBatch under the request_id, so a repeat returns the first answer and
// changes nothing (common/idempotent.h).
// Thread-safety: thread-safe (no state of its own; the store and Redis are).
// Errors: INVALID_ARGUMENT for a bad request_id, NOT_FOUND for a complaint ID this
// service never issued or does not have, the decider's status, ABORTED when a
// concurrent change won the version guard.
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_COMMANDS_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_COMMANDS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/domain/decide.h"
#include "services/complaint/store/complaint_store.h"

namespace revisit::complaint {

class ComplaintCommands {
 public:
  using Decider = std::function<absl::StatusOr<Effects>(const StoredComplaint&)>;

  // Not owned; all must outlive this.
  ComplaintCommands(const ComplaintConfig& config, ComplaintStore& store, const Clock& clock);

  // Read-decide-commit of complaint `complaint_id` under `method`'s `request_id`;
  // `response`'s `complaint` field gets the complaint after the decision.
  absl::Status Mutate(const std::string& method, const google::protobuf::Message& request,
                      const std::string& request_id, const std::string& complaint_id,
                      google::protobuf::Message* response, const Decider& decide);

 private:
  const ComplaintConfig& config_;
  ComplaintStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_COMMANDS_H_
