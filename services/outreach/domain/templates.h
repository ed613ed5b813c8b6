// MessageTemplates: the text of every touch kind in every supported locale (R10), an
// operator's configuration (deploy/k8s/base/services/outreach/messages.conf, mounted at
// /etc/revisit/messages; REVISIT_OUTREACH_MESSAGES_FILE), changeable without a rebuild.
// The same file is compiled in as the default when no file is named.
//
// Format: one template per line, "<kind>.<locale> = <text>"; '#' starts a comment line.
// A text names facts as {placeholder}, one of kPlaceholders. Parse refuses (the service
// does not start): a line without "=", an unknown locale, a kind not in `kinds`, a
// duplicate, an unknown or unclosed placeholder, and a kind of `kinds` missing a
// template in any locale. Every error names the line.
// Thread-safety: immutable after Parse; Render is const and thread-safe.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_TEMPLATES_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_TEMPLATES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace revisit::outreach {

// The locales every kind must have; the first is the default.
inline constexpr const char* kLocales[] = {"zh-CN", "en"};
inline constexpr char kDefaultLocale[] = "zh-CN";

// The facts a template may name.
inline constexpr const char* kPlaceholders[] = {
    "products",         // what this touch is about (R10)
    "previous_products",  // what the customer bought before (R10)
    "category", "order_id", "amount", "quantity", "payment_method",
    "ship_by",          // the O3 ship-by day in the customer's time zone
    "complaint_id", "tier", "benefits",
    "voucher",          // filled with the real voucher at send time (R3, R7)
    "holiday",
    "years", "anniversary",  // R3 anniversary: "3 years"/"3年" and what began then
    "points", "expires_on",  // L4 points-expiry warning: points and the day they expire
    "extra",
    // complaint steps (C3..C12): what the complaint is about (the products, or our
    // service, R11), the remedies offered (C6), the remedy ruled or done (C12, C9),
    // and when a promised update comes, in the customer's zone (C7)
    "subject", "choices", "remedy", "due"};

class MessageTemplates {
 public:
  MessageTemplates() = default;
  // Parses and validates `text` for the touch kinds `kinds` (INVALID_ARGUMENT).
  static absl::StatusOr<MessageTemplates> Parse(absl::string_view text,
                                                const std::vector<std::string>& kinds);
  // Reads `path` and parses it; NOT_FOUND when the file cannot be read.
  static absl::StatusOr<MessageTemplates> Load(const std::string& path,
                                               const std::vector<std::string>& kinds);
  // The compiled-in default (the deploy file at build time), parsed.
  static absl::StatusOr<MessageTemplates> Default(const std::vector<std::string>& kinds);

  // `kind` in `locale` (kDefaultLocale when the customer's is unknown) with every
  // placeholder replaced by `values` (missing values render empty). An unknown kind
  // renders the "manual" template, else "".
  std::string Render(const std::string& kind, const std::string& locale,
                     const std::map<std::string, std::string>& values) const;
  // True when `locale` is one of kLocales.
  static bool Supported(const std::string& locale);

 private:
  std::map<std::string, std::string> text_;  // "<kind>.<locale>" -> text
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_TEMPLATES_H_
