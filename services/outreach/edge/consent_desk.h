// ConsentDesk: the consent RPCs of the outreach API (R6). Outreach owns consent
// (domain/consent.h says why): Set changes it with a history entry and a
// consent_changed event in one commit (store/consent_record.h); History reads the
// history back, oldest first, with the consent in force.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field and rule; NOT_FOUND for a customer
// outreach has no record of; Redis errors.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_CONSENT_DESK_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_CONSENT_DESK_H_

#include "common/clock.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

class ConsentDesk {
 public:
  ConsentDesk(const OutreachConfig& config, OutreachStore& store, const Clock& clock);

  absl::Status Set(const v1::SetConsentRequest& req, v1::SetConsentResponse* resp);
  absl::Status History(const v1::ListConsentHistoryRequest& req,
                       v1::ListConsentHistoryResponse* resp);

 private:
  const OutreachConfig& config_;
  OutreachStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_CONSENT_DESK_H_
