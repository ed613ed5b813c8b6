// Consent with one owner (R6): outreach owns every customer's consent per channel.
//
// Why outreach: it is the service that must enforce consent at the moment a touch
// goes out, so the truth sits where the decision is made (no event lag between an
// opt-out and the next send); the unsubscribe link is in outreach's own messages;
// consent is not PII, so it needs no place in the order service's archive. The order
// service passes the consent given at registration once (customer_registered) and
// never changes it afterwards (UpdateCustomer refuses `consents`; customer_updated
// carries none). Every change is recorded (who, when, channel, source) and published
// (consent_changed).
//
// These are the pure deciders: validation of a change (who may make it from which
// source), the consent after it, and the history entry. No I/O.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_CONSENT_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_CONSENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "revisit/common/v1/types.pb.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

using Consents = google::protobuf::RepeatedPtrField<revisit::common::v1::ChannelConsent>;

// One requested change (SetConsentRequest without the request envelope).
struct ConsentRequest {
  std::string customer_id;
  revisit::common::v1::Channel channel = revisit::common::v1::CHANNEL_UNSPECIFIED;
  bool all_channels = false;  // global unsubscribe
  bool granted = false;
  revisit::outreach::v1::ConsentSource source = revisit::outreach::v1::CONSENT_SOURCE_UNSPECIFIED;
  revisit::common::v1::Actor actor;
  std::string cause_id;  // request_id
};

// INVALID_ARGUMENT naming the field and the rule: source one of CUSTOMER, AGENT,
// UNSUBSCRIBE_LINK; actor required; a customer's own change (CUSTOMER,
// UNSUBSCRIBE_LINK) by actor {customer_id, "customer"}; AGENT by an agent, supervisor
// or manager; all_channels only to refuse (granted false, channel unset); otherwise a
// known channel.
absl::Status ValidateConsentRequest(const ConsentRequest& req);

struct ConsentDecision {
  Consents consents;                                  // in force after the request
  std::optional<revisit::outreach::v1::ConsentChange> change;  // nullopt: nothing changed
};

// The consent after `req` (already validated) applied to `current` at `now`.
ConsentDecision DecideConsent(const Consents& current, const ConsentRequest& req, absl::Time now);

// The history entries of the consent given at registration (source REGISTRATION, actor
// the customer), one per channel listed; none when outreach already owns this
// customer's consent (`owned`): a registration event seen again (redelivery, replay
// after the inbox expired) never overwrites a later change.
std::vector<revisit::outreach::v1::ConsentChange> RegistrationConsent(
    bool owned, const std::string& customer_id, const Consents& given,
    const std::string& event_id, absl::Time at);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_CONSENT_H_
