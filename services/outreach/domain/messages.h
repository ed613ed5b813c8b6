// Personal messages (R10) from the operator's templates (templates.h): every touch
// names what the customer bought (or the complaint, tier or voucher it is about), in
// the customer's locale (zh-CN by default). Messages never contain contact details or
// the customer's name: they travel on topics (TouchSent). The channel adapter adds
// the greeting from contact details fetched at send time.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_MESSAGES_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_MESSAGES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/outreach/v1/outreach.pb.h"
#include "services/outreach/domain/rules.h"
#include "services/outreach/domain/templates.h"

namespace revisit::outreach {

// The facts a message may mention.
struct MessageFacts {
  std::string locale;                 // the customer's; empty = zh-CN
  absl::TimeZone tz;                  // the customer's, for dates
  std::vector<std::string> products;  // product names as sold (R10)
  std::vector<std::string> previous_products;  // bought before (R10)
  std::string category;               // for care tips (R2)
  std::string order_id;
  int64_t amount_minor = 0;           // paid (O1)
  std::string currency;
  int64_t quantity = 0;               // items on the order (O1)
  std::string payment_method;         // PaymentMethod name without prefix, e.g. "ALIPAY"
  std::optional<absl::Time> ship_by;  // O3
  std::string complaint_id;
  std::string tier;                   // tier welcome: "GOLD"
  std::vector<std::string> benefits;  // tier welcome (L3)
  std::string voucher;                // "{voucher}": filled at send time (R3, R7)
  std::string holiday;                // R3
  int years = 0;                      // R3 anniversary: years since the origin
  bool first_purchase = false;        // R3 anniversary: of the first order, else registration
  int64_t points = 0;                 // L4 expiry warning: the points that expire
  std::optional<absl::Time> expires_at;  // ... and when (a day in the customer's zone)
  std::string extra;                  // announcement or manual text; complaint steps:
                                      // the apology (C3), update note (C7), refusal
                                      // reason (C8) or ruling (C12)
  // Complaint steps: the choices offered (C6, C15), the remedy ruled or carried out
  // (C12, C9), when a promised update is due (C7, shown in the customer's zone), a
  // repair's progress (C9) and whether the cause is "not as described" (C15).
  std::vector<revisit::complaint::v1::Remedy> choices;
  revisit::complaint::v1::Remedy remedy;
  std::optional<absl::Time> due_at;
  revisit::complaint::v1::FulfilmentStage stage =
      revisit::complaint::v1::FULFILMENT_STAGE_UNSPECIFIED;
  bool not_as_described = false;
};

// True for the complaint-step triggers (TRIGGER_COMPLAINT_ACKNOWLEDGED..REMEDY_DONE).
bool IsComplaintStep(revisit::outreach::v1::Trigger trigger);

// The template kind of a complaint step (C3, C7, C8, C6/C15, C12, C9): the rule's
// name, or a variant of it for the facts ("complaint_update_promised",
// "complaint_repair_received", "complaint_remedies_not_as_described",
// "complaint_remedy_done_refund", ...); "" for other triggers.
std::string ComplaintStepKind(revisit::outreach::v1::Trigger trigger, const MessageFacts& facts);

// The template kinds of the complaint steps (every ComplaintStepKind result).
std::vector<std::string> ComplaintStepKinds();

// True when a repair's progress `stage` is told to the customer (C9): ITEM_RECEIVED
// and REPAIRED; the last stages are told as done by the remedy-done step.
bool TellsFulfilmentStage(revisit::complaint::v1::FulfilmentStage stage);

// "CNY 20.00" from minor units.
std::string FormatMoney(int64_t minor, const std::string& currency);

// A remedy as the customer reads it in `locale` (zh-CN when unsupported): "a full
// refund" / "全额退款", "a refund of CNY 50.00" / "退款¥50.00", "200 points" /
// "200积分" ... (C6).
std::string RemedyPhrase(const revisit::complaint::v1::Remedy& remedy,
                         const std::string& locale = "en");

// The message of touch kind `kind` (a rule name, or "complaint_reminder").
std::string ComposeMessage(const MessageTemplates& templates, const std::string& kind,
                           const MessageFacts& facts);

// A complaint step's message: the template ComplaintStepKind names, filled with
// `facts` (an empty placeholder leaves no double space).
std::string ComposeComplaintStep(const MessageTemplates& templates,
                                 revisit::outreach::v1::Trigger trigger, const MessageFacts& facts);

// The touch kinds that need templates: every rule's name (a complaint step's as its
// variants, ComplaintStepKinds) and "complaint_reminder".
std::vector<std::string> MessageKinds(const RulesTable& rules);

// The compiled-in templates for `rules`' kinds (templates.h Default); empty templates
// when they do not parse (the unit tests prove they do).
MessageTemplates BuiltInTemplates(const RulesTable& rules);

// The placeholder values of `facts` in its locale (exposed for tests).
std::map<std::string, std::string> MessageValues(const MessageFacts& facts);

// "A", "A and B", "A, B and 2 more" (en); "A", "A和B", "A、B等4件商品" (zh-CN).
std::string ProductPhrase(const std::vector<std::string>& products,
                          const std::string& locale = "en");

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_MESSAGES_H_
