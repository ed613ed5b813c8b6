#include "services/outreach/domain/messages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace revisit::outreach {
namespace {

bool Zh(const std::string& locale) { return !MessageTemplates::Supported(locale) || locale == "zh-CN"; }

std::string Amount(const MessageFacts& f) {
  const int64_t a = f.amount_minor < 0 ? -f.amount_minor : f.amount_minor;
  const std::string number = absl::StrFormat("%s%d.%02d", f.amount_minor < 0 ? "-" : "", a / 100, a % 100);
  if (Zh(f.locale) && f.currency == "CNY") return "¥" + number;
  return absl::StrCat(f.currency, " ", number);
}

std::string PaymentMethod(const std::string& name, bool zh) {
  static const std::map<std::string, std::pair<const char*, const char*>> names = {
      {"ALIPAY", {"支付宝", "Alipay"}},
      {"WECHAT_PAY", {"微信支付", "WeChat Pay"}},
      {"BANK_CARD", {"银行卡", "bank card"}},
      {"CASH_ON_DELIVERY", {"货到付款", "cash on delivery"}},
      {"OTHER", {"其他方式", "other"}}};
  auto it = names.find(name);
  if (it == names.end()) return zh ? "已付款" : "paid";
  return zh ? it->second.first : it->second.second;
}

std::string Tier(const std::string& tier, bool zh) {
  static const std::map<std::string, const char*> zh_names = {
      {"REGULAR", "普通"}, {"SILVER", "银卡"}, {"GOLD", "金卡"}, {"PLATINUM", "白金卡"}};
  if (zh) {
    auto it = zh_names.find(tier);
    return it == zh_names.end() ? tier : it->second;
  }
  std::string t = absl::AsciiStrToLower(tier);
  if (!t.empty()) t[0] = absl::ascii_toupper(t[0]);
  return t;
}

// "12月3日" or "3 December" (the ship-by day is never a year away).
std::string Day(absl::Time t, const absl::TimeZone& tz, bool zh) {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  const absl::CivilDay d = absl::ToCivilDay(t, tz);
  if (zh) return absl::StrCat(d.month(), "月", d.day(), "日");
  return absl::StrCat(d.day(), " ", kMonths[d.month() - 1]);
}

}  // namespace

std::string ProductPhrase(const std::vector<std::string>& products, const std::string& locale) {
  if (Zh(locale)) {
    if (products.empty()) return "您的订单";
    if (products.size() == 1) return products[0];
    if (products.size() == 2) return absl::StrCat(products[0], "和", products[1]);
    return absl::StrCat(products[0], "、", products[1], "等", products.size(), "件商品");
  }
  if (products.empty()) return "your order";
  if (products.size() == 1) return products[0];
  if (products.size() == 2) return absl::StrCat(products[0], " and ", products[1]);
  return absl::StrCat(products[0], ", ", products[1], " and ", products.size() - 2, " more");
}

std::map<std::string, std::string> MessageValues(const MessageFacts& f) {
  const bool zh = Zh(f.locale);
  std::map<std::string, std::string> v;
  v["products"] = ProductPhrase(f.products, f.locale);
  v["previous_products"] =
      ProductPhrase(f.previous_products.empty() ? f.products : f.previous_products, f.locale);
  v["category"] = f.category.empty() ? (zh ? "商品" : "your product") : f.category;
  v["order_id"] = f.order_id;
  v["amount"] = Amount(f);
  v["quantity"] = absl::StrCat(f.quantity);
  v["payment_method"] = PaymentMethod(f.payment_method, zh);
  v["ship_by"] = f.ship_by ? Day(*f.ship_by, f.tz, zh) : (zh ? "尽快" : "soon");
  v["complaint_id"] = f.complaint_id;
  v["tier"] = Tier(f.tier, zh);
  v["benefits"] = f.benefits.empty() ? (zh ? "详见会员页面" : "see your profile")
                                     : absl::StrJoin(f.benefits, zh ? "、" : ", ");
  v["voucher"] = f.voucher.empty() ? (zh ? "优惠券" : "voucher") : f.voucher;
  v["holiday"] = f.holiday;
  v["years"] = zh ? absl::StrCat(f.years, "年")
                  : absl::StrCat(f.years, f.years == 1 ? " year" : " years");
  v["anniversary"] = f.first_purchase ? (zh ? "第一次在我们这里购物" : "made your first purchase with us")
                                      : (zh ? "成为我们的会员" : "joined us");
  v["points"] = absl::StrCat(f.points);
  v["expires_on"] = f.expires_at ? Day(*f.expires_at, f.tz, zh) : "";
  v["extra"] = f.extra;
  return v;
}

namespace pb = revisit::outreach::v1;
namespace cpb = revisit::complaint::v1;

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

bool IsComplaintStep(pb::Trigger t) {
  return t >= pb::TRIGGER_COMPLAINT_ACKNOWLEDGED && t <= pb::TRIGGER_COMPLAINT_REMEDY_DONE;
}

std::string ComposeMessage(pb::Trigger trigger, const MessageFacts& f) {
  if (std::string step = ComplaintStepMessage(trigger, f); !step.empty()) return step;
  return f.extra;
}

std::vector<std::string> MessageKinds(const RulesTable& rules) {
  std::vector<std::string> kinds;
  for (const auto& [trigger, rule] : rules.rules())
    if (!IsComplaintStep(static_cast<pb::Trigger>(trigger))) kinds.push_back(rule.name);
  kinds.push_back("complaint_reminder");
  return kinds;
}

MessageTemplates BuiltInTemplates(const RulesTable& rules) {
  auto t = MessageTemplates::Default(MessageKinds(rules));
  return t.ok() ? *std::move(t) : MessageTemplates();
}

std::string ComposeMessage(const MessageTemplates& templates, const std::string& kind,
                           const MessageFacts& facts) {
  return templates.Render(kind, facts.locale, MessageValues(facts));
}

}  // namespace revisit::outreach
