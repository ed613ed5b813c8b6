#include "services/outreach/edge/outreach_service.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/text.h"
#include "services/outreach/domain/lift.h"
#include "services/outreach/domain/request_checks.h"
#include "services/outreach/edge/touch_request.h"

namespace revisit::outreach {
namespace {

double Ratio(int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }

}  // namespace

OutreachServiceImpl::OutreachServiceImpl(const OutreachConfig& config, OutreachStore& store,
                                         const Clock& clock, ComplaintOpener& complaints)
    : config_(config),
      store_(store),
      clock_(clock),
      feedback_(config, store, clock, complaints),
      announcer_(config, store, clock),
      consent_(config, store, clock) {}

grpc::Status OutreachServiceImpl::ListTouches(grpc::ServerContextBase*,
                                              const v1::ListTouchesRequest* req,
                                              v1::ListTouchesResponse* resp) {
  absl::Status st = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    ASSIGN_OR_RETURN(TouchesPage page, ParseTouchesPage(req->page()));
    ASSIGN_OR_RETURN(bool known, store_.CustomerExists(req->customer_id()));
    if (!known) return UnknownCustomer("customer_id", req->customer_id());
    ASSIGN_OR_RETURN(auto touches, store_.TouchesOf(req->customer_id(), page.offset, page.size + 1));
    for (int i = 0; i < static_cast<int>(touches.size()) && i < page.size; ++i)
      *resp->add_touches() = touches[i];
    if (static_cast<int>(touches.size()) > page.size)
      resp->mutable_page()->set_next_page_token(std::to_string(page.offset + page.size));
    return absl::OkStatus();
  }();
  return ToGrpcStatus(st);
}

grpc::Status OutreachServiceImpl::GetTouch(grpc::ServerContextBase*, const v1::GetTouchRequest* req,
                                           v1::GetTouchResponse* resp) {
  if (auto st = ValidateTouchId("touch_id", req->touch_id()); !st.ok()) return ToGrpcStatus(st);
  auto t = store_.GetTouch(req->touch_id(), "touch_id");
  if (!t.ok()) return ToGrpcStatus(t.status());
  *resp->mutable_touch() = t->value;
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::CancelTouch(grpc::ServerContextBase*,
                                              const v1::CancelTouchRequest* req,
                                              v1::CancelTouchResponse* resp) {
  absl::Status st = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    RETURN_IF_ERROR(ValidateTouchId("touch_id", req->touch_id()));
    RETURN_IF_ERROR(ValidateText("reason", req->reason(), 1, 500));
    ASSIGN_OR_RETURN(auto touch, store_.GetTouch(req->touch_id(), "touch_id"));
    return RunTouchRequest<v1::CancelTouchResponse>(
        store_, config_, clock_, *req, touch.value.customer_id(), "CancelTouch", req->request_id(), resp,
        [&](TouchTxn& txn, v1::CancelTouchResponse* r) -> absl::Status {
          ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(req->touch_id()));
          if (t == nullptr) return absl::NotFoundError("touch_id: not found");
          // Only a pending touch (the transition table, domain/touch_state.h).
          RETURN_IF_ERROR(txn.Cancel(t, "cancelled: " + req->reason()));
          *r->mutable_touch() = *t;
          return absl::OkStatus();
        });
  }();
  return ToGrpcStatus(st);
}

grpc::Status OutreachServiceImpl::ScheduleTouch(grpc::ServerContextBase*,
                                                const v1::ScheduleTouchRequest* req,
                                                v1::ScheduleTouchResponse* resp) {
  absl::Status st = [&]() -> absl::Status {
    RETURN_IF_ERROR(ValidateRequestId(req->request_id()));
    RETURN_IF_ERROR(ValidateId("customer_id", req->customer_id()));
    RETURN_IF_ERROR(ValidateText("campaign", req->campaign(), 0, 64));
    RETURN_IF_ERROR(ValidateText("message", req->message(), 1, 1000));
    RETURN_IF_ERROR(ValidateChannel("channel", req->channel(), /*required=*/false));
    if (req->has_due_at()) RETURN_IF_ERROR(ValidateTimestamp("due_at", req->due_at()));
    return RunTouchRequest<v1::ScheduleTouchResponse>(
        store_, config_, clock_, *req, req->customer_id(), "ScheduleTouch", req->request_id(), resp,
        [&](TouchTxn& txn, v1::ScheduleTouchResponse* r) -> absl::Status {
          if (!txn.customer_known()) return UnknownCustomer("customer_id", req->customer_id());
          TouchSpec spec;
          spec.trigger = v1::TRIGGER_MANUAL;
          spec.source_id = "manual-" + req->request_id();
          spec.campaign = req->campaign().empty() ? "manual" : req->campaign();
          spec.channel = req->channel();
          spec.due = req->has_due_at() ? FromProto(req->due_at()) : txn.now();
          spec.message = req->message();
          ASSIGN_OR_RETURN(auto made, txn.Schedule(spec));
          *r->mutable_touch() = *made.first;
          return absl::OkStatus();
        });
  }();
  return ToGrpcStatus(st);
}

