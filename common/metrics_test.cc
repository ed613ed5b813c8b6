#include "common/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/harness/http_get.h"

namespace revisit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ::revisit::testing::HttpGet;

TEST(MetricsTest, CounterAndGaugeRender) {
  MetricsRegistry r;
  Counter& c = r.CounterFamily("t_events_total", "Events seen.", {"kind"}).WithLabels({"a"});
  c.Inc();
  c.Inc(2);
  c.Inc(-5);  // ignored
  r.GaugeFamily("t_depth", "Queue depth.").WithLabels().Set(7.5);
  std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("# HELP t_events_total Events seen.\n"
                              "# TYPE t_events_total counter\n"
                              "t_events_total{kind=\"a\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE t_depth gauge\nt_depth 7.5\n"));
}

TEST(MetricsTest, SameSeriesReturnsSameObject) {
  MetricsRegistry r;
  auto fam = r.CounterFamily("t_total", "h", {"x"});
  EXPECT_EQ(&fam.WithLabels({"1"}), &r.CounterFamily("t_total", "h", {"x"}).WithLabels({"1"}));
  EXPECT_NE(&fam.WithLabels({"1"}), &fam.WithLabels({"2"}));
}

TEST(MetricsTest, EscapesHelpAndLabelValues) {
  MetricsRegistry r;
  r.CounterFamily("t_esc_total", "a\\b\nc \"q\"", {"v"}).WithLabels({"x\"y\\z\nw"}).Inc();
  std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("# HELP t_esc_total a\\\\b\\nc \"q\"\n"));
  EXPECT_THAT(text, HasSubstr("t_esc_total{v=\"x\\\"y\\\\z\\nw\"} 1\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInf) {
  MetricsRegistry r;
  Histogram& h = r.HistogramFamily("t_latency_seconds", "Latency.", {"m"}, {0.1, 1})
                     .WithLabels({"Get"});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(3);
  std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE t_latency_seconds histogram\n"
                              "t_latency_seconds_bucket{m=\"Get\",le=\"0.1\"} 2\n"
                              "t_latency_seconds_bucket{m=\"Get\",le=\"1\"} 3\n"
                              "t_latency_seconds_bucket{m=\"Get\",le=\"+Inf\"} 4\n"
                              "t_latency_seconds_sum{m=\"Get\"} 3.65\n"
                              "t_latency_seconds_count{m=\"Get\"} 4\n"));
}

TEST(MetricsTest, DefaultBucketsAreIncreasing) {
  const auto& b = DefaultLatencyBuckets();
  ASSERT_FALSE(b.empty());
  for (size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]);
}

TEST(MetricsTest, CallbackGaugeEvaluatedAtScrapeAndRemovedWithHandle) {
  MetricsRegistry r;
  double lag = 1;
  CallbackHandle h = r.CallbackGauge("t_lag", "Lag.", {"topic"}, {"orders"}, [&] { return lag; });
  EXPECT_THAT(r.Render(), HasSubstr("t_lag{topic=\"orders\"} 1\n"));
  lag = 42;
  EXPECT_THAT(r.Render(), HasSubstr("t_lag{topic=\"orders\"} 42\n"));
  h.Reset();
  EXPECT_THAT(r.Render(), Not(HasSubstr("t_lag")));
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry r;
  Counter& c = r.CounterFamily("t_conc_total", "h").WithLabels();
  Histogram& h = r.HistogramFamily("t_conc_seconds", "h").WithLabels();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Inc();
        h.Observe(0.002);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000);
  EXPECT_EQ(h.Read().cumulative.back(), 40000u);
}

TEST(MetricsDeathTest, MismatchedReRegistrationAborts) {
  MetricsRegistry r;
  r.CounterFamily("t_dup", "h");
  EXPECT_DEATH(r.GaugeFamily("t_dup", "h"), "re-registered");
  EXPECT_DEATH(r.CounterFamily("bad-name", "h"), "invalid metric name");
  EXPECT_DEATH(r.CounterFamily("t_dup", "h").WithLabels({"extra"}), "label values");
}

TEST(MetricsHttpServerTest, ServesMetricsAndHealthz) {
  MetricsRegistry r;
  r.CounterFamily("t_http_total", "h").WithLabels().Inc();
  std::atomic<bool> healthy{true};
  MetricsHttpServer server(&r, [&] { return healthy.load(); });
  ASSERT_TRUE(server.Start(0, "127.0.0.1").ok());
  ASSERT_GT(server.port(), 0);
  std::string resp = HttpGet(server.port(), "/metrics");
  EXPECT_THAT(resp, HasSubstr("200 OK"));
  EXPECT_THAT(resp, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(resp, HasSubstr("t_http_total 1\n"));
  EXPECT_THAT(HttpGet(server.port(), "/healthz"), HasSubstr("200 OK"));
  healthy = false;
  EXPECT_THAT(HttpGet(server.port(), "/healthz"), HasSubstr("503"));
  EXPECT_THAT(HttpGet(server.port(), "/nope"), HasSubstr("404"));
  EXPECT_FALSE(server.Start(0).ok());
  server.Stop();
  server.Stop();
  EXPECT_EQ(server.port(), 0);
}

}  // namespace
}  // namespace revisit
