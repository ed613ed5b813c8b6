#include "common/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace revisit {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

void AtomicAdd(std::atomic<double>* a, double v) {
  double cur = a->load(std::memory_order_relaxed);
  while (!a->compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

bool ValidName(const std::string& s, bool allow_colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Text-format numbers: shortest round-trip form, +Inf/-Inf/NaN spelled as Prometheus does.
std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// HELP text escapes backslash and newline; label values also escape '"'.
std::string Escape(const std::string& s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
  return out;
}

// `{a="x",b="y"}` (empty when there are no labels), with an optional extra label.
std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra_name = "", const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"", Escape(values[i], true), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : ",", extra_name, "=\"", extra_value, "\"");
  }
  return out.empty() ? out : "{" + out + "}";
}

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

void Counter::Inc(double v) {
  if (v > 0) AtomicAdd(&value_, v);
}

void Gauge::Inc(double v) { AtomicAdd(&value_, v); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;  // le: v <= bound
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(&sum_, v);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

const std::vector<double>& DefaultLatencyBuckets() {
  static const auto* kBuckets = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *kBuckets;
}

CallbackHandle& CallbackHandle::operator=(CallbackHandle&& other) noexcept {
  if (this != &other) {
    Reset();
    remove_ = std::move(other.remove_);
    other.remove_ = nullptr;
  }
  return *this;
}

void CallbackHandle::Reset() {
  if (remove_) {
    auto remove = std::move(remove_);
    remove_ = nullptr;
    remove();
  }
}

struct MetricFamily::Series {
  Counter counter;
  Gauge gauge;
  std::unique_ptr<Histogram> histogram;
};

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type,
                           std::vector<std::string> label_names, std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      buckets_(std::move(buckets)) {
  if (!ValidName(name_, true)) Die("invalid metric name '" + name_ + "'");
  for (const auto& l : label_names_) {
    if (!ValidName(l, false) || l.rfind("__", 0) == 0 || (type_ == MetricType::kHistogram && l == "le")) {
      Die("invalid label name '" + l + "' in " + name_);
    }
  }
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (!std::isfinite(buckets_[i]) || (i > 0 && buckets_[i] <= buckets_[i - 1])) {
      Die("histogram buckets must be finite and increasing in " + name_);
    }
  }
}

MetricFamily::~MetricFamily() = default;

void MetricFamily::CheckArity(const std::vector<std::string>& values) const {
  if (values.size() != label_names_.size()) {
    Die(absl::StrCat(name_, ": got ", values.size(), " label values for ", label_names_.size(),
                     " labels"));
  }
}

MetricFamily::Series& MetricFamily::Get(const std::vector<std::string>& values) {
  CheckArity(values);
  auto& slot = series_[values];
  if (!slot) {
    slot = std::make_unique<Series>();
    if (type_ == MetricType::kHistogram) slot->histogram = std::make_unique<Histogram>(buckets_);
  }
  return *slot;
}

Counter& MetricFamily::CounterWithLabels(const std::vector<std::string>& values) {
  if (type_ != MetricType::kCounter) Die(name_ + " is not a counter");
  absl::MutexLock lock(&mu_);
  return Get(values).counter;
}

Gauge& MetricFamily::GaugeWithLabels(const std::vector<std::string>& values) {
  if (type_ != MetricType::kGauge) Die(name_ + " is not a gauge");
  absl::MutexLock lock(&mu_);
  return Get(values).gauge;
}

Histogram& MetricFamily::HistogramWithLabels(const std::vector<std::string>& values) {
  if (type_ != MetricType::kHistogram) Die(name_ + " is not a histogram");
  absl::MutexLock lock(&mu_);
  return *Get(values).histogram;
}

CallbackHandle MetricFamily::AddCallback(const std::vector<std::string>& values,
                                         std::function<double()> fn) {
  if (type_ != MetricType::kGauge) Die(name_ + ": callbacks need a gauge family");
  CheckArity(values);
  absl::MutexLock lock(&mu_);
  uint64_t id = next_callback_id_++;
  callbacks_[id] = {values, std::move(fn)};
  return CallbackHandle([this, id] {
    absl::MutexLock lock(&mu_);
    callbacks_.erase(id);
  });
}

