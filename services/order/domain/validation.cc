#include "services/order/domain/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/ids.h"

namespace revisit::order {
namespace {

absl::Status Bad(const std::string& field, const std::string& rule) {
  return absl::InvalidArgumentError(field + ": " + rule);
}

absl::Status ValidateCurrency(const std::string& field, const std::string& cur) {
  bool ok = cur.size() == 3;
  for (char c : cur) ok = ok && c >= 'A' && c <= 'Z';
  return ok ? absl::OkStatus() : Bad(field, "must be an ISO 4217 code of three capital letters");
}

}  // namespace

absl::Status ValidateAddress(const std::string& f, const v1::Address& a) {
  const std::pair<const char*, const std::string*> parts[] = {
      {"recipient", &a.recipient()}, {"phone", &a.phone()}, {"province", &a.province()},
      {"city", &a.city()}, {"street", &a.street()}};
  for (const auto& [name, value] : parts) {
    if (auto st = ValidateText(f + "." + name, *value, 1, 200); !st.ok()) return st;
  }
  if (auto st = ValidateText(f + ".district", a.district(), 0, 100); !st.ok()) return st;
  return ValidateText(f + ".postal_code", a.postal_code(), 0, 16);
}

absl::Status ValidateCustomer(const v1::Customer& c) {
  if (auto st = ValidateText("customer.name", c.name(), 1, 100); !st.ok()) return st;
  if (c.phones_size() > 5) return Bad("customer.phones", "at most 5");
  for (int i = 0; i < c.phones_size(); ++i) {
    const auto& p = c.phones(i);
    if (p.size() < 3 || p.size() > 32) return Bad(absl::StrCat("customer.phones[", i, "]"), "must be 3..32 characters");
  }
  if (c.emails_size() > 5) return Bad("customer.emails", "at most 5");
  for (int i = 0; i < c.emails_size(); ++i) {
    const auto& e = c.emails(i);
    if (e.size() > 254 || std::count(e.begin(), e.end(), '@') != 1 || e.front() == '@' || e.back() == '@') {
      return Bad(absl::StrCat("customer.emails[", i, "]"), "must be an address with one '@'");
    }
  }
  if (c.addresses_size() > 10) return Bad("customer.addresses", "at most 10");
  for (int i = 0; i < c.addresses_size(); ++i) {
    if (auto st = ValidateAddress(absl::StrCat("customer.addresses[", i, "]"), c.addresses(i)); !st.ok()) return st;
  }
  if (c.has_birthday()) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = c.birthday().month(), d = c.birthday().day();
    if (m < 1 || m > 12) return Bad("customer.birthday.month", "must be 1..12");
    if (d < 1 || d > kDays[m - 1]) return Bad("customer.birthday.day", absl::StrCat("must be 1..", kDays[m - 1]));
  }
  absl::TimeZone tz;
  if (!c.locale().empty() && c.locale() != "zh-CN" && c.locale() != "en") {
    return Bad("customer.locale", "must be zh-CN or en (empty = zh-CN, R10)");
  }
  if (!c.time_zone().empty() && !absl::LoadTimeZone(c.time_zone(), &tz)) {
    return Bad("customer.time_zone", "must be an IANA time zone such as Asia/Shanghai");
  }
  if (c.preferences_size() > 50) return Bad("customer.preferences", "at most 50 entries");
  for (const auto& [k, v] : c.preferences()) {
    if (auto st = ValidateText("customer.preferences key", k, 1, 64); !st.ok()) return st;
    if (auto st = ValidateText("customer.preferences[" + k + "]", v, 0, 200); !st.ok()) return st;
  }
  for (int i = 0; i < c.consents_size(); ++i) {
    if (c.consents(i).channel() == revisit::common::v1::CHANNEL_UNSPECIFIED) {
      return Bad(absl::StrCat("customer.consents[", i, "].channel"), "must be set");
    }
    if (!revisit::common::v1::Channel_IsValid(c.consents(i).channel())) {
      return Bad(absl::StrCat("customer.consents[", i, "].channel"),
                 absl::StrCat("unknown value ", c.consents(i).channel()));
    }
  }
  if (c.age() < 0 || c.age() > 150) return Bad("customer.age", "must be 0 (unknown) or 1..150");
  if (auto st = ValidateText("customer.occupation", c.occupation(), 0, 100); !st.ok()) return st;
  return absl::OkStatus();
}

