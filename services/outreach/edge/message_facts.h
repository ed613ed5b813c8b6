// The customer's side of a message (R10): locale, time zone and what they bought
// before, from outreach's record; and a touch kind's message from the configured
// templates (OutreachConfig::messages).
// Thread-safety: pure functions over values.
#ifndef REVISIT_SERVICES_OUTREACH_EDGE_MESSAGE_FACTS_H_
#define REVISIT_SERVICES_OUTREACH_EDGE_MESSAGE_FACTS_H_

#include <string>

#include "services/outreach/domain/messages.h"
#include "services/outreach/outreach_config.h"
#include "services/outreach/store/outreach_state.pb.h"

namespace revisit::outreach {

// Locale, zone, and the latest products as both products and previous_products.
MessageFacts FactsFor(const OutreachConfig& config, const store::CustomerState& c);

// The message of `trigger`'s kind (its rule name), or of `kind` when given.
std::string Compose(const OutreachConfig& config, Trigger trigger, const MessageFacts& facts,
                    const std::string& kind = "");

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_EDGE_MESSAGE_FACTS_H_
