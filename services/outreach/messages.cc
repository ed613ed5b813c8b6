#include "services/outreach/messages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace revisit::outreach {

namespace pb = revisit::outreach::v1;
namespace cpb = revisit::complaint::v1;

std::string ProductPhrase(const std::vector<std::string>& products) {
  if (products.empty()) return "your order";
  if (products.size() == 1) return products[0];
  if (products.size() == 2) return absl::StrCat(products[0], " and ", products[1]);
  return absl::StrCat(products[0], ", ", products[1], " and ", products.size() - 2, " more");
}

std::string FormatMoney(int64_t minor, const std::string& currency) {
  return absl::StrFormat("%s %d.%02d", currency, minor / 100, minor % 100);
}

std::string RemedyPhrase(const cpb::Remedy& r) {
  const std::string money = FormatMoney(r.amount().amount_minor(), r.amount().currency());
  switch (r.kind()) {
    case cpb::REMEDY_KIND_FULL_REFUND: return "a full refund";
    case cpb::REMEDY_KIND_PARTIAL_REFUND: return absl::StrCat("a refund of ", money);
    case cpb::REMEDY_KIND_EXCHANGE: return "an exchange for a new one";
    case cpb::REMEDY_KIND_REPAIR: return "a free repair";
    case cpb::REMEDY_KIND_VOUCHER: return absl::StrCat("a ", money, " voucher");
    case cpb::REMEDY_KIND_POINTS: return absl::StrCat(r.points(), " points");
    case cpb::REMEDY_KIND_GIFT: return "a gift from us";
    case cpb::REMEDY_KIND_APOLOGY: return "our sincere apology";
    default: return "a remedy";
  }
}

std::string FulfilmentStagePhrase(cpb::FulfilmentStage stage) {
  switch (stage) {
    case cpb::FULFILMENT_STAGE_ITEM_RECEIVED: return "we have received your item for repair";
    case cpb::FULFILMENT_STAGE_REPAIRED: return "your item is repaired and goes back to you shortly";
    default: return "";
  }
}

namespace {

// `text` ending as a sentence: a full stop added unless it ends in . ! or ?.
std::string Sentence(const std::string& text) {
  if (!text.empty() && (text.back() == '.' || text.back() == '!' || text.back() == '?')) return text;
  return text + ".";
}

// C9: what "done" means for the remedy carried out.
std::string DoneText(const MessageFacts& f) {
  switch (f.remedy_kind) {
    case cpb::REMEDY_KIND_FULL_REFUND:
    case cpb::REMEDY_KIND_PARTIAL_REFUND:
      return absl::StrCat("your refund (", f.remedy, ") has been sent");
    case cpb::REMEDY_KIND_EXCHANGE: return "your replacement is ordered and ships at once";
    case cpb::REMEDY_KIND_REPAIR: return "your repaired item is on its way back to you";
    case cpb::REMEDY_KIND_VOUCHER: return absl::StrCat(f.remedy, " is now in your account");
    case cpb::REMEDY_KIND_POINTS: return absl::StrCat(f.remedy, " are now in your account");
    case cpb::REMEDY_KIND_GIFT: return "your gift is on its way";
    default: return absl::StrCat(f.remedy, " is done");
  }
}

// The complaint steps the customer hears (C3, C7, C8, C6/C15, C12, C9); empty for
// other triggers.
std::string ComplaintStepMessage(pb::Trigger trigger, const MessageFacts& f) {
  // A complaint without an order is about the service itself (R11).
  const std::string what = f.order_id.empty() ? "our service" : ProductPhrase(f.products);
  const std::string ref = absl::StrCat("complaint ", f.complaint_id);
  switch (trigger) {
    case pb::TRIGGER_COMPLAINT_ACKNOWLEDGED:
      return absl::StrCat("We have your ", ref, " about ", what, " and we are sorry",
                          f.extra.empty() ? "." : absl::StrCat(": ", Sentence(f.extra)),
                          " We are on it now and will keep you informed at every step.");
    case pb::TRIGGER_COMPLAINT_UPDATE:
      if (!f.due.empty())
        return absl::StrCat("About your ", ref, ": we will get back to you by ", f.due,
                            f.extra.empty() ? "." : absl::StrCat(" (", f.extra, ")."),
                            " You will hear from us then, whatever the progress.");
      return absl::StrCat("An update on your ", ref, " about ", what, ": ", Sentence(f.extra));
    case pb::TRIGGER_COMPLAINT_REFUSED:
      return absl::StrCat("We looked carefully at your ", ref, ". We are sorry that we cannot ",
                          "agree to the request: ", Sentence(f.extra), " If there is anything you would like ",
                          "to add, reply and we will look again.");
    case pb::TRIGGER_COMPLAINT_REMEDIES:
      return absl::StrCat(f.not_as_described
                              ? absl::StrCat("We are sorry that ", what, " was not as described. ")
                              : absl::StrCat("We are sorry about ", what, ". "),
                          "For your ", ref, " please choose what suits you best: ",
                          f.choices.empty() ? "see the options in your order" : absl::StrJoin(f.choices, "; "),
                          ".");
    case pb::TRIGGER_COMPLAINT_RULING:
      return absl::StrCat("The platform has ruled on your ", ref, ": ", Sentence(f.extra), " We are carrying out ",
                          f.remedy, " now.");
    case pb::TRIGGER_COMPLAINT_REMEDY_DONE:
      return absl::StrCat("Done: for your ", ref, ", ", DoneText(f), ". Thank you for your patience.");
    default:
      return "";
  }
}

}  // namespace

