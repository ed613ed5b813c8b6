#include "tools/revisitctl/request_builder.h"

#include <memory>

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace revisit::ctl {
namespace {

using google::protobuf::FieldDescriptor;

absl::Status Bad(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError("--" + path + ": " + why);
}

absl::Status SetEnum(const std::string& path, const FieldDescriptor* f, const std::string& value,
                     google::protobuf::Message* msg) {
  const auto* e = f->enum_type();
  std::string upper = absl::AsciiStrToUpper(value);
  for (int i = 0; i < e->value_count(); ++i) {
    const std::string& name = e->value(i)->name();
    bool suffix = name.size() > upper.size() &&
                  name.compare(name.size() - upper.size(), upper.size(), upper) == 0 &&
                  name[name.size() - upper.size() - 1] == '_';
    if (name == upper || suffix) {
      msg->GetReflection()->SetEnum(msg, f, e->value(i));
      return absl::OkStatus();
    }
  }
  return Bad(path, "not a value of " + e->full_name());
}

absl::Status SetScalar(const std::string& path, const FieldDescriptor* f, const std::string& v,
                       google::protobuf::Message* msg) {
  const auto* r = msg->GetReflection();
  int64_t i = 0;
  double d = 0;
  bool b = false;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: r->SetString(msg, f, v); return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
      if (!absl::SimpleAtoi(v, &i)) return Bad(path, "must be an integer");
      r->SetInt32(msg, f, static_cast<int32_t>(i));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT64:
      if (!absl::SimpleAtoi(v, &i)) return Bad(path, "must be an integer");
      r->SetInt64(msg, f, i);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (!absl::SimpleAtod(v, &d)) return Bad(path, "must be a number");
      r->SetDouble(msg, f, d);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!absl::SimpleAtob(v, &b)) return Bad(path, "must be true or false");
      r->SetBool(msg, f, b);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_ENUM: return SetEnum(path, f, v, msg);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // Timestamps and other messages: JSON form, e.g. --signed_at=2026-01-01T00:00:00Z.
      return MergeJson("{\"" + f->json_name() + "\":" +
                           (v.empty() || v[0] == '{' || v[0] == '"' ? v : "\"" + v + "\"") + "}",
                       msg);
    default: return Bad(path, "this field type cannot be set from a flag; use --body");
  }
}

}  // namespace

absl::Status MergeJson(const std::string& json, google::protobuf::Message* msg) {
  google::protobuf::util::JsonParseOptions opts;
  std::unique_ptr<google::protobuf::Message> parsed(msg->New());
  auto st = google::protobuf::util::JsonStringToMessage(json, parsed.get(), opts);
  if (!st.ok()) return absl::InvalidArgumentError("--body: " + std::string(st.message()));
  msg->MergeFrom(*parsed);  // JSON parsing replaces; merging keeps what flags set.
  return absl::OkStatus();
}

absl::Status SetField(const std::string& path, const std::string& value,
                      google::protobuf::Message* msg) {
  std::vector<std::string> parts = absl::StrSplit(absl::StrReplaceAll(path, {{"-", "_"}}), '.');
  google::protobuf::Message* cur = msg;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto* f = cur->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return Bad(path, "no field \"" + parts[i] + "\" in " + cur->GetTypeName());
    if (f->is_repeated()) return Bad(path, "repeated field: set it with --body JSON");
    if (i + 1 == parts.size()) return SetScalar(path, f, value, cur);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return Bad(path, parts[i] + " has no sub-fields");
    cur = cur->GetReflection()->MutableMessage(cur, f);
  }
  return absl::OkStatus();
}

std::string MethodName(const std::string& text) {
  std::string out;
  bool up = true;
  for (char c : text) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out += up ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
    up = false;
  }
  return out;
}

std::string Human(const google::protobuf::Message& msg) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string out;
  printer.PrintToString(msg, &out);
  return out.empty() ? "(empty)\n" : out;
}

std::string Json(const google::protobuf::Message& msg) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(msg, &out, opts);
  return out;
}

}  // namespace revisit::ctl
