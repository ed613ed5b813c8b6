// ComplaintServiceImpl (see complaint_service.h): the workflow RPCs, and the read
// RPCs, timers and events handed to their classes.
#include "services/complaint/edge/complaint_service.h"

#include "absl/strings/str_cat.h"
#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/status.h"
#include "common/text.h"
#include "services/complaint/domain/decide.h"

namespace revisit::complaint {

ComplaintServiceImpl::ComplaintServiceImpl(const ComplaintConfig& config, RedisClient& redis,
                                           const Clock& clock, RemedyExecutor& executor)
    : config_(config), store_(redis), queues_(redis), clock_(clock), commands_(config, store_, clock),
      execution_(config, store_, commands_, clock, executor), timers_(config, store_, execution_, clock),
      consumer_(config, store_, clock), queries_(config, store_, queues_, clock) {}

absl::Status ComplaintServiceImpl::HandleTimer(const DueTimer& timer) { return timers_.HandleTimer(timer); }

absl::Status ComplaintServiceImpl::HandleEvent(const EventEnvelope& event) { return consumer_.HandleEvent(event); }

grpc::Status ComplaintServiceImpl::OpenComplaint(grpc::ServerContextBase*, const v1::OpenComplaintRequest* req,
                                                 v1::OpenComplaintResponse* resp) {
  if (auto st = ValidateRequestId(req->request_id()); !st.ok()) return ToGrpcStatus(st);
  if (auto st = ValidateId("customer_id", req->customer_id()); !st.ok()) {
    return ToGrpcStatus(st);
  }
  const int shard = CustomerShard(req->customer_id());
  const std::string id = NewEntityId("cmp", shard);
  std::function<absl::Status(WriteBatch&, v1::OpenComplaintResponse*)> run =
      [&](WriteBatch& batch, v1::OpenComplaintResponse* r) -> absl::Status {
    // Without an order (OrderOptional causes), DecideOpen checks nothing against one.
    order::v1::OrderFacts order;
    if (!req->order_id().empty()) {
      ASSIGN_OR_RETURN(order, store_.OrderOf(req->order_id()));
    }
    ASSIGN_OR_RETURN(loyalty::v1::Tier tier, store_.GetTier(shard, req->customer_id()));
    const absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(Effects e, DecideOpen(*req, id, order, tier, config_.policies, now));
    store_.Stage(batch, StoredComplaint{}, e, now);
    *r->mutable_complaint() = e.complaint;
    return absl::OkStatus();
  };
  return ToGrpcStatus(RunIdempotent<v1::OpenComplaintResponse>(
      store_.redis(), RequestKey(shard, "OpenComplaint", req->request_id()), config_.idempotency_ttl, *req, resp,
      run));
}

// The RPCs that are one decider on one complaint.
#define REVISIT_SIMPLE_RPC(Name, Decide)                                                         \
  grpc::Status ComplaintServiceImpl::Name(grpc::ServerContextBase*, const v1::Name##Request* req,     \
                                          v1::Name##Response* resp) {                             \
    return ToGrpcStatus(commands_.Mutate(#Name, *req, req->request_id(), req->complaint_id(), resp, \
                                         [&](const StoredComplaint& s) {                          \
                                           return Decide(s.complaint, *req, config_.policies,     \
                                                         clock_.Now());                           \
                                         }));                                                     \
  }
REVISIT_SIMPLE_RPC(AcknowledgeComplaint, DecideAcknowledge)
REVISIT_SIMPLE_RPC(StartInvestigation, DecideStartInvestigation)
REVISIT_SIMPLE_RPC(ApproveRemedy, DecideApproveRemedy)
REVISIT_SIMPLE_RPC(AcceptRemedy, DecideAcceptRemedy)
REVISIT_SIMPLE_RPC(RecordFollowUp, DecideRecordFollowUp)
REVISIT_SIMPLE_RPC(CloseComplaint, DecideClose)
REVISIT_SIMPLE_RPC(RejectComplaint, DecideReject)
REVISIT_SIMPLE_RPC(EscalateComplaint, DecideEscalate)
REVISIT_SIMPLE_RPC(ReopenComplaint, DecideReopen)
REVISIT_SIMPLE_RPC(PromiseUpdate, DecidePromiseUpdate)
REVISIT_SIMPLE_RPC(PostUpdate, DecidePostUpdate)
REVISIT_SIMPLE_RPC(AssignComplaint, DecideAssign)
REVISIT_SIMPLE_RPC(TakeComplaint, DecideTake)
REVISIT_SIMPLE_RPC(RecordFulfilment, DecideRecordFulfilment)
#undef REVISIT_SIMPLE_RPC

grpc::Status ComplaintServiceImpl::DetermineCause(grpc::ServerContextBase*, const v1::DetermineCauseRequest* req,
                                                  v1::DetermineCauseResponse* resp) {
  return ToGrpcStatus(commands_.Mutate("DetermineCause", *req, req->request_id(), req->complaint_id(), resp,
                             [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
                               // C11: the other complaints with this cause per SKU in the window.
                               const absl::Time now = clock_.Now();
                               ASSIGN_OR_RETURN(CauseCounts prior,
                                                store_.CountCause(req->cause(), now - config_.policies.causes.window,
                                                                  now, s.complaint.complaint_id()));
                               return DecideDetermineCause(s.complaint, *req, config_.policies, now, prior);
                             }));
}

grpc::Status ComplaintServiceImpl::ProposeRemedies(grpc::ServerContextBase*, const v1::ProposeRemediesRequest* req,
                                                   v1::ProposeRemediesResponse* resp) {
  return ToGrpcStatus(commands_.Mutate("ProposeRemedies", *req, req->request_id(), req->complaint_id(), resp,
                             [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
                               ASSIGN_OR_RETURN(auto order, store_.OrderOfComplaint(s.complaint));
                               int extra = 0;
                               if (!order.order_id().empty()) {
                                 ASSIGN_OR_RETURN(extra, store_.ExtraWarrantyDays(CustomerShard(order.customer_id()),
                                                                                  order.order_id()));
                               }
                               std::optional<v1::OrderTerms> terms;  // O8
                               if (!order.order_id().empty()) {
                                 ASSIGN_OR_RETURN(terms, store_.GetTerms(CustomerShard(order.customer_id()),
                                                                         order.order_id()));
                               }
                               return DecideProposeRemedies(s.complaint, *req, order, config_.policies,
                                                            clock_.Now(), extra, terms ? &*terms : nullptr);
                             }));
}

grpc::Status ComplaintServiceImpl::RecordPlatformRuling(grpc::ServerContextBase*,
                                                        const v1::RecordPlatformRulingRequest* req,
                                                        v1::RecordPlatformRulingResponse* resp) {
  absl::Status st = commands_.Mutate(
      "RecordPlatformRuling", *req, req->request_id(), req->complaint_id(), resp,
      [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
        // The platform's ruling is carried out (C12), but never beyond what was paid.
        if (req->remedy().kind() == v1::REMEDY_KIND_PARTIAL_REFUND && !s.complaint.order_id().empty()) {
          ASSIGN_OR_RETURN(auto order, store_.OrderOf(s.complaint.order_id()));
          if (req->remedy().amount().amount_minor() > Refundable(order)) {
            return absl::InvalidArgumentError(absl::StrCat(
                "remedy.amount: ", req->remedy().amount().amount_minor(),
                " exceeds what can be refunded on order ", order.order_id(), ": ", Refundable(order)));
          }
        }
        return DecideRecordRuling(s.complaint, *req, config_.policies, clock_.Now());
      });
  if (!st.ok() || resp->complaint().state() != v1::COMPLAINT_STATE_EXECUTING) return ToGrpcStatus(st);
  // C12: the ordered remedy is carried out now, like ResolveComplaint's step 2 (the
  // durable retry timer covers a crash or a failing callee; callees deduplicate).
  auto after = execution_.Execute(req->complaint_id(), "");
  if (after.ok()) *resp->mutable_complaint() = *after;
  return grpc::Status::OK;
}

grpc::Status ComplaintServiceImpl::ResolveComplaint(grpc::ServerContextBase*, const v1::ResolveComplaintRequest* req,
                                                    v1::ResolveComplaintResponse* resp) {
  return ToGrpcStatus(execution_.Resolve(*req, resp));
}

// The read RPCs (ComplaintQueries).
grpc::Status ComplaintServiceImpl::GetComplaint(grpc::ServerContextBase*, const v1::GetComplaintRequest* req,
                                                v1::GetComplaintResponse* resp) {
  return ToGrpcStatus(queries_.Get(*req, resp));
}

grpc::Status ComplaintServiceImpl::ListComplaints(grpc::ServerContextBase*, const v1::ListComplaintsRequest* req,
                                                  v1::ListComplaintsResponse* resp) {
  return ToGrpcStatus(queries_.List(*req, resp));
}

grpc::Status ComplaintServiceImpl::ListQueue(grpc::ServerContextBase*, const v1::ListQueueRequest* req,
                                             v1::ListQueueResponse* resp) {
  return ToGrpcStatus(queries_.ListQueue(*req, resp));
}

grpc::Status ComplaintServiceImpl::CheckEligibility(grpc::ServerContextBase*, const v1::CheckEligibilityRequest* req,
                                                    v1::CheckEligibilityResponse* resp) {
  return ToGrpcStatus(queries_.CheckEligibility(*req, resp));
}

grpc::Status ComplaintServiceImpl::ReportCauses(grpc::ServerContextBase*, const v1::ReportCausesRequest* req,
                                                v1::ReportCausesResponse* resp) {
  return ToGrpcStatus(queries_.ReportCauses(*req, resp));
}

}  // namespace revisit::complaint
