#include "services/outreach/messages.h"

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
  v["extra"] = f.extra;
  return v;
}

std::vector<std::string> MessageKinds(const RulesTable& rules) {
  std::vector<std::string> kinds;
  for (const auto& [trigger, rule] : rules.rules()) kinds.push_back(rule.name);
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
