// ComplaintServiceImpl: the gRPC surface of the complaint service (proto
// revisit.complaint.v1.ComplaintService), its durable timers and its event handler.
//
// Every mutating RPC validates its fields (INVALID_ARGUMENT naming field and rule),
// runs under its request_id (a repeat returns the first answer and changes
// nothing), decides with the pure deciders (decide.h) and commits the complaint,
// its indexes, its events (outbox) and its timers in one WriteBatch.
// ResolveComplaint is special (C9): it moves the complaint to EXECUTING in one
// commit, then calls the owning services with the idempotency key
// "<complaint_id>:<remedy_id>:exec", then records success (RESOLVED) or the error
// (stays EXECUTING, durable retry timer due after REVISIT_COMPLAINT_EXECUTION_RETRY).
// A repeat of ResolveComplaint, and the retry timer, drive an EXECUTING complaint
// again; a RESOLVED one is never executed again. When the retry timer's attempt
// fails too, the same commit re-schedules it REVISIT_COMPLAINT_EXECUTION_RETRY later
// (the scheduler's release keeps a re-scheduled timer, whatever its new score).
// HandleTimer fires SLA deadlines (C1, C7, C10) and execution retries; HandleEvent
// consumes order events (projection; extended-warranty promises, O8), outreach
// follow-ups (C10) and loyalty tier changes (C16), each exactly once per event ID (inbox).
// Thread-safety: thread-safe; gRPC, the timer scheduler and the consumer call
// concurrently.
#ifndef REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_
#define REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/event_dispatch.h"
#include "common/event_envelope.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "common/timer_queue.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_config.h"
#include "services/complaint/store/complaint_store.h"
#include "services/complaint/edge/remedy_executor.h"
#include "services/complaint/store/queue_store.h"

namespace revisit::complaint {

class ComplaintServiceImpl final : public v1::ComplaintService::Service {
 public:
  // `executor` carries out remedies (GrpcRemedyExecutor in production); not owned.
  ComplaintServiceImpl(const ComplaintConfig& config, RedisClient& redis, const Clock& clock,
                       RemedyExecutor& executor);

#define REVISIT_COMPLAINT_RPC(Name) \
  grpc::Status Name(grpc::ServerContext*, const v1::Name##Request*, v1::Name##Response*) override;
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
  // Executes an EXECUTING complaint once and records the outcome; returns the
  // complaint afterwards. `timer` is the retry timer being fired, if any.
  absl::StatusOr<v1::Complaint> Execute(const std::string& complaint_id, const std::string& timer);

 private:
  using Decider = std::function<absl::StatusOr<Effects>(const StoredComplaint&)>;
  // Read-decide-commit of one existing complaint under `method`'s request_id.
  absl::Status Mutate(const std::string& method, const google::protobuf::Message& request,
                      const std::string& request_id,
                      const std::string& complaint_id, google::protobuf::Message* response,
                      const Decider& decide);
  absl::StatusOr<order::v1::OrderFacts> OrderOf(const std::string& order_id);
  // The order of `c`, or an order with no lines (only the customer) when `c` has none.
  absl::StatusOr<order::v1::OrderFacts> OrderOfComplaint(const v1::Complaint& c);
  absl::Status FireDeadline(const std::string& complaint_id, const std::string& deadline,
                            const DueTimer& timer);
  absl::Status ApplyOrderFacts(const EventEnvelope& event, const order::v1::OrderFacts& facts);
  absl::Status ApplyFollowUp(const EventEnvelope& event, const outreach::v1::FollowUpRecorded& ev);
  absl::Status ApplyTier(const EventEnvelope& event, const loyalty::v1::TierChanged& ev);
  absl::Status ApplyPromise(const EventEnvelope& event, const order::v1::PromiseRecorded& ev);
  // The consumed event types and their handlers (complaint_consumer.cc).
  EventDispatch<absl::Status> Events();

  const ComplaintConfig& config_;
  ComplaintStore store_;
  QueueStore queues_;
  const Clock& clock_;
  RemedyExecutor& executor_;
  const EventDispatch<absl::Status> events_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_EDGE_COMPLAINT_SERVICE_H_
