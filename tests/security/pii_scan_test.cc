// PII never leaves the order service's store (issue 13): real processes run the whole
// loop (tests/e2e/story.h) for a customer registered with recognisable PII (name,
// phone, e-mail, street address), then every topic (key, value, headers), every
// service's log output and every service's /metrics are scanned for it. A failure
// names the place and the value that leaked.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/event_type.h"
#include "gtest/gtest.h"
#include "tests/harness/stack.h"
#include "tests/e2e/story.h"
#include "tests/harness/kafka_reader.h"
#include "tests/harness/http_get.h"

namespace revisit::e2e {
namespace {

// What Story::Register gives the customer (tests/e2e/story.cc).
const std::vector<std::string>& Pii() {
  static const auto* pii = new std::vector<std::string>{
      "王芳", "13700137000", "wangfang@example.cn", "wangfang", "文三路"};
  return *pii;
}

// "" when `text` holds no PII, else where and what.
std::string Leaks(const std::string& where, const std::string& text) {
  std::string out;
  for (const std::string& p : Pii()) {
    if (text.find(p) != std::string::npos) absl::StrAppend(&out, where, " contains \"", p, "\"\n");
  }
  return out;
}

using ::revisit::testing::HttpGet;

TEST(PiiScanTest, NoTopicLogOrMetricCarriesACustomersPersonalData) {
  StackOptions options = StoryStackOptions();
  options.metrics = true;  // each service's /metrics on a port of its own
  absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  Story story(**stack, "pii");
  absl::Status st = story.RunAll();
  ASSERT_TRUE(st.ok()) << st << "\n" << (*stack)->LogTails();

  std::string leaks;
  size_t records = 0;
  for (const char* svc : {"order", "complaint", "loyalty", "outreach"}) {
    std::vector<std::string> topics = {EventTopic(svc)};
    if (std::string(svc) != "order") topics.push_back(DeadLetterTopic(svc));
    for (const std::string& topic : topics) {
      auto raw = testing::ReadAllRaw((*stack)->Bootstrap(), topic);
      ASSERT_TRUE(raw.ok()) << topic << ": " << raw.status();
      records += raw->size();
      for (const RawRecord& r : *raw) {
        std::string where = absl::StrCat("topic ", topic, " offset ", r.offset);
        leaks += Leaks(where + " key", r.key) + Leaks(where + " value", r.value);
        for (const auto& [name, value] : r.headers) leaks += Leaks(where + " header " + name, value);
      }
    }
    Svc s = svc == std::string("order")       ? Svc::kOrder
            : svc == std::string("complaint") ? Svc::kComplaint
            : svc == std::string("loyalty")   ? Svc::kLoyalty
                                              : Svc::kOutreach;
    std::string metrics = HttpGet((*stack)->MetricsPort(s), "/metrics");
    EXPECT_NE(metrics.find("revisit_"), std::string::npos) << svc << " served no metrics";
    leaks += Leaks(absl::StrCat("/metrics of ", svc), metrics);
  }
  EXPECT_GT(records, 10u) << "the loop published too little to prove anything";
  std::string logs = (*stack)->LogTails(/*bytes=*/64 << 20);
  EXPECT_NE(logs.find("revisit-order"), std::string::npos);
  leaks += Leaks("service logs", logs);
  EXPECT_EQ(leaks, "") << "personal data leaked:\n" << leaks;
}

}  // namespace
}  // namespace revisit::e2e
