// Decider for remedies carried out by people (C9: never "as a note"): a repair moves
// ITEM_RECEIVED → REPAIRED → RETURNED, a gift is SHIPPED; the last stage resolves.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/proto_time.h"
#include "services/complaint/domain/decide_internal.h"
#include "services/complaint/domain/execution_plan.h"

namespace revisit::complaint {

namespace {

// The stages of `kind` in order; the last one means done.
std::vector<v1::FulfilmentStage> StagesOf(v1::RemedyKind kind) {
  if (kind == v1::REMEDY_KIND_REPAIR) {
    return {v1::FULFILMENT_STAGE_ITEM_RECEIVED, v1::FULFILMENT_STAGE_REPAIRED, v1::FULFILMENT_STAGE_RETURNED};
  }
  if (kind == v1::REMEDY_KIND_GIFT) return {v1::FULFILMENT_STAGE_SHIPPED};
  return {};
}

// Position of `stage` in `stages`; -1 when absent (UNSPECIFIED: before the first).
int IndexOf(const std::vector<v1::FulfilmentStage>& stages, v1::FulfilmentStage stage) {
  for (size_t i = 0; i < stages.size(); ++i) {
    if (stages[i] == stage) return static_cast<int>(i);
  }
  return -1;
}

absl::Status CheckStage(const v1::Complaint& c, const v1::RecordFulfilmentRequest& req) {
  if (c.state() != v1::COMPLAINT_STATE_EXECUTING || !c.has_fulfilment()) {
    return absl::FailedPreconditionError(absl::StrCat("complaint is ", StateName(c.state()),
                                                      ": no repair or gift being carried out (C9)"));
  }
  const auto stages = StagesOf(c.fulfilment().kind());
  const int next = IndexOf(stages, req.stage());
  if (next < 0) {
    return absl::InvalidArgumentError(absl::StrCat("stage: ", v1::FulfilmentStage_Name(req.stage()),
                                                   " is not a stage of ",
                                                   v1::RemedyKind_Name(c.fulfilment().kind()), " (C9)"));
  }
  if (next <= IndexOf(stages, c.fulfilment().stage())) {
    return absl::FailedPreconditionError(absl::StrCat("stage: ", v1::FulfilmentStage_Name(req.stage()),
                                                      " is not after the current stage ",
                                                      v1::FulfilmentStage_Name(c.fulfilment().stage())));
  }
  const bool last = next + 1 == static_cast<int>(stages.size());
  if (last && req.reference().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("reference: required for ", v1::FulfilmentStage_Name(req.stage()),
                                                   " (carrier and tracking number, C9)"));
  }
  return absl::OkStatus();
}

}  // namespace

bool AwaitsFulfilment(const v1::Complaint& c) {
  if (c.state() != v1::COMPLAINT_STATE_EXECUTING || !c.has_fulfilment()) return false;
  const auto stages = StagesOf(c.fulfilment().kind());
  return stages.empty() || c.fulfilment().stage() != stages.back();
}

absl::StatusOr<Effects> DecideRecordFulfilment(const v1::Complaint& c, const v1::RecordFulfilmentRequest& req,
                                               const Policies& p, absl::Time now) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  RETURN_IF_ERROR(ValidateText("reference", req.reference(), 0, 200));
  if (req.stage() == v1::FULFILMENT_STAGE_UNSPECIFIED || !v1::FulfilmentStage_IsValid(req.stage())) {
    return absl::InvalidArgumentError("stage: required, a stage of the repair or gift (C9)");
  }
  RETURN_IF_ERROR(CheckStage(c, req));
  Effects e = Begin(c);
  const std::string stage = v1::FulfilmentStage_Name(req.stage());
  RETURN_IF_ERROR(Step(e, Action::kRecordFulfilment, req.actor(), now,
                       absl::StrCat(stage, req.reference().empty() ? "" : ": " + req.reference(), " (C9)")));
  v1::Fulfilment* f = e.complaint.mutable_fulfilment();
  f->set_stage(req.stage());
  f->set_reference(req.reference());
  *f->mutable_updated_at() = ToProto(now);
  v1::FulfilmentRecorded ev;
  *ev.mutable_fulfilment() = *f;
  Emit(e, "fulfilment_recorded", ev, req.actor());
  if (!AwaitsFulfilment(e.complaint)) {
    MeetDeadline(e.complaint, kFulfilment, now);
    RETURN_IF_ERROR(internal::Resolve(e, req.actor(), p, now));
  }
  return Finish(c, std::move(e), p, now);
}

}  // namespace revisit::complaint