std::string ComposeMessage(pb::Trigger trigger, const MessageFacts& f) {
  if (std::string step = ComplaintStepMessage(trigger, f); !step.empty()) return step;
  const std::string what = ProductPhrase(f.products);
  switch (trigger) {
    case pb::TRIGGER_ORDER_THANKS:
      return absl::StrCat("Thank you for buying ", what, "! Your payment for order ", f.order_id,
                          " is confirmed and we ship today.");
    case pb::TRIGGER_CARE_TIPS:
      return absl::StrCat("Your ", what, " is on its way. Care and usage tips",
                          f.category.empty() ? "" : absl::StrCat(" for ", f.category),
                          " so it serves you well from day one.");
    case pb::TRIGGER_FEEDBACK_REQUEST:
      return absl::StrCat("How is ", what, " working for you? Tell us honestly (1-5) and ",
                          "leave a review if you like.");
    case pb::TRIGGER_COMPLAINT_FOLLOW_UP:
      return absl::StrCat("We are sorry again about ", what, " (complaint ", f.complaint_id,
                          "). Are you satisfied with how we resolved it?");
    case pb::TRIGGER_SHIPMENT_APOLOGY:
      return absl::StrCat("We are sorry: ", what, " (order ", f.order_id,
                          ") did not ship on time. It is our priority now.");
    case pb::TRIGGER_TIER_WELCOME:
      return absl::StrCat("Welcome to ", f.tier, "! Your benefits: ",
                          f.benefits.empty() ? "see your profile" : absl::StrJoin(f.benefits, ", "),
                          ".");
    case pb::TRIGGER_WIN_BACK:
      return absl::StrCat("We miss you! Since you enjoyed ", what, ", here is a ",
                          f.voucher.empty() ? "voucher" : f.voucher, " for your next order.");
    case pb::TRIGGER_BIRTHDAY:
      return absl::StrCat("Happy birthday! A small gift from us",
                          f.voucher.empty() ? "" : absl::StrCat(", a ", f.voucher),
                          ", with thanks for choosing ", what, ".");
    case pb::TRIGGER_HOLIDAY:
      return absl::StrCat("Season's greetings! ", f.extra);
    case pb::TRIGGER_NEW_PRODUCT:
      return absl::StrCat("You hear it first: ", f.extra);
    case pb::TRIGGER_CHECK_IN:
      return absl::StrCat("It has been a while. How is ", what, " doing? We are here if you ",
                          "need anything.");
    default:
      return f.extra;
  }
}

}  // namespace revisit::outreach
