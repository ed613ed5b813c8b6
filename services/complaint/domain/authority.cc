#include "services/complaint/domain/authority.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace revisit::complaint {
namespace {

bool ParseLimit(absl::string_view s, int64_t* out) {
  if (s == "unlimited") {
    *out = kUnlimited;
    return true;
  }
  return absl::SimpleAtoi(s, out) && *out >= 0;
}

bool Exceeds(int64_t value, int64_t limit) { return limit != kUnlimited && value > limit; }

}  // namespace

CompensationValue ValueOf(const v1::Remedy& remedy) {
  CompensationValue v;
  switch (remedy.kind()) {
    case v1::REMEDY_KIND_PARTIAL_REFUND:
    case v1::REMEDY_KIND_VOUCHER:
    case v1::REMEDY_KIND_GIFT:
      v.money_minor = remedy.amount().amount_minor();
      break;
    case v1::REMEDY_KIND_POINTS:
      v.points = remedy.points();
      break;
    case v1::REMEDY_KIND_FULL_REFUND:
    case v1::REMEDY_KIND_EXCHANGE:
    case v1::REMEDY_KIND_REPAIR:
      // A right under 三包 (C13) unless offered as goodwill.
      if (remedy.goodwill()) v.money_minor = remedy.amount().amount_minor();
      break;
    default:
      break;
  }
  return v;
}

absl::StatusOr<AuthorityPolicy> AuthorityPolicy::Parse(const std::string& text) {
  AuthorityPolicy p;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> kv = absl::StrSplit(entry, '=');
    std::vector<absl::string_view> parts =
        kv.size() == 2 ? absl::StrSplit(kv[1], '/') : std::vector<absl::string_view>{};
    RoleAuthority r;
    if (kv.size() != 2 || kv[0].empty() || parts.size() < 2 || parts.size() > 3 ||
        !ParseLimit(parts[0], &r.money_limit_minor) || !ParseLimit(parts[1], &r.points_limit) ||
        (parts.size() == 3 && parts[2] != "approve")) {
      return absl::InvalidArgumentError(
          absl::StrCat("authority entry '", entry, "': want role=money/points[/approve]"));
    }
    r.can_approve = parts.size() == 3;
    p.roles[std::string(kv[0])] = r;
  }
  return p;
}

RoleAuthority AuthorityPolicy::For(const std::string& role) const {
  auto it = roles.find(role);
  return it == roles.end() ? RoleAuthority{} : it->second;
}

bool AuthorityPolicy::Within(const std::string& role, const v1::Remedy& remedy) const {
  const RoleAuthority r = For(role);
  const CompensationValue v = ValueOf(remedy);
  return !Exceeds(v.money_minor, r.money_limit_minor) && !Exceeds(v.points, r.points_limit);
}

absl::Status AuthorityPolicy::CheckApprover(const std::string& role,
                                            const v1::Remedy& remedy) const {
  const RoleAuthority r = For(role);
  if (!r.can_approve) {
    return absl::PermissionDeniedError(
        absl::StrCat("role \"", role, "\" cannot approve compensation (C8)"));
  }
  const CompensationValue v = ValueOf(remedy);
  if (Exceeds(v.money_minor, r.money_limit_minor)) {
    return absl::PermissionDeniedError(absl::StrCat("role \"", role, "\" may approve up to ",
                                                    r.money_limit_minor, " minor units, remedy is ",
                                                    v.money_minor, " (C8)"));
  }
  if (Exceeds(v.points, r.points_limit)) {
    return absl::PermissionDeniedError(absl::StrCat("role \"", role, "\" may approve up to ",
                                                    r.points_limit, " points, remedy is ",
                                                    v.points, " (C8)"));
  }
  return absl::OkStatus();
}

}  // namespace revisit::complaint
