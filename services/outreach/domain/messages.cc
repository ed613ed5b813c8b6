#include "services/outreach/domain/messages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

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

// C7: a promised update's time: "周五 9月18日 18:00" / "Fri 18 Sep 18:00".
std::string Due(absl::Time t, const absl::TimeZone& tz, bool zh) {
  if (!zh) return absl::FormatTime("%a %d %b %H:%M", t, tz);
  static const char* kDays[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  const absl::CivilDay d = absl::ToCivilDay(t, tz);
  return absl::StrCat(kDays[static_cast<int>(absl::GetWeekday(d))], " ", Day(t, tz, true), " ",
                      absl::FormatTime("%H:%M", t, tz));
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
  // Complaint steps (C3..C12): a complaint without an order is about the service (R11).
  v["subject"] = f.order_id.empty() ? (zh ? "我们的服务" : "our service") : v["products"];
  std::vector<std::string> choices;
  for (const auto& r : f.choices) choices.push_back(RemedyPhrase(r, f.locale));
  v["choices"] = choices.empty() ? (zh ? "详见您的订单页面" : "see the options in your order")
                                 : absl::StrJoin(choices, zh ? "；" : "; ");
  v["remedy"] = RemedyPhrase(f.remedy, f.locale);
  v["due"] = f.due_at ? Due(*f.due_at, f.tz, zh) : "";
  return v;
}

namespace pb = revisit::outreach::v1;
namespace cpb = revisit::complaint::v1;

std::string FormatMoney(int64_t minor, const std::string& currency) {
  return absl::StrFormat("%s %d.%02d", currency, minor / 100, minor % 100);
}

std::string RemedyPhrase(const cpb::Remedy& r, const std::string& locale) {
  const bool zh = Zh(locale);
  MessageFacts money;
  money.locale = locale;
  money.amount_minor = r.amount().amount_minor();
  money.currency = r.amount().currency();
  const std::string amount = Amount(money);
  switch (r.kind()) {
    case cpb::REMEDY_KIND_FULL_REFUND: return zh ? "全额退款" : "a full refund";
    case cpb::REMEDY_KIND_PARTIAL_REFUND: return zh ? "退款" + amount : "a refund of " + amount;
    case cpb::REMEDY_KIND_EXCHANGE: return zh ? "换新" : "an exchange for a new one";
    case cpb::REMEDY_KIND_REPAIR: return zh ? "免费维修" : "a free repair";
    case cpb::REMEDY_KIND_VOUCHER: return zh ? amount + "优惠券" : absl::StrCat("a ", amount, " voucher");
    case cpb::REMEDY_KIND_POINTS: return absl::StrCat(r.points(), zh ? "积分" : " points");
    case cpb::REMEDY_KIND_GIFT: return zh ? "一份礼物" : "a gift from us";
    case cpb::REMEDY_KIND_APOLOGY: return zh ? "我们诚挚的歉意" : "our sincere apology";
    default: return zh ? "补偿" : "a remedy";
  }
}

bool TellsFulfilmentStage(cpb::FulfilmentStage stage) {
  return stage == cpb::FULFILMENT_STAGE_ITEM_RECEIVED || stage == cpb::FULFILMENT_STAGE_REPAIRED;
}

bool IsComplaintStep(pb::Trigger t) {
  return t >= pb::TRIGGER_COMPLAINT_ACKNOWLEDGED && t <= pb::TRIGGER_COMPLAINT_REMEDY_DONE;
}

namespace {

// C9: what "done" means for the remedy carried out.
std::string DoneKind(cpb::RemedyKind kind) {
  switch (kind) {
    case cpb::REMEDY_KIND_FULL_REFUND:
    case cpb::REMEDY_KIND_PARTIAL_REFUND: return "complaint_remedy_done_refund";
    case cpb::REMEDY_KIND_EXCHANGE: return "complaint_remedy_done_exchange";
    case cpb::REMEDY_KIND_REPAIR: return "complaint_remedy_done_repair";
    case cpb::REMEDY_KIND_VOUCHER:
    case cpb::REMEDY_KIND_POINTS: return "complaint_remedy_done_credit";
    case cpb::REMEDY_KIND_GIFT: return "complaint_remedy_done_gift";
    default: return "complaint_remedy_done";
  }
}

// `text` ending as a sentence (C3, C7, C8, C12 notes): "." or "。" added unless it
// already ends in one of . ! ? 。 ！ ？.
std::string Sentence(const std::string& text, bool zh) {
  if (text.empty()) return text;
  for (const char* end : {".", "!", "?", "。", "！", "？"})
    if (absl::EndsWith(text, end)) return text;
  return text + (zh ? "。" : ".");
}

// Double spaces left by an empty placeholder, and edge spaces, removed.
std::string Tidy(std::string text) {
  for (size_t at; (at = text.find("  ")) != std::string::npos;) text.erase(at, 1);
  return std::string(absl::StripAsciiWhitespace(text));
}

}  // namespace

std::string ComplaintStepKind(pb::Trigger trigger, const MessageFacts& f) {
  switch (trigger) {
    case pb::TRIGGER_COMPLAINT_ACKNOWLEDGED: return "complaint_acknowledged";
    case pb::TRIGGER_COMPLAINT_UPDATE:
      if (f.stage == cpb::FULFILMENT_STAGE_ITEM_RECEIVED) return "complaint_repair_received";
      if (f.stage == cpb::FULFILMENT_STAGE_REPAIRED) return "complaint_repair_repaired";
      return f.due_at ? "complaint_update_promised" : "complaint_update";
    case pb::TRIGGER_COMPLAINT_REFUSED: return "complaint_refused";
    case pb::TRIGGER_COMPLAINT_REMEDIES:
      return f.not_as_described ? "complaint_remedies_not_as_described" : "complaint_remedies";
    case pb::TRIGGER_COMPLAINT_RULING: return "complaint_ruling";
    case pb::TRIGGER_COMPLAINT_REMEDY_DONE: return DoneKind(f.remedy.kind());
    default: return "";
  }
}

std::vector<std::string> ComplaintStepKinds() {
  return {"complaint_acknowledged", "complaint_update", "complaint_update_promised",
          "complaint_repair_received", "complaint_repair_repaired", "complaint_refused",
          "complaint_remedies", "complaint_remedies_not_as_described", "complaint_ruling",
          "complaint_remedy_done", "complaint_remedy_done_refund", "complaint_remedy_done_exchange",
          "complaint_remedy_done_repair", "complaint_remedy_done_credit", "complaint_remedy_done_gift"};
}

std::vector<std::string> MessageKinds(const RulesTable& rules) {
  std::vector<std::string> kinds;
  for (const auto& [trigger, rule] : rules.rules())
    if (!IsComplaintStep(static_cast<pb::Trigger>(trigger))) kinds.push_back(rule.name);
  for (std::string& kind : ComplaintStepKinds()) kinds.push_back(std::move(kind));
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

std::string ComposeComplaintStep(const MessageTemplates& templates, pb::Trigger trigger,
                                 const MessageFacts& facts) {
  std::map<std::string, std::string> values = MessageValues(facts);
  values["extra"] = Sentence(facts.extra, Zh(facts.locale));
  return Tidy(templates.Render(ComplaintStepKind(trigger, facts), facts.locale, values));
}

}  // namespace revisit::outreach