grpc::Status OutreachServiceImpl::GetCampaignStats(grpc::ServerContextBase*,
                                                   const v1::GetCampaignStatsRequest* req,
                                                   v1::GetCampaignStatsResponse* resp) {
  if (auto st = ValidateText("campaign", req->campaign(), 1, 128); !st.ok())
    return ToGrpcStatus(st);
  auto exists = store_.CampaignExists(req->campaign());
  if (!exists.ok()) return ToGrpcStatus(exists.status());
  if (!*exists)
    return ToGrpcStatus(absl::NotFoundError("campaign: " + Excerpt(req->campaign()) + " has no touches"));
  auto c = store_.CampaignCounters(req->campaign());
  if (!c.ok()) return ToGrpcStatus(c.status());
  auto& m = *c;
  v1::CampaignStats* s = resp->mutable_stats();
  s->set_campaign(req->campaign());
  s->set_scheduled(m["scheduled"]);
  s->set_sent(m["sent"]);
  s->set_deferred(m["deferred"]);
  s->set_suppressed(m["suppressed"]);
  s->set_feedback_received(m["feedback"]);
  s->set_feedback_rate(Ratio(m["feedback"], m["sent"]));
  s->set_treated_customers(m["treated"]);
  s->set_treated_revisits(m["treated_revisits"]);
  s->set_revisit_rate(Ratio(m["treated_revisits"], m["treated"]));
  s->set_holdout_customers(m["holdout"]);
  s->set_holdout_revisits(m["holdout_revisits"]);
  s->set_holdout_revisit_rate(Ratio(m["holdout_revisits"], m["holdout"]));
  const LiftEstimate lift = EstimateLift(m["treated"], m["treated_revisits"], m["holdout"],
                                         m["holdout_revisits"]);
  s->set_lift(lift.lift);
  s->set_lift_ci_low(lift.low);
  s->set_lift_ci_high(lift.high);
  s->set_revenue_minor(m["revenue_minor"]);
  s->set_holdout_revenue_minor(m["holdout_revenue_minor"]);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::RecordFeedback(grpc::ServerContextBase*,
                                                 const v1::RecordFeedbackRequest* req,
                                                 v1::RecordFeedbackResponse* resp) {
  return ToGrpcStatus(feedback_.Record(*req, resp));
}

absl::Status OutreachServiceImpl::DoRecordFeedback(const v1::RecordFeedbackRequest& req,
                                                   v1::RecordFeedbackResponse* resp) {
  return feedback_.Record(req, resp);
}

grpc::Status OutreachServiceImpl::AnnounceProduct(grpc::ServerContextBase*,
                                                  const v1::AnnounceProductRequest* req,
                                                  v1::AnnounceProductResponse* resp) {
  return ToGrpcStatus(announcer_.Announce(*req, resp));
}

absl::Status OutreachServiceImpl::DoAnnounce(const v1::AnnounceProductRequest& req,
                                             v1::AnnounceProductResponse* resp) {
  return announcer_.Announce(req, resp);
}

grpc::Status OutreachServiceImpl::SetConsent(grpc::ServerContextBase*,
                                             const v1::SetConsentRequest* req,
                                             v1::SetConsentResponse* resp) {
  return ToGrpcStatus(consent_.Set(*req, resp));
}

grpc::Status OutreachServiceImpl::ListConsentHistory(grpc::ServerContextBase*,
                                                     const v1::ListConsentHistoryRequest* req,
                                                     v1::ListConsentHistoryResponse* resp) {
  return ToGrpcStatus(consent_.History(*req, resp));
}

}  // namespace revisit::outreach
