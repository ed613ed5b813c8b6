// ComplaintCommands (complaint_commands.h): read-decide-commit under a request_id.
#include "services/complaint/edge/complaint_commands.h"

#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/status.h"

namespace revisit::complaint {
namespace {

void SetComplaintField(google::protobuf::Message* response, const v1::Complaint& c) {
  const auto* field = response->GetDescriptor()->FindFieldByName("complaint");
  response->GetReflection()->MutableMessage(response, field)->CopyFrom(c);
}

}  // namespace

ComplaintCommands::ComplaintCommands(const ComplaintConfig& config, ComplaintStore& store,
                                     const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status ComplaintCommands::Mutate(const std::string& method,
                                       const google::protobuf::Message& request,
                                       const std::string& request_id,
                                       const std::string& complaint_id,
                                       google::protobuf::Message* response, const Decider& decide) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(complaint_id, "cmp", "complaint_id"));
  std::function<absl::Status(WriteBatch&, google::protobuf::Message*)> run =
      [&](WriteBatch& batch, google::protobuf::Message* resp) -> absl::Status {
    ASSIGN_OR_RETURN(StoredComplaint before, store_.Get(complaint_id));
    ASSIGN_OR_RETURN(Effects e, decide(before));
    store_.Stage(batch, before, e, clock_.Now());
    SetComplaintField(resp, e.complaint);
    return absl::OkStatus();
  };
  return RunIdempotent<google::protobuf::Message>(store_.redis(), RequestKey(shard, method, request_id),
                                                  config_.idempotency_ttl, request, response, run);
}

}  // namespace revisit::complaint
