// OutreachServiceImpl: RecordFeedback (R1, R11, C10) and AnnounceProduct (R4).
#include "absl/strings/str_cat.h"
#include "revisit/loyalty/v1/loyalty.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "services/outreach/edge/message_facts.h"
#include "services/outreach/edge/service_internal.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {

grpc::Status OutreachServiceImpl::RecordFeedback(grpc::ServerContext*,
                                                 const v1::RecordFeedbackRequest* req,
                                                 v1::RecordFeedbackResponse* resp) {
  return ToGrpcStatus(DoRecordFeedback(*req, resp));
}

absl::Status OutreachServiceImpl::DoRecordFeedback(const v1::RecordFeedbackRequest& req,
                                                   v1::RecordFeedbackResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateTouchId("touch_id", req.touch_id()));
  const int rating = req.feedback().rating();
  if (rating < 1 || rating > 5)
    return absl::InvalidArgumentError(absl::StrCat("feedback.rating: must be 1..5, got ", rating));
  RETURN_IF_ERROR(ValidateText("feedback.comment", req.feedback().comment(), 0, 2000));
  ASSIGN_OR_RETURN(auto touch, store_.GetTouch(req.touch_id(), "touch_id"));
  const std::string customer_id = touch.value.customer_id();
  const std::string key = RequestKey(ShardOf(customer_id), "RecordFeedback", req.request_id());
  ASSIGN_OR_RETURN(bool prior, ReadPriorResponse(store_.redis(), key, req, resp));
  if (prior) return absl::OkStatus();
  auto check = [&](const v1::Touch& t) -> absl::Status {
    if (t.state() != v1::TOUCH_STATE_SENT)
      return absl::FailedPreconditionError(
          absl::StrCat("touch ", t.touch_id(), " is ", v1::TouchState_Name(t.state()),
                       ": feedback can be recorded only for a sent touch"));
    if (t.has_feedback())
      return absl::FailedPreconditionError(
          absl::StrCat("touch ", t.touch_id(), " already has feedback (rating ",
                       t.feedback().rating(), "): it is recorded once"));
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(check(touch.value));
  const bool follow_up = touch.value.trigger() == v1::TRIGGER_COMPLAINT_FOLLOW_UP;
  std::string complaint_id;
  if (rating <= 2 && !follow_up) {
    // R11: a low rating is a complaint that was not filed. The request_id derived from
    // the touch makes the complaint service open it once, however often we retry.
    ASSIGN_OR_RETURN(complaint_id, complaints_.OpenFromRating(touch.value, req.feedback()));
  }
  return Idempotent<v1::RecordFeedbackResponse>(
      req, customer_id, "RecordFeedback", req.request_id(), resp,
      [&](TouchTxn& txn, v1::RecordFeedbackResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(req.touch_id()));
        if (t == nullptr) return absl::NotFoundError("touch_id: not found");
        RETURN_IF_ERROR(check(*t));
        v1::Feedback fb = req.feedback();
        *fb.mutable_recorded_at() = ToProto(txn.now());
        *t->mutable_feedback() = fb;
        if (!complaint_id.empty()) t->set_complaint_id(complaint_id);
        v1::FeedbackReceived ev;
        *ev.mutable_touch() = FactsOf(*t);
        *ev.mutable_feedback() = fb;
        ev.set_complaint_id(complaint_id);
        txn.Emit(t, "feedback_received", ev);
        if (follow_up) {
          // C10: the complaint service records the satisfaction and closes.
          v1::FollowUpRecorded fu;
          *fu.mutable_touch() = FactsOf(*t);
          const FollowUpOf of = ParseFollowUpSource(t->source_id());
          fu.set_complaint_id(of.complaint_id);
          fu.set_resolution(of.resolution);  // so a stale answer cannot decide a later one
          *fu.mutable_feedback() = fb;
          txn.Emit(t, "follow_up_recorded", fu);
        }
        txn.Count(t->campaign(), "feedback");
        *r->mutable_touch() = *t;
        return absl::OkStatus();
      });
}

grpc::Status OutreachServiceImpl::AnnounceProduct(grpc::ServerContext*,
                                                  const v1::AnnounceProductRequest* req,
                                                  v1::AnnounceProductResponse* resp) {
  return ToGrpcStatus(DoAnnounce(*req, resp));
}

absl::Status OutreachServiceImpl::DoAnnounce(const v1::AnnounceProductRequest& req,
                                             v1::AnnounceProductResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateId("sku", req.sku()));
  RETURN_IF_ERROR(ValidateText("name", req.name(), 1, 200));
  RETURN_IF_ERROR(ValidateText("category", req.category(), 0, 64));
  RETURN_IF_ERROR(ValidateText("message", req.message(), 1, 1000));
  RETURN_IF_ERROR(ValidateWaveInterval("wave_interval_seconds", req.wave_interval_seconds()));
  const std::string campaign = "new_product:" + req.sku();
  return RunIdempotentOnce<v1::AnnounceProductResponse>(
      store_.redis(), RequestKey(ShardOf(req.sku()), "AnnounceProduct", req.request_id()),
      config_.idempotency_ttl, req, resp, [&](v1::AnnounceProductResponse* r) {
        return ScheduleAnnouncement(req, campaign, r);
      });
}

// R4: one new-product touch per known customer, in tier waves.
absl::Status OutreachServiceImpl::ScheduleAnnouncement(const v1::AnnounceProductRequest& req,
                                                       const std::string& campaign,
                                                       v1::AnnounceProductResponse* resp) {
  const absl::Time now = clock_.Now();
  int64_t scheduled = 0;
  for (int shard = 0; shard < kShards; ++shard) {
    ASSIGN_OR_RETURN(auto customers, store_.CustomersOf(shard));
    for (const store::CustomerState& c : customers) {
      // R4: platinum (4) first, then one wave per tier below; unknown tier = regular.
      const int tier = std::max(c.tier(), static_cast<int>(loyalty::v1::TIER_REGULAR));
      const absl::Duration wave =
          absl::Seconds(req.wave_interval_seconds()) * (loyalty::v1::TIER_PLATINUM - tier);
      bool made = false;
      RETURN_IF_ERROR(MutateWithRetry([&]() -> absl::Status {
        TouchTxn txn(store_, config_, c.customer_id(), now);
        RETURN_IF_ERROR(txn.Load());
        MessageFacts m = FactsFor(config_, txn.customer());
        m.extra = absl::StrCat(req.name(), ". ", req.message());
        TouchSpec spec;
        spec.trigger = v1::TRIGGER_NEW_PRODUCT;
        spec.source_id = req.sku();
        spec.campaign = campaign;
        spec.due = now + wave;
        spec.message = Compose(config_, spec.trigger, m);
        ASSIGN_OR_RETURN(auto r, txn.Schedule(spec));
        made = r.second;
        return txn.Commit().status();
      }));
      scheduled += made;
    }
  }
  resp->set_campaign(campaign);
  resp->set_touches_scheduled(scheduled);
  return absl::OkStatus();
}

}  // namespace revisit::outreach
