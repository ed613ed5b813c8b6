#include "tools/broker/broker_options.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace revisit {
namespace {

absl::StatusOr<TopicSpec> ParseTopicSpec(absl::string_view item) {
  std::vector<std::string> parts = absl::StrSplit(item, ':');
  TopicSpec spec{std::string(absl::StripAsciiWhitespace(parts[0])), 1};
  bool bad = spec.name.empty() || parts.size() > 2;
  if (!bad && parts.size() == 2) {
    bad = !absl::SimpleAtoi(parts[1], &spec.partitions) || spec.partitions < 1 ||
          spec.partitions > 1000;
  }
  if (bad) return absl::InvalidArgumentError(absl::StrCat("bad topic spec '", item, "'"));
  return spec;
}

}  // namespace

absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(const std::string& text) {
  std::vector<TopicSpec> specs;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::StatusOr<TopicSpec> spec = ParseTopicSpec(item);
    if (!spec.ok()) return spec.status();
    specs.push_back(*std::move(spec));
  }
  if (specs.empty()) return absl::InvalidArgumentError("no topics");
  return specs;
}

absl::StatusOr<BrokerOptions> ParseBrokerArgs(const std::vector<std::string>& args,
                                              const std::optional<std::string>& env_topics) {
  BrokerOptions options;
  std::optional<std::string> topics = env_topics;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag != "--brokers" && flag != "--topics" && flag != "--bootstrap-file" &&
        flag != "--specs") {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", flag));
    }
    if (i + 1 == args.size()) return absl::InvalidArgumentError(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--topics") {
      topics = value;
    } else if (flag == "--bootstrap-file") {
      options.bootstrap_file = value;
    } else if (flag == "--specs") {
      options.specs_dir = value;
    } else if (!absl::SimpleAtoi(value, &options.brokers) || options.brokers < 1 ||
               options.brokers > 16) {
      return absl::InvalidArgumentError("--brokers must be 1..16, got " + value);
    }
  }
  if (!topics.has_value()) return options;
  absl::StatusOr<std::vector<TopicSpec>> specs = ParseTopicSpecs(*topics);
  if (!specs.ok()) return specs.status();
  options.topics = *std::move(specs);
  return options;
}

}  // namespace revisit
