// Compensation authority per role (C8).
#include "services/complaint/domain/authority.h"

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

v1::Remedy R(v1::RemedyKind kind, int64_t amount, int64_t points = 0, bool goodwill = false) {
  v1::Remedy r;
  r.set_kind(kind);
  r.mutable_amount()->set_amount_minor(amount);
  r.mutable_amount()->set_currency("CNY");
  r.set_points(points);
  r.set_goodwill(goodwill);
  return r;
}

AuthorityPolicy Policy() {
  auto p = AuthorityPolicy::Parse(
      "agent=20000/2000, supervisor=200000/20000/approve, manager=unlimited/unlimited/approve");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(AuthorityTest, C8_TableOfRolesAndRemedies) {
  struct Case {
    const char* role;
    v1::Remedy remedy;
    bool within;
  };
  const Case cases[] = {
      {"agent", R(v1::REMEDY_KIND_PARTIAL_REFUND, 20000), true},
      {"agent", R(v1::REMEDY_KIND_PARTIAL_REFUND, 20001), false},
      {"agent", R(v1::REMEDY_KIND_VOUCHER, 30000), false},
      {"agent", R(v1::REMEDY_KIND_GIFT, 5000), true},
      {"agent", R(v1::REMEDY_KIND_POINTS, 0, 2000), true},
      {"agent", R(v1::REMEDY_KIND_POINTS, 0, 2001), false},
      // C13 rights are not compensation.
      {"agent", R(v1::REMEDY_KIND_FULL_REFUND, 999999), true},
      {"agent", R(v1::REMEDY_KIND_EXCHANGE, 999999), true},
      // ... unless offered as goodwill.
      {"agent", R(v1::REMEDY_KIND_FULL_REFUND, 999999, 0, true), false},
      {"agent", R(v1::REMEDY_KIND_APOLOGY, 0), true},
      {"supervisor", R(v1::REMEDY_KIND_PARTIAL_REFUND, 200000), true},
      {"supervisor", R(v1::REMEDY_KIND_PARTIAL_REFUND, 200001), false},
      {"manager", R(v1::REMEDY_KIND_PARTIAL_REFUND, 1LL << 40, 1LL << 40), true},
      {"unknown-role", R(v1::REMEDY_KIND_VOUCHER, 1), false},
      {"unknown-role", R(v1::REMEDY_KIND_APOLOGY, 0), true},
  };
  AuthorityPolicy p = Policy();
  for (const auto& c : cases) {
    EXPECT_EQ(p.Within(c.role, c.remedy), c.within) << c.role << " " << c.remedy.ShortDebugString();
  }
}

TEST(AuthorityTest, C8_Approvers) {
  AuthorityPolicy p = Policy();
  auto big = R(v1::REMEDY_KIND_PARTIAL_REFUND, 150000);
  EXPECT_EQ(p.CheckApprover("agent", big).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(p.CheckApprover("supervisor", big).ok());
  auto huge = R(v1::REMEDY_KIND_PARTIAL_REFUND, 500000);
  auto st = p.CheckApprover("supervisor", huge);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("up to 200000"), std::string::npos) << st;
  EXPECT_TRUE(p.CheckApprover("manager", huge).ok());
  EXPECT_EQ(p.CheckApprover("supervisor", R(v1::REMEDY_KIND_POINTS, 0, 30000)).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorityTest, BadConfigNamesEntry) {
  for (const char* bad : {"agent", "agent=1", "agent=x/1", "agent=1/2/maybe", "=1/2", "a=-1/2"}) {
    auto p = AuthorityPolicy::Parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.status().message().find("authority entry"), std::string::npos);
  }
  EXPECT_TRUE(AuthorityPolicy::Parse("")->roles.empty());
}

}  // namespace
}  // namespace revisit::complaint
