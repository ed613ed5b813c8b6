// Lookup terms of the customer archive (O2): how a phone number, an e-mail address and
// a tracking number are normalized before they are hashed into the FindCustomers
// indexes (services/order/store/lookup_index.h), and which index entries a customer
// write adds and removes. Two spellings of one phone ("138 0013 8000",
// "+86-138-0013-8000") normalize to the same term, so they find the same customer.
//   phone:    digits only with the country code: "+" or "00" starts an international
//             number; otherwise a leading trunk "0" is dropped and kDefaultCountryCode
//             prepended; 8..15 digits in the end (E.164). Separators " -().\t" allowed.
//   email:    trimmed, ASCII lower-case, exactly one '@' with text on both sides.
//   tracking: whitespace and '-' removed, ASCII upper-case, 1..64 characters.
// Errors: INVALID_ARGUMENT naming `field` and the rule.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_LOOKUP_TERMS_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_LOOKUP_TERMS_H_

#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

// The country code of a phone written without one (the shop sells in mainland China).
inline constexpr char kDefaultCountryCode[] = "86";

enum class LookupKind { kPhone, kEmail, kTracking };

// The word a kind is stored under in index keys: "phone", "email", "tracking".
absl::string_view LookupKindName(LookupKind kind);

absl::StatusOr<std::string> NormalizePhone(absl::string_view field, absl::string_view phone);
absl::StatusOr<std::string> NormalizeEmail(absl::string_view field, absl::string_view email);
absl::StatusOr<std::string> NormalizeTracking(absl::string_view field, absl::string_view number);

// One index entry: a kind and a normalized value.
using LookupTerm = std::pair<LookupKind, std::string>;

// The phone and e-mail terms of a customer. A stored phone or e-mail that does not
// normalize (the archive accepts free text, e.g. an extension) is left out.
std::set<LookupTerm> CustomerTerms(const v1::Customer& customer);

// What a customer write changes in the index: terms to add and terms to remove
// (the old phone after a change, so it no longer finds the customer).
struct TermChanges {
  std::set<LookupTerm> add;
  std::set<LookupTerm> remove;
};
TermChanges DiffTerms(const std::set<LookupTerm>& before, const std::set<LookupTerm>& after);

// The one term a FindCustomers request asks for; INVALID_ARGUMENT naming the field
// when none is set or it does not normalize.
absl::StatusOr<LookupTerm> RequestTerm(const v1::FindCustomersRequest& req);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_LOOKUP_TERMS_H_
