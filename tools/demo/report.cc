#include "tools/demo/report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace revisit::demo {
namespace {

const char* const kPalette[] = {"#2f6fdf", "#18a999", "#f2a541", "#e4572e", "#8e5ee8",
                                "#59a14f", "#b07aa1", "#76b7b2", "#9c755f"};

std::string Pct(double num, double den) {
  if (den <= 0) return "–";
  return absl::StrFormat("%.1f%%", 100.0 * num / den);
}

std::string Num(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.2f", v);
}

// Domain milliseconds as a readable duration.
std::string Dur(double ms) {
  if (ms < 1000) return absl::StrFormat("%.0f ms", ms);
  double s = ms / 1000;
  if (s < 120) return absl::StrFormat("%.1f s", s);
  if (s < 7200) return absl::StrFormat("%.1f min", s / 60);
  if (s < 172800) return absl::StrFormat("%.1f h", s / 3600);
  return absl::StrFormat("%.1f d", s / 86400);
}

std::string Tile(const std::string& label, const std::string& value, const std::string& sub) {
  return absl::StrCat("<div class=\"tile\"><div class=\"v\">", HtmlEscape(value), "</div><div class=\"l\">",
                      HtmlEscape(label), "</div><div class=\"s\">", HtmlEscape(sub), "</div></div>");
}

std::string Section(const std::string& id, const std::string& title, const std::string& lead,
                    const std::string& body) {
  return absl::StrCat("<section id=\"", id, "\"><h2>", HtmlEscape(title), "</h2><p class=\"lead\">",
                      HtmlEscape(lead), "</p>", body, "</section>\n");
}

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HorizontalBars(const std::vector<Bar>& bars, int width) {
  const int row = 30, label_w = 230, value_w = 150;
  const int bar_w = width - label_w - value_w;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  int h = row * static_cast<int>(bars.size()) + 6;
  std::string s = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      width, h, width, h);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = static_cast<int>(i) * row + 3;
    double w = max > 0 ? bar_w * b.value / max : 0;
    std::string color = b.color.empty() ? kPalette[i % 9] : b.color;
    absl::StrAppendFormat(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">%s</text>",
                          label_w - 8, y + 19, HtmlEscape(b.label));
    absl::StrAppendFormat(&s, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"22\" rx=\"3\" fill=\"%s\"/>",
                          label_w, y + 3, std::max(w, 1.0), color);
    absl::StrAppendFormat(&s, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s%s</text>", label_w + w + 6, y + 19,
                          Num(b.value), b.note.empty() ? "" : HtmlEscape("  " + b.note));
  }
  return s + "</svg>";
}

std::string Columns(const std::vector<Bar>& bars, int width, int height) {
  const int pad_l = 40, pad_b = 22, pad_t = 16;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  std::string s = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      width, height, width, height);
  int plot_h = height - pad_b - pad_t;
  absl::StrAppendFormat(&s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>", pad_l,
                        height - pad_b, width, height - pad_b);
  absl::StrAppendFormat(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"val\">%s</text>", pad_l - 4,
                        pad_t + 4, Num(max));
  if (bars.empty()) return s + "</svg>";
  double slot = static_cast<double>(width - pad_l) / bars.size();
  for (size_t i = 0; i < bars.size(); ++i) {
    double h = max > 0 ? plot_h * bars[i].value / max : 0;
    double x = pad_l + i * slot + slot * 0.12;
    absl::StrAppendFormat(&s,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s"
                          "</title></rect>",
                          x, height - pad_b - h, slot * 0.76, h, bars[i].color.empty() ? kPalette[0] : bars[i].color,
                          HtmlEscape(bars[i].label), Num(bars[i].value));
    if (bars.size() <= 26 || i % 2 == 0)
      absl::StrAppendFormat(&s, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
                            x + slot * 0.38, height - 6, HtmlEscape(bars[i].label));
  }
  return s + "</svg>";
}

