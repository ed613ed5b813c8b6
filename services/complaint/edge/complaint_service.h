// ComplaintServiceImpl: the gRPC surface of the complaint service (proto
// revisit.complaint.v1.ComplaintService) and the entry points of its timers and
// consumer. It delegates each concern to one class (one .h/.cc pair each, edge/):
//   ComplaintCommands   read-decide-commit of one complaint under a request_id;
//   ComplaintExecution  ResolveComplaint and remedy execution with retries (C9);
//   ComplaintTimers     SLA deadlines (C1, C7), follow-up silence (C10), exec retries;
//   ComplaintConsumer   consumed order/outreach/loyalty events (O8, C10, C16);
//   ComplaintQueries    the read RPCs.
// The workflow RPCs themselves (complaint_service.cc) validate the request, pick the
// pure decider (domain/decide.h) and what it needs to read, and run it through
// ComplaintCommands: a repeat of a request_id returns the first answer and changes
// nothing; every change commits the complaint, its indexes, its events (outbox) and
// its timers in one WriteBatch.
// Thread-safety: thread-safe; gRPC, the timer scheduler and the consumer call
// concurrently.
// Errors: INVALID_ARGUMENT naming the field and the rule, NOT_FOUND, FAILED_PRECONDITION
// for a step the workflow does not allow now, PERMISSION_DENIED beyond authority (C8).
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_

#include <string>

#include "common/callback_handlers.h"
#include "common/clock.h"
#include "common/event_envelope.h"
#include "common/redis_client.h"
#include "common/timer_queue.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/edge/complaint_commands.h"
#include "services/complaint/edge/complaint_consumer.h"
#include "services/complaint/edge/complaint_execution.h"
#include "services/complaint/edge/complaint_queries.h"
#include "services/complaint/edge/complaint_timers.h"
#include "services/complaint/edge/remedy_executor.h"
#include "services/complaint/store/complaint_store.h"
#include "services/complaint/store/queue_store.h"

namespace revisit::complaint {

class ComplaintServiceImpl final : public v1::ComplaintService::CallbackService, public CallbackHandlers {
 public:
  // `executor` carries out remedies (GrpcRemedyExecutor in production); not owned.
  ComplaintServiceImpl(const ComplaintConfig& config, RedisClient& redis, const Clock& clock,
                       RemedyExecutor& executor);

#define REVISIT_COMPLAINT_RPC(Name) REVISIT_UNARY_RPC(Name, v1::Name##Request, v1::Name##Response)
  REVISIT_COMPLAINT_RPC(OpenComplaint)
  REVISIT_COMPLAINT_RPC(AcknowledgeComplaint)
  REVISIT_COMPLAINT_RPC(StartInvestigation)
  REVISIT_COMPLAINT_RPC(DetermineCause)
  REVISIT_COMPLAINT_RPC(ProposeRemedies)
  REVISIT_COMPLAINT_RPC(ApproveRemedy)
  REVISIT_COMPLAINT_RPC(AcceptRemedy)
  REVISIT_COMPLAINT_RPC(ResolveComplaint)
  REVISIT_COMPLAINT_RPC(RecordFollowUp)
  REVISIT_COMPLAINT_RPC(CloseComplaint)
  REVISIT_COMPLAINT_RPC(RejectComplaint)
  REVISIT_COMPLAINT_RPC(EscalateComplaint)
  REVISIT_COMPLAINT_RPC(RecordPlatformRuling)
  REVISIT_COMPLAINT_RPC(ReopenComplaint)
  REVISIT_COMPLAINT_RPC(PromiseUpdate)
  REVISIT_COMPLAINT_RPC(PostUpdate)
  REVISIT_COMPLAINT_RPC(GetComplaint)
  REVISIT_COMPLAINT_RPC(ListComplaints)
  REVISIT_COMPLAINT_RPC(CheckEligibility)
  REVISIT_COMPLAINT_RPC(ReportCauses)
  REVISIT_COMPLAINT_RPC(AssignComplaint)
  REVISIT_COMPLAINT_RPC(TakeComplaint)
  REVISIT_COMPLAINT_RPC(ListQueue)
  REVISIT_COMPLAINT_RPC(RecordFulfilment)
#undef REVISIT_COMPLAINT_RPC

  // Fires "<id>|<deadline>" (SLA breach) and "<id>|exec" (execution retry) timers.
  absl::Status HandleTimer(const DueTimer& timer);
  // Consumes one event of revisit.order.v1, revisit.outreach.v1 or revisit.loyalty.v1.
  absl::Status HandleEvent(const EventEnvelope& event);

 private:
  const ComplaintConfig& config_;
  ComplaintStore store_;
  QueueStore queues_;
  const Clock& clock_;
  ComplaintCommands commands_;
  ComplaintExecution execution_;
  ComplaintTimers timers_;
  ComplaintConsumer consumer_;
  ComplaintQueries queries_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_