absl::Status ValidateLines(const std::string& f,
                           const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines) {
  if (lines.empty() || lines.size() > 100) return Bad(f, "must have 1..100 lines");
  for (int i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string p = absl::StrCat(f, "[", i, "]");
    if (auto st = ValidateText(p + ".sku", l.sku(), 1, 64); !st.ok()) return st;
    if (auto st = ValidateText(p + ".name", l.name(), 1, 200); !st.ok()) return st;
    if (auto st = ValidateText(p + ".category", l.category(), 1, 64); !st.ok()) return st;
    if (l.quantity() < 1 || l.quantity() > 10000) return Bad(p + ".quantity", "must be 1..10000");
    if (auto st = ValidateCurrency(p + ".unit_price.currency", l.unit_price().currency()); !st.ok()) return st;
    if (l.unit_price().currency() != lines[0].unit_price().currency()) {
      return Bad(p + ".unit_price.currency", "every line must use the currency of lines[0]");
    }
    int64_t price = l.unit_price().amount_minor();
    if (price < 0 || price > 100000000000LL) return Bad(p + ".unit_price.amount_minor", "must be 0..100000000000");
    if (price == 0 && !l.free_gift()) return Bad(p + ".unit_price.amount_minor", "must be positive unless free_gift");
  }
  return absl::OkStatus();
}

absl::Status ValidateCreateOrder(const v1::CreateOrderRequest& req) {
  if (auto st = ValidateLines("lines", req.lines()); !st.ok()) return st;
  if (!req.has_shipping_address()) return Bad("shipping_address", "is required");
  if (auto st = ValidateAddress("shipping_address", req.shipping_address()); !st.ok()) return st;
  if (req.has_gift()) {
    if (auto st = ValidateText("gift.recipient_name", req.gift().recipient_name(), 1, 100); !st.ok()) return st;
    if (auto st = ValidateText("gift.card_message", req.gift().card_message(), 0, 500); !st.ok()) return st;
  }
  if (req.voucher_ids_size() > 10) return Bad("voucher_ids", "at most 10 vouchers (L4)");
  for (int i = 0; i < req.voucher_ids_size(); ++i) {
    if (auto st = ValidateId(absl::StrCat("voucher_ids[", i, "]"), req.voucher_ids(i)); !st.ok()) return st;
  }
  if (req.points() < 0 || req.points() > 1000000000) return Bad("points", "must be 0..1,000,000,000 (L4)");
  return absl::OkStatus();
}

absl::Status ValidatePromise(const v1::Promise& p) {
  if (p.kind() == v1::PROMISE_KIND_UNSPECIFIED) return Bad("promise.kind", "must be set");
  if (!v1::PromiseKind_IsValid(p.kind())) {
    return Bad("promise.kind", absl::StrCat("unknown value ", p.kind()));
  }
  if (auto st = ValidateAmount("promise.discount.amount_minor", p.discount().amount_minor()); !st.ok()) return st;
  if (p.extended_warranty_days() < 0) {
    return Bad("promise.extended_warranty_days", "must not be negative");
  }
  if (auto st = ValidateText("promise.description", p.description(), 1, 500); !st.ok()) return st;
  if (p.kind() == v1::PROMISE_KIND_NEXT_PURCHASE_DISCOUNT) {
    if (p.discount().amount_minor() <= 0) return Bad("promise.discount.amount_minor", "must be positive for a next-purchase discount");
    if (auto st = ValidateCurrency("promise.discount.currency", p.discount().currency()); !st.ok()) return st;
  }
  if (p.kind() == v1::PROMISE_KIND_EXTENDED_WARRANTY && (p.extended_warranty_days() < 1 || p.extended_warranty_days() > 3650)) {
    return Bad("promise.extended_warranty_days", "must be 1..3650 for an extended warranty");
  }
  return ValidateText("promise.made_by", p.made_by(), 1, 100);
}

}  // namespace revisit::order
