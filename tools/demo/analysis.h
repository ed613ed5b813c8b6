// Analysis: what the event streams say about the loop, read straight from the topics
// (assigned from the beginning, like revisit-tail; deduplicated on ce_id), plus the
// figures that only the services' read APIs know (loyalty tiers and classes, campaign
// stats against holdout).
// Thread-safety: plain data plus functions; not shared between threads.
#ifndef REVISIT_TOOLS_DEMO_ANALYSIS_H_
#define REVISIT_TOOLS_DEMO_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/event_envelope.h"

namespace revisit::demo {

struct Percentiles {
  int64_t n = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;  // domain time
};

struct Campaign {
  std::string name;
  int64_t scheduled = 0, sent = 0, suppressed = 0, feedback = 0;
  int64_t treated = 0, treated_revisits = 0, holdout = 0, holdout_revisits = 0;
  double revisit_rate = 0, holdout_rate = 0, lift = 0;
};

struct Analysis {
  int64_t events = 0, duplicates = 0;
  std::map<std::string, int64_t> by_type;  // ce_type -> count
  // The loop funnel, each a distinct count.
  int64_t orders_created = 0, shipped = 0, shipped_late = 0, delivered = 0, completed = 0,
          refunded = 0, feedback_scheduled = 0, feedback_sent = 0, feedback_answered = 0,
          low_ratings = 0, complaints = 0, complaints_from_rating = 0, resolved = 0,
          followup_scheduled = 0, followed_up = 0, closed = 0, revisits = 0,
          revisit_customers = 0, repeat_customers = 0, customers = 0;
  std::map<int, int64_t> ratings;              // 1..5 -> count
  std::map<std::string, int64_t> causes;       // determined cause -> count
  std::map<std::string, int64_t> remedies;     // accepted remedy kind -> count
  int64_t sla_first_total = 0, sla_first_breached = 0, sla_resolution_breached = 0;
  int64_t sla_first_met = 0;
  Percentiles ack_latency;                      // opened -> acknowledged
  Percentiles delivered_to_feedback;            // order.delivered -> touch_scheduled (feedback)
  Percentiles resolved_to_followup;             // complaint.resolved -> touch_scheduled (follow-up)
  std::vector<std::pair<std::string, int64_t>> orders_per_week;  // "week n" -> orders
  std::map<std::string, int64_t> touches_by_trigger;             // sent
  std::vector<std::string> campaign_names;  // seen on touch_scheduled
  // From the services' read APIs.
  std::map<std::string, int64_t> tiers, classes;
  std::vector<Campaign> campaigns;
};

// Reads every event on the four topics at `bootstrap`, stopping at the end of every
// partition, keeping those keyed by one of `customers` (all when empty: a stack used
// before the demo keeps its older events). Error text in *error on failure.
bool ReadStreams(const std::string& bootstrap, const std::vector<std::string>& customers, Analysis* a,
                 std::string* error);

// Pure: folds events (already deduplicated or not) into an Analysis.
void Analyze(const std::vector<EventEnvelope>& events, Analysis* a);

// Pure: p50/p99 of values in milliseconds.
Percentiles Summarize(std::vector<double> ms);

}  // namespace revisit::demo

#endif  // REVISIT_TOOLS_DEMO_ANALYSIS_H_
