// ComplaintExecution (complaint_execution.h): ResolveComplaint and remedy execution (C9).
#include "services/complaint/edge/complaint_execution.h"

#include "common/entity.h"
#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "common/timer_queue.h"
#include "services/complaint/domain/decide_internal.h"
#include "services/complaint/domain/execution_plan.h"

namespace revisit::complaint {

ComplaintExecution::ComplaintExecution(const ComplaintConfig& config, ComplaintStore& store,
                                       ComplaintCommands& commands, const Clock& clock,
                                       RemedyExecutor& executor)
    : config_(config), store_(store), commands_(commands), clock_(clock), executor_(executor) {}

absl::Status ComplaintExecution::Resolve(const v1::ResolveComplaintRequest& req,
                                         v1::ResolveComplaintResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(internal::ValidateActor(req.actor()));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(req.complaint_id(), "cmp", "complaint_id"));
  v1::ResolveComplaintResponse first;
  ASSIGN_OR_RETURN(bool repeat, ReadPriorResponse(store_.redis(),
                                                  RequestKey(shard, "ResolveComplaint", req.request_id()),
                                                  req, &first));
  if (!repeat) {
    // Step 1: ACCEPTED → EXECUTING (with its durable retry timer) in one commit.
    RETURN_IF_ERROR(commands_.Mutate("ResolveComplaint", req, req.request_id(), req.complaint_id(), &first,
                                     [&](const StoredComplaint& s) {
                                       return DecideResolve(s.complaint, req.actor(), config_.policies,
                                                            clock_.Now());
                                     }));
  }
  // Step 2: carry it out (also for a repeat: the callees deduplicate).
  ASSIGN_OR_RETURN(v1::Complaint after, Execute(req.complaint_id(), ""));
  *resp->mutable_complaint() = after;
  return absl::OkStatus();
}

absl::StatusOr<v1::Complaint> ComplaintExecution::Execute(const std::string& complaint_id,
                                                          const std::string& timer) {
  ASSIGN_OR_RETURN(StoredComplaint s, store_.Get(complaint_id));
  // A repair or gift is done by people: RecordFulfilment finishes it, no call (C9).
  if (s.complaint.state() != v1::COMPLAINT_STATE_EXECUTING || AwaitsFulfilment(s.complaint)) return s.complaint;
  absl::Status outcome = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Remedy remedy, AcceptedRemedy(s.complaint));
    ASSIGN_OR_RETURN(order::v1::OrderFacts order, store_.OrderOfComplaint(s.complaint));
    ASSIGN_OR_RETURN(ExecutionPlan plan, PlanExecution(s.complaint, remedy, order));
    return executor_.Execute(plan);
  }();
  if (!outcome.ok()) {
    LogWarn("remedy execution failed; will retry",
            {{"complaint_id", complaint_id}, {"error", outcome.ToString()}});
  }
  return Record(complaint_id, CustomerShard(s.complaint.customer_id()), outcome, timer);
}

absl::StatusOr<v1::Complaint> ComplaintExecution::Record(const std::string& complaint_id, int shard,
                                                         const absl::Status& outcome,
                                                         const std::string& timer) {
  v1::Complaint result;
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(StoredComplaint now_s, store_.Get(complaint_id));
    result = now_s.complaint;
    if (now_s.complaint.state() != v1::COMPLAINT_STATE_EXECUTING) return absl::OkStatus();
    const absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(Effects e, outcome.ok() ? DecideExecutionSucceeded(now_s.complaint, config_.policies, now)
                                             : DecideExecutionFailed(now_s.complaint, outcome.ToString(),
                                                                     config_.policies, now));
    WriteBatch batch;
    // Success completes the retry timer (MEMBER guard: one firing wins); a failure
    // re-schedules it (e.timers, C9), which the scheduler's release then keeps.
    if (!timer.empty() && outcome.ok()) CompleteTimer(batch, kService, shard, timer);
    store_.Stage(batch, now_s, e, now, timer);
    RETURN_IF_ERROR(batch.Commit(store_.redis()).status());
    result = e.complaint;
    return absl::OkStatus();
  });
  if (st.code() == absl::StatusCode::kNotFound && !timer.empty()) {
    ASSIGN_OR_RETURN(StoredComplaint again, store_.Get(complaint_id));  // resolved by another path
    return again.complaint;
  }
  RETURN_IF_ERROR(st);
  return result;
}

}  // namespace revisit::complaint
