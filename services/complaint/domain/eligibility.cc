#include "services/complaint/domain/eligibility.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "common/proto_time.h"

namespace revisit::complaint {
namespace {

using v1::RemedyEligibility;
using v1::RemedyKind;

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }

RemedyEligibility Answer(RemedyKind kind, bool eligible, std::string reason,
                         v1::Party postage = v1::PARTY_UNSPECIFIED,
                         std::optional<absl::Time> window_end = std::nullopt) {
  RemedyEligibility e;
  e.set_kind(kind);
  e.set_eligible(eligible);
  e.set_reason(std::move(reason));
  e.set_postage_paid_by(postage);
  if (window_end) *e.mutable_window_ends_at() = ToProto(*window_end);
  return e;
}

// A window of `days` from delivery: eligible while at < end.
struct Window {
  bool open = false;
  absl::Time end;
};
Window WindowOf(const LineFacts& line, int days, absl::Time at) {
  Window w;
  w.end = *line.delivered_at + absl::Hours(24 * days);
  w.open = days > 0 && at < w.end;
  return w;
}

std::string CoveredNote(const LineFacts& line) {
  if (line.free_gift) return " (free gifts are covered too, C13)";
  if (line.discounted) return " (discounted goods are covered too, C13)";
  return "";
}

// Return / exchange / repair when the shop is at fault.
void ShopFault(const SanbaoRule& rule, const LineFacts& line, absl::Time at,
               std::vector<RemedyEligibility>& out) {
  const std::string note = CoveredNote(line);
  Window ret = WindowOf(line, rule.return_days, at);
  if (line.free_gift) {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, false,
                         "free gift: nothing was paid to refund; exchange or repair instead (C13)"));
  } else if (ret.open) {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, true,
                         absl::StrCat("shop at fault, within the ", rule.return_days,
                                      "-day return window; shop pays postage (C13, C14)", note),
                         v1::PARTY_SHOP, ret.end));
  } else {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, false,
                         absl::StrCat("return window of ", rule.return_days, " days ended ",
                                      Day(ret.end), " (C13)"),
                         v1::PARTY_UNSPECIFIED, ret.end));
  }
  Window exch = WindowOf(line, rule.exchange_days, at);
  out.push_back(exch.open
                    ? Answer(v1::REMEDY_KIND_EXCHANGE, true,
                             absl::StrCat("shop at fault, within the ", rule.exchange_days,
                                          "-day exchange window; shop pays postage both ways (C13, C14)",
                                          note),
                             v1::PARTY_SHOP, exch.end)
                    : Answer(v1::REMEDY_KIND_EXCHANGE, false,
                             absl::StrCat("exchange window of ", rule.exchange_days,
                                          " days ended ", Day(exch.end), " (C13)"),
                             v1::PARTY_UNSPECIFIED, exch.end));
  Window war = WindowOf(line, rule.warranty_days + line.extra_warranty_days, at);
  const std::string provider =
      rule.warranty_provider == v1::PARTY_MANUFACTURER ? "manufacturer" : "shop";
  const std::string payer = rule.warranty_paid_by == v1::PARTY_CUSTOMER       ? "customer"
                            : rule.warranty_paid_by == v1::PARTY_MANUFACTURER ? "manufacturer"
                                                                               : "shop";
  out.push_back(
      war.open ? Answer(v1::REMEDY_KIND_REPAIR, true,
                        absl::StrCat("under warranty (", rule.warranty_scope, ") by the ",
                                     provider, ", repair paid by the ", payer, " (C13)", note),
                        v1::PARTY_SHOP, war.end)
               : Answer(v1::REMEDY_KIND_REPAIR, false,
                        absl::StrCat("warranty ended ", Day(war.end), " (C13)"),
                        v1::PARTY_UNSPECIFIED, war.end));
}

// No fault of the shop: only the no-reason return, at the customer's postage.
void NoFault(const SanbaoRule& rule, const LineFacts& line, absl::Time at,
             const std::string& why, std::vector<RemedyEligibility>& out) {
  Window ret = WindowOf(line, rule.return_days, at);
  if (line.free_gift) {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, false,
                         absl::StrCat(why, "; free gift: nothing was paid to refund")));
  } else if (rule.no_reason_return && ret.open) {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, true,
                         absl::StrCat(why, "; no-reason return within ", rule.return_days,
                                      " days, customer pays postage"),
                         v1::PARTY_CUSTOMER, ret.end));
  } else {
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, false,
                         absl::StrCat(why, rule.no_reason_return
                                               ? absl::StrCat("; no-reason return window ended ",
                                                              Day(ret.end))
                                               : "; no no-reason return for this product"),
                         v1::PARTY_UNSPECIFIED, ret.end));
  }
  out.push_back(Answer(v1::REMEDY_KIND_EXCHANGE, false,
                       absl::StrCat(why, "; no exchange by right (C14)")));
}

