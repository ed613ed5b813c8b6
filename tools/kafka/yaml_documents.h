// ParseDocuments / LoadDocuments: the one yaml-cpp code path of the Kafka tools'
// manifest readers (TopicSpecs, UserSpecs): splits a multi-document YAML text at lines
// that are exactly "---", skips empty documents, hands each to `of` with where =
// "<origin> document <n>", and turns every yaml-cpp exception (syntax errors,
// conversions) into INVALID_ARGUMENT, so no exception leaves the readers. Each
// document goes through YAML::Load: yaml-cpp 0.7's LoadAll loops forever on some
// malformed texts (found by fuzz/kafka_manifests_fuzzer; seed regression-loadall-hang).
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT with the origin; NOT_FOUND when a file cannot be read.
#ifndef REVISIT_TOOLS_KAFKA_YAML_DOCUMENTS_H_
#define REVISIT_TOOLS_KAFKA_YAML_DOCUMENTS_H_

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace revisit::kafka {

// The node at `path` below `node`, or a null node when any step is missing or not a
// map (yaml-cpp throws on indexing an absent child's children).
inline YAML::Node At(const YAML::Node& node, std::initializer_list<const char*> path) {
  YAML::Node cur = node;
  for (const char* key : path) {
    if (!cur.IsMap() || !cur[key]) return YAML::Node(YAML::NodeType::Null);
    cur.reset(cur[key]);  // operator= would overwrite the node itself
  }
  return cur;
}

// The scalar at `path`, or `fallback` when it is missing or not a scalar (yaml-cpp
// turns a null node into the string "null").
inline std::string ScalarAt(const YAML::Node& node, std::initializer_list<const char*> path,
                            const std::string& fallback = "") {
  YAML::Node n = At(node, path);
  return n.IsScalar() ? n.Scalar() : fallback;
}

// The documents of a multi-document text: the parts between lines that are "---".
inline std::vector<std::string> SplitDocuments(const std::string& yaml) {
  std::vector<std::string> docs(1);
  size_t pos = 0;
  while (pos < yaml.size()) {
    size_t nl = yaml.find('\n', pos);
    size_t end = nl == std::string::npos ? yaml.size() : nl + 1;
    std::string line = yaml.substr(pos, end - pos);
    if (line == "---\n" || line == "---" || line == "---\r\n") {
      docs.emplace_back();
    } else {
      docs.back() += line;
    }
    pos = end;
  }
  return docs;
}

template <typename T>
using DocumentReader = std::function<absl::StatusOr<T>(const YAML::Node&, const std::string&)>;

template <typename T>
absl::StatusOr<std::vector<T>> ParseDocuments(const std::string& yaml, const std::string& origin,
                                              const DocumentReader<T>& of) {
  std::vector<YAML::Node> docs;
  for (const std::string& text : SplitDocuments(yaml)) {
    try {  // yaml-cpp reports syntax errors by exception; none escapes this function.
      docs.push_back(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, " document ", docs.size() + 1, ": ", e.what()));
    }
  }
  std::vector<T> out;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;
    std::string where = absl::StrCat(origin, " document ", i + 1);
    absl::StatusOr<T> item;
    try {
      item = of(docs[i], where);
    } catch (const YAML::Exception& e) {
      item = absl::InvalidArgumentError(absl::StrCat(where, ": ", e.what()));
    }
    if (!item.ok()) return item.status();
    out.push_back(*std::move(item));
  }
  return out;
}

template <typename T>
absl::StatusOr<std::vector<T>> LoadDocuments(const std::string& path, const DocumentReader<T>& of) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("kafka manifests: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseDocuments<T>(text.str(), path, of);
}

}  // namespace revisit::kafka

#endif  // REVISIT_TOOLS_KAFKA_YAML_DOCUMENTS_H_
