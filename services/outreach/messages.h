// Personal messages (R10): every touch names what the customer bought (or the
// complaint, tier or voucher it is about). Messages never contain contact details
// or the customer's name: they travel on topics (TouchSent). The channel adapter
// adds the greeting from contact details fetched at send time.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_MESSAGES_H_
#define REVISIT_SERVICES_OUTREACH_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "revisit/complaint/v1/complaint.pb.h"
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
  std::string extra;                   // announcement or manual text; complaint steps:
                                       // the apology (C3), update note (C7), refusal
                                       // reason (C8) or ruling (C12)
  // Complaint steps: the choices offered (C6, RemedyPhrase each), the remedy ruled or
  // carried out (C12, C9), when a promised update is due ("Mon 2 Mar 18:00", C7),
  // and whether the cause is "not as described" (C15).
  std::vector<std::string> choices;
  std::string remedy;
  revisit::complaint::v1::RemedyKind remedy_kind = revisit::complaint::v1::REMEDY_KIND_UNSPECIFIED;
  std::string due;
  bool not_as_described = false;
};

// The message for `trigger` built from `facts`.
std::string ComposeMessage(revisit::outreach::v1::Trigger trigger, const MessageFacts& facts);

// "A", "A and B", "A, B and 2 more".
std::string ProductPhrase(const std::vector<std::string>& products);

// "CNY 20.00" from minor units.
std::string FormatMoney(int64_t minor, const std::string& currency);

// A repair's progress as the customer reads it (C9): "we have received your item for
// repair", "your item is repaired and goes back to you shortly"; "" for the last
// stages (RETURNED, SHIPPED: the remedy-done message says it) and unknown ones.
std::string FulfilmentStagePhrase(revisit::complaint::v1::FulfilmentStage stage);

// A remedy as the customer reads it: "a full refund", "a refund of CNY 50.00",
// "an exchange", "a repair", "a CNY 20.00 voucher", "200 points", "a gift",
// "our apology" (C6).
std::string RemedyPhrase(const revisit::complaint::v1::Remedy& remedy);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_MESSAGES_H_
