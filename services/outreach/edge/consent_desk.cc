#include "services/outreach/edge/consent_desk.h"

#include "absl/strings/str_cat.h"
#include "services/outreach/domain/consent.h"
#include "services/outreach/domain/request_checks.h"
#include "services/outreach/edge/touch_request.h"
#include "services/outreach/store/consent_record.h"

namespace revisit::outreach {

ConsentDesk::ConsentDesk(const OutreachConfig& config, OutreachStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status ConsentDesk::Set(const v1::SetConsentRequest& req, v1::SetConsentResponse* resp) {
  ConsentRequest change;
  change.customer_id = req.customer_id();
  change.channel = req.channel();
  change.all_channels = req.all_channels();
  change.granted = req.granted();
  change.source = req.source();
  change.actor = req.actor();
  change.cause_id = req.request_id();
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  RETURN_IF_ERROR(ValidateConsentRequest(change));
  return RunTouchRequest<v1::SetConsentResponse>(
      store_, config_, clock_, req, req.customer_id(), "SetConsent", req.request_id(), resp,
      [&](TouchTxn& txn, v1::SetConsentResponse* r) -> absl::Status {
        if (!txn.customer_known()) return UnknownCustomer("customer_id", req.customer_id());
        ConsentDecision d = DecideConsent(txn.customer().consents(), change, txn.now());  // R6
        RecordConsent(txn, d.consents, d.change ? &*d.change : nullptr);
        *r->mutable_consents() = d.consents;
        return absl::OkStatus();
      });
}

absl::Status ConsentDesk::History(const v1::ListConsentHistoryRequest& req,
                                  v1::ListConsentHistoryResponse* resp) {
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  ASSIGN_OR_RETURN(TouchesPage page, ParseTouchesPage(req.page()));
  ASSIGN_OR_RETURN(auto customer, store_.GetCustomer(req.customer_id()));
  if (customer.version == 0) return UnknownCustomer("customer_id", req.customer_id());
  ASSIGN_OR_RETURN(auto changes,
                   store_.ConsentHistory(req.customer_id(), page.offset, page.size + 1));
  for (int i = 0; i < static_cast<int>(changes.size()) && i < page.size; ++i)
    *resp->add_changes() = changes[i];
  if (static_cast<int>(changes.size()) > page.size)
    resp->mutable_page()->set_next_page_token(std::to_string(page.offset + page.size));
  *resp->mutable_consents() = customer.value.consents();
  return absl::OkStatus();
}

}  // namespace revisit::outreach
