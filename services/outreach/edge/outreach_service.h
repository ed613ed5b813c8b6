// OutreachServiceImpl: the gRPC API of proto/revisit/outreach/v1/outreach.proto.
//
// Reads: ListTouches (a customer's touches, past and scheduled, with the reasons of
// every step), GetTouch, GetCampaignStats (R12: sent, deferred, suppressed,
// feedback rate, revisit rate against the holdout group).
// Mutations (each idempotent on request_id: a repeat returns the first answer):
// CancelTouch, ScheduleTouch (a manual touch, still under the R6 measure),
// RecordFeedback (R11: a rating of 2 or less opens one complaint; a follow-up's
// feedback publishes FollowUpRecorded for the complaint service, C10), SetConsent
// (R6: outreach owns consent; a change by the customer, an agent or an unsubscribe
// link, global unsubscribe with all_channels, each recorded with who, when and
// source: ListConsentHistory), AnnounceProduct (R4: platinum first, then gold, silver, regular in waves).
// Every request is validated before anything is read or written (request_checks.h):
// INVALID_ARGUMENT naming the field and rule; a wrong state is FAILED_PRECONDITION
// naming the state and the action; unknown IDs are NOT_FOUND — a touch, a campaign,
// and a customer outreach has no record of (ListTouches, ScheduleTouch, SetConsent:
// outreach learns customers from revisit.order.v1, so a customer registered a moment
// ago may be NOT_FOUND until it is projected). A refusal writes nothing.
// Touch reads and CancelTouch/ScheduleTouch are here; RecordFeedback is FeedbackDesk's,
// AnnounceProduct ProductAnnouncer's, SetConsent/ListConsentHistory ConsentDesk's.
// Thread-safety: thread-safe (gRPC calls handlers concurrently).
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_OUTREACH_SERVICE_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_OUTREACH_SERVICE_H_

#include <functional>
#include <string>

#include "common/callback_handlers.h"
#include "common/clock.h"
#include "revisit/outreach/v1/outreach.grpc.pb.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"
#include "services/outreach/edge/consent_desk.h"
#include "services/outreach/edge/feedback_desk.h"
#include "services/outreach/edge/peers.h"
#include "services/outreach/edge/product_announcer.h"

namespace revisit::outreach {

class OutreachServiceImpl final : public v1::OutreachService::CallbackService, public CallbackHandlers {
 public:
  OutreachServiceImpl(const OutreachConfig& config, OutreachStore& store, const Clock& clock,
                      ComplaintOpener& complaints);

  REVISIT_UNARY_RPC(ListTouches, v1::ListTouchesRequest, v1::ListTouchesResponse)
  REVISIT_UNARY_RPC(GetTouch, v1::GetTouchRequest, v1::GetTouchResponse)
  REVISIT_UNARY_RPC(CancelTouch, v1::CancelTouchRequest, v1::CancelTouchResponse)
  REVISIT_UNARY_RPC(ScheduleTouch, v1::ScheduleTouchRequest, v1::ScheduleTouchResponse)
  REVISIT_UNARY_RPC(RecordFeedback, v1::RecordFeedbackRequest, v1::RecordFeedbackResponse)
  REVISIT_UNARY_RPC(SetConsent, v1::SetConsentRequest, v1::SetConsentResponse)
  REVISIT_UNARY_RPC(GetCampaignStats, v1::GetCampaignStatsRequest, v1::GetCampaignStatsResponse)
  REVISIT_UNARY_RPC(AnnounceProduct, v1::AnnounceProductRequest, v1::AnnounceProductResponse)
  // R6 consent (ConsentDesk; outreach owns consent, domain/consent.h).
  REVISIT_UNARY_RPC(ListConsentHistory, v1::ListConsentHistoryRequest, v1::ListConsentHistoryResponse)

  // The pieces, as absl::Status (also used by tests without gRPC).
  absl::Status DoRecordFeedback(const v1::RecordFeedbackRequest& req,
                                v1::RecordFeedbackResponse* resp);
  absl::Status DoAnnounce(const v1::AnnounceProductRequest& req,
                          v1::AnnounceProductResponse* resp);

 private:
  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
  FeedbackDesk feedback_;
  ProductAnnouncer announcer_;
  ConsentDesk consent_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_OUTREACH_SERVICE_H_
