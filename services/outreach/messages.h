// Personal messages (R10): every touch names what the customer bought (or the
// complaint, tier or voucher it is about). Messages never contain contact details
// or the customer's name: they travel on topics (TouchSent). The channel adapter
// adds the greeting from contact details fetched at send time.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_MESSAGES_H_
#define REVISIT_SERVICES_OUTREACH_MESSAGES_H_

#include <string>
#include <vector>

#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

// The facts a message may mention.
struct MessageFacts {
  std::vector<std::string> products;  // product names as sold (R10)
  std::string category;               // for care tips (R2)
  std::string order_id;
  std::string complaint_id;
  std::string tier;                    // tier welcome: the new tier
  std::vector<std::string> benefits;   // tier welcome (L3)
  std::string voucher;                 // win-back: "CNY 20.00 voucher vch-..." (R7)
  std::string extra;                   // announcement or manual text
};

// The message for `trigger` built from `facts`.
std::string ComposeMessage(revisit::outreach::v1::Trigger trigger, const MessageFacts& facts);

// "A", "A and B", "A, B and 2 more".
std::string ProductPhrase(const std::vector<std::string>& products);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_MESSAGES_H_
