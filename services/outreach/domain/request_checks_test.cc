// Request validation of the outreach RPCs (request_checks.h).
#include "services/outreach/domain/request_checks.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace revisit::outreach {
namespace {

namespace common = revisit::common::v1;

void ExpectError(const absl::Status& st, absl::StatusCode code, const std::string& names) {
  EXPECT_EQ(st.code(), code) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), names)) << st << " should name " << names;
}

TEST(UnknownCustomerTest, NotFoundNamingTheFieldAndWhereOutreachLearnsCustomers) {
  absl::Status st = UnknownCustomer("customer_id", "cus-07-00000000000000aa");
  ExpectError(st, absl::StatusCode::kNotFound, "customer_id: outreach has no record of cus-07-");
  EXPECT_TRUE(absl::StrContains(st.message(), "revisit.order.v1 customer_registered")) << st;
}

TEST(ValidateTouchIdTest, Required) {
  ExpectError(ValidateTouchId("touch_id", ""), absl::StatusCode::kInvalidArgument, "touch_id: required");
  EXPECT_TRUE(ValidateTouchId("touch_id", "tch-07-00000000000000ff").ok());
}

TEST(ParseTouchesPageTest, SizeAndOffset) {
  common::PageRequest p;
  auto d = ParseTouchesPage(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size, 50);
  EXPECT_EQ(d->offset, 0);
  p.set_page_size(7);
  p.set_page_token("14");
  d = ParseTouchesPage(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size, 7);
  EXPECT_EQ(d->offset, 14);
  for (int bad : {-1, 201}) {
    p.set_page_size(bad);
    ExpectError(ParseTouchesPage(p).status(), absl::StatusCode::kInvalidArgument, "page.page_size");
  }
  p.set_page_size(7);
  for (const char* bad : {"-1", "x"}) {
    p.set_page_token(bad);
    ExpectError(ParseTouchesPage(p).status(), absl::StatusCode::kInvalidArgument, "page.page_token");
  }
}

TEST(ValidateChannelTest, KnownValuesAndRequired) {
  EXPECT_TRUE(ValidateChannel("channel", common::CHANNEL_UNSPECIFIED, false).ok());
  EXPECT_TRUE(ValidateChannel("channel", common::CHANNEL_SMS, true).ok());
  ExpectError(ValidateChannel("channel", common::CHANNEL_UNSPECIFIED, true),
              absl::StatusCode::kInvalidArgument, "channel: must be SMS");
  ExpectError(ValidateChannel("channel", static_cast<common::Channel>(42), false),
              absl::StatusCode::kInvalidArgument, "channel: unknown value 42");
}

TEST(ValidateWaveIntervalTest, ZeroToThirtyDaysR4) {
  EXPECT_TRUE(ValidateWaveInterval("wave_interval_seconds", 0).ok());
  EXPECT_TRUE(ValidateWaveInterval("wave_interval_seconds", 12 * 3600).ok());  // the demo's
  EXPECT_TRUE(ValidateWaveInterval("wave_interval_seconds", kMaxWaveIntervalSeconds).ok());
  ExpectError(ValidateWaveInterval("wave_interval_seconds", -1), absl::StatusCode::kInvalidArgument,
              "wave_interval_seconds: must be 0..");
  ExpectError(ValidateWaveInterval("wave_interval_seconds", int64_t{1} << 62),
              absl::StatusCode::kInvalidArgument, "wave_interval_seconds");
}

}  // namespace
}  // namespace revisit::outreach
