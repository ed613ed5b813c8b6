// The report page and the stream analysis, without a stack.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"
#include "tools/demo/analysis.h"
#include "tools/demo/report.h"

namespace revisit::demo {
namespace {

template <typename M>
EventEnvelope Ev(const std::string& id, absl::Time t, const M& m) {
  EventEnvelope e;
  e.id = id;
  e.time = t;
  e.type = "t";
  e.dataschema = "proto:" + M::descriptor()->full_name();
  e.payload = m.SerializeAsString();
  return e;
}

TEST(Analyze, FunnelAndLoopLatencyFromEventTimes) {
  absl::Time t0 = absl::FromUnixSeconds(1700000000);
  revisit::order::v1::OrderDelivered d;
  d.mutable_order()->set_order_id("ord-1");
  d.mutable_order()->set_customer_id("cus-1");
  revisit::outreach::v1::TouchScheduled fb;
  fb.mutable_touch()->set_trigger(revisit::outreach::v1::TRIGGER_FEEDBACK_REQUEST);
  fb.mutable_touch()->set_source_id("ord-1");
  fb.mutable_touch()->set_campaign("feedback_request");
  revisit::complaint::v1::ComplaintResolved r;
  r.mutable_complaint()->set_complaint_id("cmp-1");
  revisit::outreach::v1::TouchScheduled fu;
  fu.mutable_touch()->set_trigger(revisit::outreach::v1::TRIGGER_COMPLAINT_FOLLOW_UP);
  fu.mutable_touch()->set_source_id("cmp-1");
  std::vector<EventEnvelope> evs = {Ev("a", t0, d), Ev("a", t0, d),  // duplicate dropped on ce_id
                                    Ev("b", t0 + absl::Milliseconds(40), fb), Ev("c", t0 + absl::Hours(1), r),
                                    Ev("d", t0 + absl::Hours(1) + absl::Milliseconds(900), fu)};
  Analysis a;
  Analyze(evs, &a);
  EXPECT_EQ(a.duplicates, 1);
  EXPECT_EQ(a.delivered, 1);
  EXPECT_EQ(a.feedback_scheduled, 1);
  EXPECT_EQ(a.resolved, 1);
  EXPECT_EQ(a.delivered_to_feedback.n, 1);
  EXPECT_DOUBLE_EQ(a.delivered_to_feedback.p50_ms, 40);
  EXPECT_DOUBLE_EQ(a.resolved_to_followup.p99_ms, 900);
  ASSERT_EQ(a.campaign_names.size(), 2u);
}

TEST(Summarize, Percentiles) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  Percentiles p = Summarize(v);
  EXPECT_EQ(p.n, 100);
  EXPECT_NEAR(p.p50_ms, 50, 1);
  EXPECT_NEAR(p.p99_ms, 99, 1);
}

TEST(Report, SelfContainedWithEverySection) {
  RunFacts run;
  run.population = 10;
  run.scale = 3600;
  Analysis a;
  a.shipped = 10;
  a.causes["QUALITY_DEFECT"] = 2;
  a.tiers["REGULAR"] = 9;
  a.campaigns.push_back(Campaign{"win_back", 5, 4, 1, 0, 4, 1, 1, 0, 0.25, 0, 0.25});
  std::string h = RenderReport(run, a);
  for (const char* id : {"summary", "funnel", "weekly", "causes", "sla", "loyalty", "campaigns", "latency", "ratings"})
    EXPECT_TRUE(absl::StrContains(h, std::string("<section id=\"") + id + "\"")) << id;
  EXPECT_TRUE(absl::StrContains(h, "<svg"));
  EXPECT_FALSE(absl::StrContains(h, "<script"));
  EXPECT_FALSE(absl::StrContains(h, "https://"));
  EXPECT_FALSE(absl::StrContains(h, "src=\"http"));
}

TEST(Report, EscapesLabels) { EXPECT_EQ(HtmlEscape("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;"); }

}  // namespace
}  // namespace revisit::demo
