#include "common/caller_identity.h"

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace revisit {
namespace {

constexpr absl::string_view kPrefix = "spiffe://revisit/";
const std::array<absl::string_view, 6> kRoles = {"service", "agent",    "supervisor",
                                                    "manager", "platform", "operator"};

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> Property(const grpc::AuthContext& context, const char* name,
                                    bool spiffe_only) {
  for (const grpc::string_ref& v : context.FindPropertyValues(name)) {
    std::string s(v.data(), v.size());
    if (!spiffe_only || absl::StartsWith(s, "spiffe://")) return s;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<CallerIdentity> CallerIdentity::Parse(absl::string_view id) {
  if (!absl::StartsWith(id, kPrefix)) {
    return absl::UnauthenticatedError(
        absl::StrCat("caller identity \"", id, "\": must start with ", kPrefix));
  }
  absl::string_view rest = id.substr(kPrefix.size());
  size_t slash = rest.find('/');
  if (slash == absl::string_view::npos) {
    return absl::UnauthenticatedError(
        absl::StrCat("caller identity \"", id, "\": must be ", kPrefix, "<role>/<name>"));
  }
  absl::string_view role = rest.substr(0, slash), name = rest.substr(slash + 1);
  bool known = false;
  for (auto r : kRoles) known = known || r == role;
  if (!known) {
    return absl::UnauthenticatedError(absl::StrCat(
        "caller identity \"", id,
        "\": role must be one of service, agent, supervisor, manager, platform, operator"));
  }
  if (!ValidName(name)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "caller identity \"", id, "\": name must be 1..64 of [A-Za-z0-9._-]"));
  }
  return CallerIdentity(std::string(role), std::string(name));
}

absl::StatusOr<CallerIdentity> CallerIdentity::FromAuthContext(const grpc::AuthContext& context) {
  std::optional<std::string> id = Property(context, "peer_spiffe_id", false);
  if (!id) id = Property(context, "x509_subject_alternative_name", true);
  if (!id) {
    return absl::UnauthenticatedError(
        "no client certificate with a spiffe://revisit/... URI SAN on this connection");
  }
  return Parse(*id);
}

common::v1::Actor CallerIdentity::ToActor() const {
  common::v1::Actor actor;
  actor.set_id(name_);
  actor.set_role(is_service() ? "system" : role_);
  return actor;
}

}  // namespace revisit