void Compensation(std::vector<RemedyEligibility>& out) {
  const bool owed = Find(out, v1::REMEDY_KIND_FULL_REFUND).eligible() ||
                    Find(out, v1::REMEDY_KIND_EXCHANGE).eligible() ||
                    Find(out, v1::REMEDY_KIND_REPAIR).eligible();
  out.push_back(Answer(v1::REMEDY_KIND_PARTIAL_REFUND, owed,
                       owed ? "the customer may keep the goods against a partial refund, by agreement"
                            : "no return, exchange or repair is owed: only as goodwill"));
  out.push_back(Answer(v1::REMEDY_KIND_VOUCHER, true, "compensation within the handler's authority (C8)"));
  out.push_back(Answer(v1::REMEDY_KIND_POINTS, true, "compensation within the handler's authority (C8)"));
  out.push_back(Answer(v1::REMEDY_KIND_GIFT, true, "compensation within the handler's authority (C8)"));
  out.push_back(Answer(v1::REMEDY_KIND_APOLOGY, true, "always: apologise first (C3)"));
}

// Sorts answers into RemedyKind order.
void Sort(std::vector<RemedyEligibility>& out) {
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.kind() < b.kind(); });
}

}  // namespace

const SanbaoRule& SanbaoPolicy::RuleFor(const std::string& sku, const std::string& category) const {
  if (auto it = by_sku.find(sku); it != by_sku.end()) return it->second;
  if (auto it = by_category.find(category); it != by_category.end()) return it->second;
  return default_rule;
}

Fault FaultOf(v1::Cause cause, bool inspected_on_receipt) {
  switch (cause) {
    case v1::CAUSE_QUALITY_DEFECT:
    case v1::CAUSE_NOT_AS_DESCRIBED:
    case v1::CAUSE_WRONG_OR_MISSING_ITEM:
      return Fault::kShop;
    case v1::CAUSE_TRANSIT_DAMAGE:
      return inspected_on_receipt ? Fault::kShop : Fault::kCustomerLoss;
    case v1::CAUSE_CUSTOMER_MISUSE:
      return Fault::kMisuse;
    default:
      return Fault::kNone;
  }
}

std::vector<RemedyEligibility> CheckEligibility(const SanbaoPolicy& policy, const LineFacts& line,
                                                v1::Cause cause, absl::Time at) {
  std::vector<RemedyEligibility> out;
  const SanbaoRule& rule = EffectiveRule(policy, line);
  if (!line.delivered_at) {
    const std::string why = "not delivered yet: return, exchange and warranty run from delivery (O4)";
    out.push_back(Answer(v1::REMEDY_KIND_FULL_REFUND, false, why));
    out.push_back(Answer(v1::REMEDY_KIND_EXCHANGE, false, why));
    out.push_back(Answer(v1::REMEDY_KIND_REPAIR, false, why));
  } else {
    switch (FaultOf(cause, line.inspected_on_receipt)) {
      case Fault::kShop:
        if (cause == v1::CAUSE_QUALITY_DEFECT && line.defect_disclosed) {
          const std::string why = "the defect was disclosed before the sale: not covered (C13)";
          NoFault(rule, line, at, why, out);
          out.push_back(Answer(v1::REMEDY_KIND_REPAIR, false, why));
        } else {
          ShopFault(rule, line, at, out);
        }
        break;
      case Fault::kCustomerLoss:
        NoFault(rule, line, at,
                "transit damage signed for without inspection is the customer's loss (C14, O4)", out);
        out.push_back(Answer(v1::REMEDY_KIND_REPAIR, true,
                             "the shop helps with repair; customer pays postage (C14)",
                             v1::PARTY_CUSTOMER));
        break;
      case Fault::kMisuse:
        NoFault(rule, line, at, "misuse is not a defect: no refund by right (C14)", out);
        out.push_back(Answer(v1::REMEDY_KIND_REPAIR, true,
                             "misuse: the shop offers repair with care guidance; customer pays "
                             "postage (C14, R2)",
                             v1::PARTY_CUSTOMER));
        break;
      case Fault::kNone:
        NoFault(rule, line, at,
                absl::StrCat("no product fault (", v1::Cause_Name(cause), ")"), out);
        out.push_back(Answer(v1::REMEDY_KIND_REPAIR, false, "no product fault: nothing to repair"));
        break;
    }
  }
  Compensation(out);
  Sort(out);
  return out;
}

RemedyEligibility Find(const std::vector<RemedyEligibility>& answers, RemedyKind kind) {
  for (const auto& a : answers) {
    if (a.kind() == kind) return a;
  }
  return Answer(kind, false, "not evaluated");
}

