// Compensation authority per role (C8): what a handler may grant alone, and who may
// approve more.
//
// Pure. Configured as "role=money/points[/approve],..." e.g.
//   "agent=20000/2000,supervisor=200000/20000/approve,manager=unlimited/unlimited/approve"
// money in minor units of any currency, points in points. A role that is not
// listed has no authority at all (every compensation needs approval). What counts
// (CompensationValue): partial refunds, vouchers, gifts and points, and any remedy
// offered as goodwill outside 三包 eligibility; a return, exchange or repair the
// customer is entitled to (C13) is a right, not compensation, and needs no approval.
// Thread-safety: immutable value; pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_AUTHORITY_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_AUTHORITY_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "revisit/complaint/v1/complaint.pb.h"

namespace revisit::complaint {

inline constexpr int64_t kUnlimited = -1;

// The limits of one role.
struct RoleAuthority {
  int64_t money_limit_minor = 0;  // kUnlimited = no limit
  int64_t points_limit = 0;       // kUnlimited = no limit
  bool can_approve = false;
};

// Money and points a remedy grants beyond the customer's rights.
struct CompensationValue {
  int64_t money_minor = 0;
  int64_t points = 0;
};
CompensationValue ValueOf(const v1::Remedy& remedy);

class AuthorityPolicy {
 public:
  // Parses the text above; INVALID_ARGUMENT naming the bad entry.
  static absl::StatusOr<AuthorityPolicy> Parse(const std::string& text);

  // The limits of `role` (all zero when unknown).
  RoleAuthority For(const std::string& role) const;
  // True when `role` may grant `remedy` without approval.
  bool Within(const std::string& role, const v1::Remedy& remedy) const;
  // OK when `role` may approve `remedy`; PERMISSION_DENIED saying why otherwise.
  absl::Status CheckApprover(const std::string& role, const v1::Remedy& remedy) const;

  std::map<std::string, RoleAuthority> roles;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_AUTHORITY_H_
