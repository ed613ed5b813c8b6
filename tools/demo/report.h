// Report: one self-contained HTML page (inline CSS and SVG drawn here, no script, no
// network) showing the loop the demo drove. Section ids are stable for tests:
// summary, funnel, weekly, causes, sla, loyalty, campaigns, latency, ratings.
// Thread-safety: pure functions.
#ifndef REVISIT_TOOLS_DEMO_REPORT_H_
#define REVISIT_TOOLS_DEMO_REPORT_H_

#include <string>
#include <vector>

#include "tools/demo/analysis.h"

namespace revisit::demo {

struct RunFacts {
  int population = 0;
  int64_t customers_registered = 0, referred = 0, lapsed = 0, win_back_returns = 0,
          rpc_errors = 0;
  double simulated_days = 0;
  double scale = 1;
  double sim_wall_s = 0, total_wall_s = 0;
  std::string generated_at;
};

struct Bar {
  std::string label;
  double value = 0;
  std::string color;
  std::string note;  // shown after the value
};

// Horizontal bars, longest = full width.
std::string HorizontalBars(const std::vector<Bar>& bars, int width = 720);
// Vertical columns (a time series).
std::string Columns(const std::vector<Bar>& bars, int width = 720, int height = 200);
// A donut of shares with a legend.
std::string Donut(const std::vector<Bar>& parts, const std::string& center);
// Paired bars per campaign: treated revisit rate vs holdout revisit rate.
std::string CampaignBars(const std::vector<Campaign>& campaigns, int width = 720);

std::string RenderReport(const RunFacts& run, const Analysis& a);

std::string HtmlEscape(const std::string& s);

}  // namespace revisit::demo

#endif  // REVISIT_TOOLS_DEMO_REPORT_H_
