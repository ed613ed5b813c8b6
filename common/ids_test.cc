// The one request_id rule and the one entity ID rule (common/ids.h), tested once.
#include "common/ids.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace revisit {
namespace {

TEST(ValidateRequestIdTest, OneRuleForEveryService) {
  EXPECT_TRUE(ValidateRequestId("a-b_c:1.2").ok());
  EXPECT_TRUE(ValidateRequestId("cmp-07-00000000000000aa:r1:exec").ok());
  EXPECT_TRUE(ValidateRequestId("9f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b").ok());  // a UUID
  EXPECT_TRUE(ValidateRequestId(std::string(128, 'x')).ok());
  for (const std::string& bad : {std::string(), std::string("has space"), std::string("a/b"),
                                std::string("龙井"), std::string(129, 'x')}) {
    absl::Status st = ValidateRequestId(bad);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(st.message(), "request_id: ")) << st;
    EXPECT_TRUE(absl::StrContains(st.message(), "1..128 characters of A-Z a-z 0-9 . _ : -")) << st;
  }
}

TEST(ValidateRequestIdTest, ARefusalQuotesOnlyAnExcerpt) {
  absl::Status st = ValidateRequestId(std::string(10000, 'x'));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(st.message().size(), 200u) << st.message().size();
  EXPECT_TRUE(absl::StrContains(st.message(), "(10000 bytes)")) << st;
}

TEST(ValidateIdTest, PrintableAsciiWithoutSpaces) {
  EXPECT_TRUE(ValidateId("customer_id", "cus-07-00000000000000aa").ok());
  EXPECT_TRUE(ValidateId("customer_id", "cus-x-1/b").ok());  // opaque: any producer's IDs
  absl::Status st = ValidateId("customer_id", "");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(st.message(), "customer_id: required")) << st;
  for (const std::string& bad : {std::string("not an id"), std::string("a\tb"),
                                std::string("龙井"), std::string(129, 'x')}) {
    st = ValidateId("sku", bad);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StrContains(st.message(), "sku: must be 1..128 printable ASCII")) << st;
  }
}

}  // namespace
}  // namespace revisit
