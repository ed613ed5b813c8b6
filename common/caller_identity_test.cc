#include "common/caller_identity.h"

#include "gtest/gtest.h"

namespace revisit {
namespace {

TEST(CallerIdentityTest, ParsesServicesAndPeople) {
  auto s = CallerIdentity::Parse("spiffe://revisit/service/complaint");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->is_service());
  EXPECT_EQ(s->principal(), "service/complaint");
  EXPECT_EQ(s->ToActor().role(), "system");
  auto p = CallerIdentity::Parse("spiffe://revisit/supervisor/staff-7");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->role(), "supervisor");
  EXPECT_EQ(p->name(), "staff-7");
  EXPECT_EQ(p->spiffe_id(), "spiffe://revisit/supervisor/staff-7");
  EXPECT_FALSE(p->relays_actor());
  EXPECT_TRUE(CallerIdentity::Parse("spiffe://revisit/operator/ops")->relays_actor());
}

TEST(CallerIdentityTest, RefusesAnythingElseAsUnauthenticated) {
  for (const char* bad : {"", "spiffe://other/service/order", "spiffe://revisit/service",
                          "spiffe://revisit/customer/c-1", "spiffe://revisit/agent/",
                          "spiffe://revisit/agent/a/b", "https://revisit/agent/a",
                          "spiffe://revisit/agent/has space"}) {
    auto id = CallerIdentity::Parse(bad);
    EXPECT_EQ(id.status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

}  // namespace
}  // namespace revisit