std::string Donut(const std::vector<Bar>& parts, const std::string& center) {
  const double r = 70, cx = 90, cy = 90, stroke = 28;
  double total = 0;
  for (const auto& p : parts) total += p.value;
  int h = std::max(180, 24 * static_cast<int>(parts.size()) + 20);
  std::string s = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" width=\"460\" height=\"%d\" viewBox=\"0 0 460 %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      h, h);
  const double circ = 2 * M_PI * r;
  double offset = 0;
  absl::StrAppendFormat(&s, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"#eee\" stroke-width=\"%.0f\"/>",
                        cx, cy, r, stroke);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (total <= 0) break;
    double len = circ * parts[i].value / total;
    std::string color = parts[i].color.empty() ? kPalette[i % 9] : parts[i].color;
    absl::StrAppendFormat(&s,
                          "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.0f\" "
                          "stroke-dasharray=\"%.2f %.2f\" stroke-dashoffset=\"%.2f\" transform=\"rotate(-90 %.0f %.0f)\"/>",
                          cx, cy, r, color, stroke, len, circ - len, -offset, cx, cy);
    offset += len;
    absl::StrAppendFormat(&s, "<rect x=\"200\" y=\"%zu\" width=\"14\" height=\"14\" fill=\"%s\"/>", 14 + i * 24, color);
    absl::StrAppendFormat(&s, "<text x=\"222\" y=\"%zu\" class=\"lbl\">%s — %s (%s)</text>", 26 + i * 24,
                          HtmlEscape(parts[i].label), Num(parts[i].value), Pct(parts[i].value, total));
  }
  absl::StrAppendFormat(&s, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" class=\"big\">%s</text>", cx, cy + 8,
                        HtmlEscape(center));
  return s + "</svg>";
}

std::string CampaignBars(const std::vector<Campaign>& campaigns, int width) {
  const int row = 52, label_w = 200, value_w = 90;
  const int bar_w = width - label_w - value_w;
  double max = 0.0001;
  for (const auto& c : campaigns) max = std::max({max, c.revisit_rate, c.holdout_rate});
  int h = row * static_cast<int>(campaigns.size()) + 30;
  std::string s = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      width, h, width, h);
  for (size_t i = 0; i < campaigns.size(); ++i) {
    const Campaign& c = campaigns[i];
    int y = static_cast<int>(i) * row + 4;
    absl::StrAppendFormat(&s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">%s</text>", label_w - 8,
                          y + 26, HtmlEscape(c.name));
    double w1 = bar_w * c.revisit_rate / max, w2 = bar_w * c.holdout_rate / max;
    absl::StrAppendFormat(&s, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"3\" fill=\"#2f6fdf\"/>",
                          label_w, y + 4, std::max(w1, 1.0));
    absl::StrAppendFormat(&s, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%.1f%% of %lld</text>", label_w + w1 + 6,
                          y + 18, 100 * c.revisit_rate, (long long)c.treated);
    absl::StrAppendFormat(&s, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"3\" fill=\"#b9c2cf\"/>",
                          label_w, y + 25, std::max(w2, 1.0));
    absl::StrAppendFormat(&s, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s</text>", label_w + w2 + 6, y + 39,
                          c.holdout > 0 ? absl::StrFormat("%.1f%% of %lld (holdout)", 100 * c.holdout_rate,
                                                          (long long)c.holdout)
                                        : std::string("no holdout"));
  }
  int ly = h - 14;
  absl::StrAppendFormat(&s,
                        "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#2f6fdf\"/><text x=\"%d\" y=\"%d\" "
                        "class=\"tick\">touched</text><rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                        "fill=\"#b9c2cf\"/><text x=\"%d\" y=\"%d\" class=\"tick\">holdout (not touched)</text>",
                        label_w, ly - 10, label_w + 16, ly, label_w + 100, ly - 10, label_w + 116, ly);
  return s + "</svg>";
}

