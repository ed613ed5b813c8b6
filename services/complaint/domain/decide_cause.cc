// Decider for the real cause (C4) and where it leads (C11).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/complaint/domain/decide_internal.h"

namespace revisit::complaint {

namespace {

// C11: quality causes to each SKU's supplier, attitude causes to management, and the
// recurring-cause alert per SKU whose count crosses the threshold with this complaint.
void RouteCause(Effects& e, const v1::DetermineCauseRequest& req, const Policies& p, const CauseCounts& prior) {
  const v1::Complaint& c = e.complaint;
  if (IsQualityCause(req.cause())) {
    for (const std::string& sku : c.skus()) {
      v1::QualityReported ev;
      ev.set_sku(sku);
      ev.set_supplier(p.causes.SupplierOf(sku));
      ev.set_cause(req.cause());
      ev.set_note(req.note());
      Emit(e, "quality_reported", ev, req.actor());
    }
  }
  if (IsAttitudeCause(req.cause())) {
    v1::AttitudeReported ev;
    ev.set_note(req.note());
    Emit(e, "attitude_reported", ev, req.actor());
  }
  for (const std::string& sku : c.skus()) {
    auto it = prior.find(sku);
    const int before = it == prior.end() ? 0 : it->second;
    if (!CrossesThreshold(before, p.causes.threshold)) continue;
    v1::RecurringCauseDetected ev;
    ev.set_sku(sku);
    ev.set_cause(req.cause());
    ev.set_count(before + 1);
    ev.set_threshold(p.causes.threshold);
    ev.set_window_seconds(absl::ToInt64Seconds(p.causes.window));
    ev.set_supplier(p.causes.SupplierOf(sku));
    Emit(e, "recurring_cause_detected", ev, req.actor());
  }
}

}  // namespace

absl::StatusOr<Effects> DecideDetermineCause(const v1::Complaint& c, const v1::DetermineCauseRequest& req,
                                             const Policies& p, absl::Time now, const CauseCounts& prior) {
  RETURN_IF_ERROR(ValidateActor(req.actor()));
  if (req.cause() == v1::CAUSE_UNSPECIFIED || !v1::Cause_IsValid(req.cause())) {
    return absl::InvalidArgumentError("cause: required, one of the causes of C4");
  }
  RETURN_IF_ERROR(ValidateText("note", req.note(), 0, 2000));
  Effects e = Begin(c);
  RETURN_IF_ERROR(Step(e, Action::kDetermineCause, req.actor(), now,
                       absl::StrCat("cause ", v1::Cause_Name(req.cause()),
                                    req.cause() != c.stated_cause() ? " (differs from the stated cause)" : "",
                                    req.note().empty() ? "" : ": " + req.note())));
  e.complaint.set_determined_cause(req.cause());
  e.complaint.set_cause_note(req.note());
  v1::CauseDetermined ev;
  ev.set_note(req.note());
  Emit(e, "cause_determined", ev, req.actor());
  // Determined again with the same cause: already routed and counted once (C11).
  if (c.determined_cause() != req.cause()) RouteCause(e, req, p, prior);
  return Finish(c, std::move(e), p, now);
}

}  // namespace revisit::complaint
