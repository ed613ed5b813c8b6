// ComplaintExecution: ResolveComplaint and the execution of an accepted remedy (C9).
// Resolve moves the complaint to EXECUTING in one commit (with its durable retry
// timer), then Execute plans the calls (domain/execution_plan.h), has the
// RemedyExecutor carry them out with the idempotency key
// "<complaint_id>:<remedy_id>:exec", and records success (RESOLVED) or the error
// (stays EXECUTING, retry timer due REVISIT_COMPLAINT_EXECUTION_RETRY later; the
// scheduler's release keeps a re-scheduled timer). A repeat of ResolveComplaint and
// the retry timer drive an EXECUTING complaint again; a RESOLVED one never is.
// Thread-safety: thread-safe (gRPC and the timer scheduler call concurrently).
// Errors: request and decider statuses from Resolve; a failing callee is not an
// error of Execute (it is recorded on the complaint and retried).
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_EXECUTION_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_EXECUTION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/edge/complaint_commands.h"
#include "services/complaint/edge/remedy_executor.h"
#include "services/complaint/store/complaint_store.h"

namespace revisit::complaint {

class ComplaintExecution {
 public:
  // Not owned; all must outlive this.
  ComplaintExecution(const ComplaintConfig& config, ComplaintStore& store, ComplaintCommands& commands,
                     const Clock& clock, RemedyExecutor& executor);

  // ResolveComplaint (C9): step 1 under the request_id, step 2 (Execute) every time.
  absl::Status Resolve(const v1::ResolveComplaintRequest& req, v1::ResolveComplaintResponse* resp);

  // Executes an EXECUTING complaint once and records the outcome; returns the
  // complaint afterwards. `timer` is the retry timer being fired, if any.
  absl::StatusOr<v1::Complaint> Execute(const std::string& complaint_id, const std::string& timer);

 private:
  // Records `outcome` of the calls on the complaint (RESOLVED, or the error and retry).
  absl::StatusOr<v1::Complaint> Record(const std::string& complaint_id, int shard,
                                       const absl::Status& outcome, const std::string& timer);

  const ComplaintConfig& config_;
  ComplaintStore& store_;
  ComplaintCommands& commands_;
  const Clock& clock_;
  RemedyExecutor& executor_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_EXECUTION_H_
