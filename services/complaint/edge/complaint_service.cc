// ComplaintServiceImpl: the workflow RPCs (see complaint_service.h).
#include "services/complaint/edge/complaint_service.h"
#include "common/text.h"

#include "absl/strings/str_cat.h"
#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/complaint/domain/decide_internal.h"

namespace revisit::complaint {
namespace {

void SetComplaintField(google::protobuf::Message* response, const v1::Complaint& c) {
  const auto* field = response->GetDescriptor()->FindFieldByName("complaint");
  response->GetReflection()->MutableMessage(response, field)->CopyFrom(c);
}

}  // namespace

ComplaintServiceImpl::ComplaintServiceImpl(const ComplaintConfig& config, RedisClient& redis,
                                           const Clock& clock, RemedyExecutor& executor)
    : config_(config), store_(redis), queues_(redis), clock_(clock), executor_(executor),
      events_(Events()) {}

absl::StatusOr<order::v1::OrderFacts> ComplaintServiceImpl::OrderOf(const std::string& order_id) {
  RETURN_IF_ERROR(ValidateId("order_id", order_id));
  auto shard = ShardOfEntityId(order_id, "ord", "order_id");
  if (!shard.ok()) return absl::NotFoundError("order_id: order " + Excerpt(order_id) + " not found");
  ASSIGN_OR_RETURN(auto o, store_.GetOrder(*shard, order_id));
  if (!o.has_value()) {
    return absl::NotFoundError("order_id: order " + Excerpt(order_id) +
                               " not found (no order events received for it)");
  }
  return o->value;
}

absl::StatusOr<order::v1::OrderFacts> ComplaintServiceImpl::OrderOfComplaint(const v1::Complaint& c) {
  if (!c.order_id().empty()) return OrderOf(c.order_id());
  order::v1::OrderFacts none;
  none.set_customer_id(c.customer_id());
  return none;
}

absl::Status ComplaintServiceImpl::Mutate(const std::string& method,
                                          const google::protobuf::Message& request,
                                          const std::string& request_id,
                                          const std::string& complaint_id,
                                          google::protobuf::Message* response, const Decider& decide) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(complaint_id, "cmp", "complaint_id"));
  std::function<absl::Status(WriteBatch&, google::protobuf::Message*)> run =
      [&](WriteBatch& batch, google::protobuf::Message* resp) -> absl::Status {
    ASSIGN_OR_RETURN(StoredComplaint before, store_.Get(complaint_id));
    ASSIGN_OR_RETURN(Effects e, decide(before));
    store_.Stage(batch, before, e, clock_.Now());
    SetComplaintField(resp, e.complaint);
    return absl::OkStatus();
  };
  return RunIdempotent<google::protobuf::Message>(store_.redis(), RequestKey(shard, method, request_id),
                                                  config_.idempotency_ttl, request, response, run);
}

grpc::Status ComplaintServiceImpl::OpenComplaint(grpc::ServerContext*, const v1::OpenComplaintRequest* req,
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
      ASSIGN_OR_RETURN(order, OrderOf(req->order_id()));
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
#define REVISIT_SIMPLE_RPC(Name, Decide)                                                              \
  grpc::Status ComplaintServiceImpl::Name(grpc::ServerContext*, const v1::Name##Request* req,          \
                                          v1::Name##Response* resp) {                                  \
    return ToGrpcStatus(Mutate(#Name, *req, req->request_id(), req->complaint_id(), resp,             \
                               [&](const StoredComplaint& s) {                                         \
                                 return Decide(s.complaint, *req, config_.policies, clock_.Now());     \
                               }));                                                                    \
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

grpc::Status ComplaintServiceImpl::DetermineCause(grpc::ServerContext*, const v1::DetermineCauseRequest* req,
                                                  v1::DetermineCauseResponse* resp) {
  return ToGrpcStatus(Mutate("DetermineCause", *req, req->request_id(), req->complaint_id(), resp,
                             [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
                               // C11: the other complaints with this cause per SKU in the window.
                               const absl::Time now = clock_.Now();
                               ASSIGN_OR_RETURN(CauseCounts prior,
                                                store_.CountCause(req->cause(), now - config_.policies.causes.window,
                                                                  now, s.complaint.complaint_id()));
                               return DecideDetermineCause(s.complaint, *req, config_.policies, now, prior);
                             }));
}

grpc::Status ComplaintServiceImpl::ProposeRemedies(grpc::ServerContext*, const v1::ProposeRemediesRequest* req,
                                                   v1::ProposeRemediesResponse* resp) {
  return ToGrpcStatus(Mutate("ProposeRemedies", *req, req->request_id(), req->complaint_id(), resp,
                             [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
                               ASSIGN_OR_RETURN(auto order, OrderOfComplaint(s.complaint));
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

grpc::Status ComplaintServiceImpl::RecordPlatformRuling(grpc::ServerContext*,
                                                        const v1::RecordPlatformRulingRequest* req,
                                                        v1::RecordPlatformRulingResponse* resp) {
  absl::Status st = Mutate(
      "RecordPlatformRuling", *req, req->request_id(), req->complaint_id(), resp,
      [&](const StoredComplaint& s) -> absl::StatusOr<Effects> {
        // The platform's ruling is carried out (C12), but never beyond what was paid.
        if (req->remedy().kind() == v1::REMEDY_KIND_PARTIAL_REFUND && !s.complaint.order_id().empty()) {
          ASSIGN_OR_RETURN(auto order, OrderOf(s.complaint.order_id()));
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
  auto after = Execute(req->complaint_id(), "");
  if (after.ok()) *resp->mutable_complaint() = *after;
  return grpc::Status::OK;
}

}  // namespace revisit::complaint
