#include "services/order/domain/lookup_terms.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace revisit::order {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool IsPhoneSeparator(char c) {
  return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '\t';
}

// The digits of `text` after an optional leading '+' (told by `plus`), or nullopt
// when anything but digits and separators is written.
std::optional<std::string> PhoneDigits(absl::string_view text, bool* plus) {
  *plus = absl::ConsumePrefix(&text, "+");
  std::string digits;
  for (char c : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (!IsPhoneSeparator(c)) {
      return std::nullopt;
    }
  }
  return digits;
}

// A domestic number with the default country code: "0571 8888 8888" -> "8657188888888".
std::string WithCountryCode(std::string digits) {
  if (digits.size() == 13 && absl::StartsWith(digits, kDefaultCountryCode)) return digits;
  if (absl::StartsWith(digits, "0")) digits.erase(0, 1);
  return absl::StrCat(kDefaultCountryCode, digits);
}

}  // namespace

absl::string_view LookupKindName(LookupKind kind) {
  switch (kind) {
    case LookupKind::kPhone: return "phone";
    case LookupKind::kEmail: return "email";
    case LookupKind::kTracking: return "tracking";
  }
  return "unknown";
}

absl::StatusOr<std::string> NormalizePhone(absl::string_view field, absl::string_view phone) {
  bool plus = false;
  auto digits = PhoneDigits(absl::StripAsciiWhitespace(phone), &plus);
  if (!digits) return Bad(field, "must be digits with an optional leading '+' and separators \" -().\"");
  std::string e164;
  if (plus) {
    e164 = *digits;
  } else if (absl::StartsWith(*digits, "00")) {
    e164 = digits->substr(2);
  } else {
    e164 = WithCountryCode(*digits);
  }
  if (e164.size() < 8 || e164.size() > 15 || absl::StartsWith(e164, "0")) {
    return Bad(field, "must be a phone number of 8..15 digits with its country code");
  }
  return e164;
}

absl::StatusOr<std::string> NormalizeEmail(absl::string_view field, absl::string_view email) {
  std::string e = absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  size_t at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 || at + 1 == e.size() ||
      e.find('@', at + 1) != std::string::npos) {
    return Bad(field, "must be an e-mail address with one '@' and text on both sides");
  }
  return e;
}

absl::StatusOr<std::string> NormalizeTracking(absl::string_view field, absl::string_view number) {
  std::string t;
  for (char c : number) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c)) && c != '-') {
      t.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  if (t.empty() || t.size() > 64) return Bad(field, "must be 1..64 characters besides spaces and '-'");
  return t;
}

std::set<LookupTerm> CustomerTerms(const v1::Customer& customer) {
  std::set<LookupTerm> terms;
  for (const auto& p : customer.phones()) {
    if (auto n = NormalizePhone("phone", p); n.ok()) terms.emplace(LookupKind::kPhone, *n);
  }
  for (const auto& e : customer.emails()) {
    if (auto n = NormalizeEmail("email", e); n.ok()) terms.emplace(LookupKind::kEmail, *n);
  }
  return terms;
}

TermChanges DiffTerms(const std::set<LookupTerm>& before, const std::set<LookupTerm>& after) {
  TermChanges changes;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::inserter(changes.add, changes.add.end()));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::inserter(changes.remove, changes.remove.end()));
  return changes;
}

absl::StatusOr<LookupTerm> RequestTerm(const v1::FindCustomersRequest& req) {
  using R = v1::FindCustomersRequest;
  absl::StatusOr<std::string> value;
  switch (req.by_case()) {
    case R::kPhone:
      value = NormalizePhone("phone", req.phone());
      if (!value.ok()) return value.status();
      return LookupTerm{LookupKind::kPhone, *value};
    case R::kEmail:
      value = NormalizeEmail("email", req.email());
      if (!value.ok()) return value.status();
      return LookupTerm{LookupKind::kEmail, *value};
    case R::kTrackingNumber:
      value = NormalizeTracking("tracking_number", req.tracking_number());
      if (!value.ok()) return value.status();
      return LookupTerm{LookupKind::kTracking, *value};
    case R::BY_NOT_SET:
      break;
  }
  return Bad("by", "set exactly one of phone, email or tracking_number (O2)");
}

}  // namespace revisit::order