void MetricFamily::Render(std::string* out) const {
  absl::MutexLock lock(&mu_);
  if (series_.empty() && callbacks_.empty()) return;
  absl::StrAppend(out, "# HELP ", name_, " ", Escape(help_, false), "\n");
  absl::StrAppend(out, "# TYPE ", name_, " ", TypeName(type_), "\n");
  for (const auto& [values, s] : series_) {
    if (type_ == MetricType::kCounter) {
      absl::StrAppend(out, name_, LabelText(label_names_, values), " ",
                      FormatValue(s->counter.Value()), "\n");
    } else if (type_ == MetricType::kGauge) {
      absl::StrAppend(out, name_, LabelText(label_names_, values), " ",
                      FormatValue(s->gauge.Value()), "\n");
    } else {
      Histogram::Snapshot snap = s->histogram->Read();
      for (size_t i = 0; i < snap.cumulative.size(); ++i) {
        std::string le = i < snap.bounds.size() ? FormatValue(snap.bounds[i]) : "+Inf";
        absl::StrAppend(out, name_, "_bucket", LabelText(label_names_, values, "le", le), " ",
                        snap.cumulative[i], "\n");
      }
      std::string labels = LabelText(label_names_, values);
      absl::StrAppend(out, name_, "_sum", labels, " ", FormatValue(snap.sum), "\n");
      absl::StrAppend(out, name_, "_count", labels, " ", snap.cumulative.back(), "\n");
    }
  }
  for (const auto& [id, cb] : callbacks_) {
    absl::StrAppend(out, name_, LabelText(label_names_, cb.first), " ", FormatValue(cb.second()),
                    "\n");
  }
}

MetricFamily* MetricsRegistry::Family(const std::string& name, const std::string& help,
                                      MetricType type, const std::vector<std::string>& label_names,
                                      const std::vector<double>& buckets) {
  absl::MutexLock lock(&mu_);
  auto& slot = families_[name];
  if (!slot) {
    slot = std::make_unique<MetricFamily>(name, help, type, label_names, buckets);
  } else if (slot->type() != type || slot->label_names() != label_names ||
             slot->buckets() != buckets) {
    Die("metric " + name + " re-registered with another type, labels or buckets");
  }
  return slot.get();
}

TypedFamily<Counter> MetricsRegistry::CounterFamily(const std::string& name,
                                                    const std::string& help,
                                                    const std::vector<std::string>& labels) {
  return TypedFamily<Counter>(Family(name, help, MetricType::kCounter, labels, {}));
}

TypedFamily<Gauge> MetricsRegistry::GaugeFamily(const std::string& name, const std::string& help,
                                                const std::vector<std::string>& labels) {
  return TypedFamily<Gauge>(Family(name, help, MetricType::kGauge, labels, {}));
}

TypedFamily<Histogram> MetricsRegistry::HistogramFamily(const std::string& name,
                                                        const std::string& help,
                                                        const std::vector<std::string>& labels,
                                                        const std::vector<double>& buckets) {
  return TypedFamily<Histogram>(Family(name, help, MetricType::kHistogram, labels, buckets));
}

CallbackHandle MetricsRegistry::CallbackGauge(const std::string& name, const std::string& help,
                                              const std::vector<std::string>& label_names,
                                              const std::vector<std::string>& label_values,
                                              std::function<double()> fn) {
  return Family(name, help, MetricType::kGauge, label_names, {})
      ->AddCallback(label_values, std::move(fn));
}

std::string MetricsRegistry::Render() const {
  std::vector<const MetricFamily*> families;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, f] : families_) families.push_back(f.get());
  }
  std::string out;
  for (const MetricFamily* f : families) f->Render(&out);
  return out;
}

MetricsRegistry& Metrics() {
  static auto* registry = new MetricsRegistry();
  return *registry;
}

}  // namespace revisit
