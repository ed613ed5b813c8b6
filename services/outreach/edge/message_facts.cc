#include "services/outreach/edge/message_facts.h"

#include "services/outreach/edge/dispatcher.h"

namespace revisit::outreach {

MessageFacts FactsFor(const OutreachConfig& config, const store::CustomerState& c) {
  MessageFacts m;
  m.locale = c.locale();
  m.tz = ZoneOrDefault(c.time_zone(), config.default_time_zone);
  m.products.assign(c.last_products().begin(), c.last_products().end());
  m.previous_products = m.products;
  return m;
}

std::string Compose(const OutreachConfig& config, Trigger trigger, const MessageFacts& facts,
                    const std::string& kind) {
  return ComposeMessage(config.messages, kind.empty() ? config.rules.For(trigger).name : kind,
                        facts);
}

}  // namespace revisit::outreach
