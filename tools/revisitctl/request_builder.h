// Builds a request message for revisitctl from a JSON body (protobuf JSON mapping)
// and --field=value flags, where field is a snake_case or kebab-case path of
// singular fields ("order_id", "amount.amount_minor", "actor.role"). Enum values
// take their full name or the part after the enum prefix ("quality_defect").
// Thread-safety: pure functions.
// Errors: INVALID_ARGUMENT naming the field path or the JSON problem.
#ifndef REVISIT_TOOLS_REVISITCTL_REQUEST_BUILDER_H_
#define REVISIT_TOOLS_REVISITCTL_REQUEST_BUILDER_H_

#include <string>

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace revisit::ctl {

// Merges a JSON object into `msg`.
absl::Status MergeJson(const std::string& json, google::protobuf::Message* msg);

// Sets the singular field at `path` from its text form.
absl::Status SetField(const std::string& path, const std::string& value,
                      google::protobuf::Message* msg);

// "create-order" / "create_order" / "CreateOrder" → "CreateOrder".
std::string MethodName(const std::string& text);

// Renders `msg` for people: text format with UTF-8 kept readable.
std::string Human(const google::protobuf::Message& msg);
// Renders `msg` as one line of protobuf JSON.
std::string Json(const google::protobuf::Message& msg);

}  // namespace revisit::ctl

#endif  // REVISIT_TOOLS_REVISITCTL_REQUEST_BUILDER_H_