// ---- policy parsing ----
namespace {

absl::StatusOr<v1::Party> ParseParty(const nlohmann::json& j, const std::string& field) {
  if (!j.is_string()) return absl::InvalidArgumentError(field + ": must be a string");
  const std::string s = j.get<std::string>();
  if (s == "shop") return v1::PARTY_SHOP;
  if (s == "manufacturer") return v1::PARTY_MANUFACTURER;
  if (s == "customer") return v1::PARTY_CUSTOMER;
  return absl::InvalidArgumentError(field + ": must be shop, manufacturer or customer");
}

absl::StatusOr<int> ParseDays(const nlohmann::json& j, const std::string& field) {
  if (!j.is_number_integer() || j.get<int64_t>() < 0 || j.get<int64_t>() > 36500) {
    return absl::InvalidArgumentError(field + ": must be an integer number of days 0..36500");
  }
  return j.get<int>();
}

absl::StatusOr<SanbaoRule> ParseRule(const nlohmann::json& j, SanbaoRule rule,
                                     const std::string& where) {
  if (!j.is_object()) return absl::InvalidArgumentError(where + ": must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string field = where + "." + it.key();
    if (it.key() == "return_days") {
      ASSIGN_OR_RETURN(rule.return_days, ParseDays(it.value(), field));
    } else if (it.key() == "exchange_days") {
      ASSIGN_OR_RETURN(rule.exchange_days, ParseDays(it.value(), field));
    } else if (it.key() == "warranty_days") {
      ASSIGN_OR_RETURN(rule.warranty_days, ParseDays(it.value(), field));
    } else if (it.key() == "warranty_provider") {
      ASSIGN_OR_RETURN(rule.warranty_provider, ParseParty(it.value(), field));
      if (rule.warranty_provider == v1::PARTY_CUSTOMER) {
        return absl::InvalidArgumentError(field + ": must be shop or manufacturer");
      }
    } else if (it.key() == "warranty_paid_by") {
      ASSIGN_OR_RETURN(rule.warranty_paid_by, ParseParty(it.value(), field));
    } else if (it.key() == "warranty_scope") {
      if (!it.value().is_string()) return absl::InvalidArgumentError(field + ": must be a string");
      rule.warranty_scope = it.value().get<std::string>();
    } else if (it.key() == "no_reason_return") {
      if (!it.value().is_boolean()) return absl::InvalidArgumentError(field + ": must be a boolean");
      rule.no_reason_return = it.value().get<bool>();
    } else {
      return absl::InvalidArgumentError(field + ": unknown field");
    }
  }
  return rule;
}

absl::Status ParseRuleMap(const nlohmann::json& j, const std::string& where, const SanbaoRule& base,
                          std::map<std::string, SanbaoRule>& out) {
  if (!j.is_object()) return absl::InvalidArgumentError(where + ": must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    ASSIGN_OR_RETURN(out[it.key()], ParseRule(it.value(), base, where + "." + it.key()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SanbaoPolicy> ParseSanbaoPolicy(const std::string& text) {
  SanbaoPolicy policy;
  if (text.empty()) return policy;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("sanbao policy: not a JSON object");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "default" && it.key() != "categories" && it.key() != "skus") {
      return absl::InvalidArgumentError(it.key() + ": unknown field (default, categories, skus)");
    }
  }
  if (j.contains("default")) {
    ASSIGN_OR_RETURN(policy.default_rule, ParseRule(j["default"], SanbaoRule{}, "default"));
  }
  if (j.contains("categories")) {
    RETURN_IF_ERROR(ParseRuleMap(j["categories"], "categories", policy.default_rule, policy.by_category));
  }
  if (j.contains("skus")) {
    RETURN_IF_ERROR(ParseRuleMap(j["skus"], "skus", policy.default_rule, policy.by_sku));
  }
  return policy;
}

// O8: the terms in force when an order was paid are recorded and win afterwards.
v1::SanbaoTerms TermsOf(const SanbaoRule& r) {
  v1::SanbaoTerms t;
  t.set_return_days(r.return_days);
  t.set_exchange_days(r.exchange_days);
  t.set_warranty_days(r.warranty_days);
  t.set_warranty_provider(r.warranty_provider);
  t.set_warranty_paid_by(r.warranty_paid_by);
  t.set_warranty_scope(r.warranty_scope);
  t.set_no_reason_return(r.no_reason_return);
  return t;
}

SanbaoRule RuleOf(const v1::SanbaoTerms& t) {
  SanbaoRule r;
  r.return_days = t.return_days();
  r.exchange_days = t.exchange_days();
  r.warranty_days = t.warranty_days();
  r.warranty_provider = t.warranty_provider();
  r.warranty_paid_by = t.warranty_paid_by();
  r.warranty_scope = t.warranty_scope();
  r.no_reason_return = t.no_reason_return();
  return r;
}

v1::OrderTerms RecordTerms(const SanbaoPolicy& policy, const order::v1::OrderFacts& order,
                           absl::Time now) {
  v1::OrderTerms out;
  out.set_order_id(order.order_id());
  for (const auto& l : order.lines()) {
    (*out.mutable_lines())[l.line_id()] = TermsOf(policy.RuleFor(l.sku(), l.category()));
  }
  *out.mutable_recorded_at() = ToProto(now);
  return out;
}

const SanbaoRule& EffectiveRule(const SanbaoPolicy& policy, const LineFacts& line) {
  return line.recorded ? *line.recorded : policy.RuleFor(line.sku, line.category);
}

}  // namespace revisit::complaint