std::string RenderReport(const RunFacts& run, const Analysis& a) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<title>Revisit demo: the order-to-revisit loop</title><style>"
       "body{font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC',sans-serif;margin:0;"
       "background:#f5f7fa;color:#1d2733}"
       "header{background:#1d2733;color:#fff;padding:28px 40px}header h1{margin:0 0 6px;font-size:28px}"
       "header p{margin:0;color:#c9d3df}main{max-width:1180px;margin:0 auto;padding:20px 40px 60px}"
       "section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:18px 26px;"
       "margin:18px 0}h2{margin:4px 0 4px;font-size:20px}.lead{color:#5b6b7c;margin:0 0 12px}"
       ".tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{flex:1 1 120px;background:#f0f4fb;border-radius:8px;"
       "padding:12px 14px}.tile .v{font-size:26px;font-weight:700;color:#2f6fdf}.tile .l{font-weight:600}"
       ".tile .s{color:#6b7a8a;font-size:12px}.chart text{font-size:13px;fill:#1d2733}.chart .val{fill:#44505c}"
       ".chart .tick{font-size:11px;fill:#6b7a8a}.chart .big{font-size:22px;font-weight:700}"
       ".row{display:flex;flex-wrap:wrap;gap:24px}.row>div{flex:1 1 440px}"
       "table{border-collapse:collapse;margin-top:8px}td,th{padding:6px 12px;border-bottom:1px solid #e3e8ee;"
       "text-align:right}td:first-child,th:first-child{text-align:left}th{color:#5b6b7c;font-weight:600}"
       "footer{color:#6b7a8a;font-size:12px;max-width:1180px;margin:0 auto;padding:0 40px 40px}"
       "</style></head><body>\n";
  h += absl::StrFormat(
      "<header><h1>Revisit — the order-to-revisit loop, simulated</h1><p>%d customers over %.0f simulated "
      "days, driven through the public gRPC APIs in %.0f s of wall time (clock ×%.0f). Generated %s.</p></header>"
      "<main>\n",
      run.population, run.simulated_days, run.total_wall_s, run.scale, HtmlEscape(run.generated_at));

  // Summary tiles.
  std::string tiles = "<div class=\"tiles\">";
  tiles += Tile("customers", absl::StrCat(run.customers_registered),
                absl::StrCat(run.referred, " referred (L6), ", run.lapsed, " lapsed"));
  tiles += Tile("orders", absl::StrCat(a.orders_created),
                absl::StrCat(a.repeat_customers, " customers ordered more than once"));
  tiles += Tile("feedback answered", Pct(a.feedback_answered, a.feedback_sent),
                absl::StrCat(a.feedback_answered, " of ", a.feedback_sent, " requests sent"));
  tiles += Tile("complaints resolved", Pct(a.resolved, a.complaints),
                absl::StrCat(a.resolved, " of ", a.complaints, " (", a.complaints_from_rating, " from low ratings)"));
  tiles += Tile("first response in SLA", Pct(a.sla_first_met, a.sla_first_total), "C1: within 24 h (8 h / 2 h for top tiers)");
  tiles += Tile("revisits attributed", absl::StrCat(a.revisits), absl::StrCat(a.revisit_customers, " customers came back after a touch"));
  tiles += Tile("wall time", absl::StrFormat("%.0f s", run.total_wall_s),
                absl::StrFormat("simulation %.0f s, %lld RPC errors", run.sim_wall_s, (long long)run.rpc_errors));
  tiles += "</div>";
  h += Section("summary", "Population and run",
               absl::StrFormat("Population %d customers, %lld orders, %.0f simulated days, wall time %.0f s.",
                               run.population, (long long)a.orders_created, run.simulated_days, run.total_wall_s),
               tiles);

  // Funnel.
  std::vector<Bar> funnel = {
      {"shipped", static_cast<double>(a.shipped), "#2f6fdf", ""},
      {"feedback requested", static_cast<double>(a.feedback_sent), "#3f7fe8",
       Pct(a.feedback_sent, a.shipped) + " of shipped"},
      {"answered", static_cast<double>(a.feedback_answered), "#18a999",
       Pct(a.feedback_answered, a.feedback_sent) + " of requested"},
      {"complaints", static_cast<double>(a.complaints), "#f2a541", Pct(a.complaints, a.shipped) + " of shipped"},
      {"resolved", static_cast<double>(a.resolved), "#e4572e", Pct(a.resolved, a.complaints) + " of complaints"},
      {"followed up", static_cast<double>(a.followed_up), "#8e5ee8", Pct(a.followed_up, a.resolved) + " of resolved"},
      {"revisited", static_cast<double>(a.revisits), "#59a14f", "orders attributed to a touch (R12)"},
  };
  h += Section("funnel", "The loop",
               "Shipped → feedback requested (R1) → answered → complaints (direct and from low ratings, R11) → "
               "resolved (C9) → followed up (C10) → revisited (R12). Counted from the event streams.",
               HorizontalBars(funnel));

  std::vector<Bar> weeks;
  for (const auto& [w, n] : a.orders_per_week) weeks.push_back({w, static_cast<double>(n), "#2f6fdf", ""});
  h += Section("weekly", "Orders per simulated week",
               absl::StrFormat("%lld orders, %lld shipped late (O3), %lld delivered, %lld completed.",
                               (long long)a.orders_created, (long long)a.shipped_late, (long long)a.delivered,
                               (long long)a.completed),
               Columns(weeks));

  std::vector<Bar> causes, remedies;
  for (const auto& [c, n] : a.causes) causes.push_back({c, static_cast<double>(n), "", ""});
  std::sort(causes.begin(), causes.end(), [](const Bar& x, const Bar& y) { return x.value > y.value; });
  for (const auto& [c, n] : a.remedies) remedies.push_back({c, static_cast<double>(n), "", ""});
  std::sort(remedies.begin(), remedies.end(), [](const Bar& x, const Bar& y) { return x.value > y.value; });
  h += Section("causes", "Complaint causes",
               "The cause the agent determined (C4, C11), and the remedy the customer chose among those offered (C6).",
               absl::StrCat("<div class=\"row\"><div><h3>Determined cause</h3>", HorizontalBars(causes, 560),
                            "</div><div><h3>Remedy accepted</h3>", HorizontalBars(remedies, 520), "</div></div>"));

  std::vector<Bar> sla = {{"first response met", static_cast<double>(a.sla_first_met), "#18a999", ""},
                          {"first response breached", static_cast<double>(a.sla_first_breached), "#e4572e", ""}};
  h += Section(
      "sla", "SLA compliance",
      absl::StrFormat("First response within the deadline (C1) for %s of complaints; %lld resolution deadlines breached "
                      "(C7). Acknowledged after p50 %s, p99 %s (domain time).",
                      Pct(a.sla_first_met, a.sla_first_total), (long long)a.sla_resolution_breached,
                      Dur(a.ack_latency.p50_ms), Dur(a.ack_latency.p99_ms)),
      Donut(sla, Pct(a.sla_first_met, a.sla_first_total)));

  std::vector<Bar> tiers, classes;
  const char* tier_colors[] = {"#9aa5b1", "#b8c4d0", "#f2c14e", "#6d5acf"};
  int ti = 0;
  for (const char* t : {"REGULAR", "SILVER", "GOLD", "PLATINUM"}) {
    auto it = a.tiers.find(t);
    tiers.push_back({t, it == a.tiers.end() ? 0.0 : static_cast<double>(it->second), tier_colors[ti++], ""});
  }
  for (const char* c : {"A", "B", "C"}) {
    auto it = a.classes.find(c);
    classes.push_back({std::string("class ") + c, it == a.classes.end() ? 0.0 : static_cast<double>(it->second), "", ""});
  }
  int64_t profiled = 0;
  for (const auto& [k, n] : a.tiers) profiled += n;
  h += Section("loyalty", "Tiers and value classes",
               absl::StrCat("Loyalty's view of the ", profiled,
                            " customers: tier by rolling 12-month spend (L3) and ABC class by share of spend (L1)."),
               absl::StrCat("<div class=\"row\"><div>", Donut(tiers, "tiers"), "</div><div>",
                            Donut(classes, "ABC"), "</div></div>"));

  std::string ctable =
      "<table><tr><th>campaign</th><th>scheduled</th><th>sent</th><th>suppressed</th><th>feedback</th>"
      "<th>touched → revisit</th><th>holdout → revisit</th><th>lift</th></tr>";
  for (const auto& c : a.campaigns) {
    absl::StrAppendFormat(&ctable,
                          "<tr><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld/%lld (%.1f%%)</td>"
                          "<td>%lld/%lld (%.1f%%)</td><td>%+.1f pt</td></tr>",
                          HtmlEscape(c.name), (long long)c.scheduled, (long long)c.sent, (long long)c.suppressed,
                          (long long)c.feedback, (long long)c.treated_revisits, (long long)c.treated,
                          100 * c.revisit_rate, (long long)c.holdout_revisits, (long long)c.holdout,
                          100 * c.holdout_rate, 100 * c.lift);
  }
  ctable += "</table>";
  h += Section("campaigns", "Revisit rate against holdout, per campaign",
               "From outreach GetCampaignStats: customers touched by a campaign who ordered again within the "
               "attribution window, against the holdout group that was deliberately not touched (R12). "
               "Campaign counters are the stack's, so they include runs before this one.",
               CampaignBars(a.campaigns) + ctable);

  auto lat_row = [&](const char* name, const Percentiles& p) {
    return absl::StrFormat("<tr><td>%s</td><td>%lld</td><td>%s</td><td>%s</td><td>%.1f ms</td><td>%.1f ms</td></tr>",
                           name, (long long)p.n, Dur(p.p50_ms), Dur(p.p99_ms), p.p50_ms / run.scale,
                           p.p99_ms / run.scale);
  };
  h += Section("latency", "The loop's own latency",
               "From event timestamps (ce_time): how long after order.delivered the feedback request was scheduled "
               "(touch_scheduled), and after complaint.resolved the follow-up. Domain time, and the same in wall "
               "time (÷ clock scale).",
               absl::StrCat("<table><tr><th>step</th><th>n</th><th>p50 (domain)</th><th>p99 (domain)</th>"
                            "<th>p50 (wall)</th><th>p99 (wall)</th></tr>",
                            lat_row("delivered → feedback request scheduled", a.delivered_to_feedback),
                            lat_row("resolved → follow-up scheduled", a.resolved_to_followup),
                            lat_row("complaint opened → acknowledged", a.ack_latency), "</table>"));

  std::vector<Bar> ratings;
  const char* rating_colors[] = {"#e4572e", "#f28e2b", "#f2c14e", "#8cc56b", "#18a999"};
  for (int r = 5; r >= 1; --r) {
    auto it = a.ratings.find(r);
    ratings.push_back({absl::StrCat(r, " ★"), it == a.ratings.end() ? 0.0 : static_cast<double>(it->second),
                       rating_colors[r - 1], ""});
  }
  std::vector<Bar> touches;
  for (const auto& [t, n] : a.touches_by_trigger) touches.push_back({t, static_cast<double>(n), "", ""});
  std::sort(touches.begin(), touches.end(), [](const Bar& x, const Bar& y) { return x.value > y.value; });
  h += Section("ratings", "Ratings and touches",
               absl::StrFormat("%lld feedback answers; %lld low ratings (1–2 ★) opened complaints automatically (R11). "
                               "Touches sent per trigger, after caps, quiet hours and consent (R6).",
                               (long long)a.feedback_answered, (long long)a.low_ratings),
               absl::StrCat("<div class=\"row\"><div><h3>Feedback ratings</h3>", HorizontalBars(ratings, 520),
                            "</div><div><h3>Touches sent</h3>", HorizontalBars(touches, 560), "</div></div>"));
  h += absl::StrFormat(
      "</main><footer>%lld events read from revisit.order.v1, revisit.complaint.v1, revisit.outreach.v1 and "
      "revisit.loyalty.v1 (%lld duplicates dropped on ce_id). Generated by revisit-demo.</footer></body></html>\n",
      (long long)a.events, (long long)a.duplicates);
  return h;
}

}  // namespace revisit::demo
