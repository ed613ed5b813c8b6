#include "services/outreach/messages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace revisit::outreach {

namespace pb = revisit::outreach::v1;

std::string ProductPhrase(const std::vector<std::string>& products) {
  if (products.empty()) return "your order";
  if (products.size() == 1) return products[0];
  if (products.size() == 2) return absl::StrCat(products[0], " and ", products[1]);
  return absl::StrCat(products[0], ", ", products[1], " and ", products.size() - 2, " more");
}

std::string ComposeMessage(pb::Trigger trigger, const MessageFacts& f) {
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
