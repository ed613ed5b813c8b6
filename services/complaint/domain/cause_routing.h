// Where a complaint's determined cause leads (C11): quality causes to the SKU's
// supplier or manufacturer, staff attitude to management for training, and a per-SKU
// alert when one cause recurs. The settings and their parsing; the decisions are in
// DecideDetermineCause (decide_cause.cc).
// Thread-safety: CauseRouting is an immutable value after parsing; pure functions.
// Errors: ParseSuppliers returns INVALID_ARGUMENT naming the bad entry.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_CAUSE_ROUTING_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_CAUSE_ROUTING_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/complaint.pb.h"

namespace revisit::complaint {

// Per SKU: how many complaints had one cause (C11 reports, the recurring alert).
using CauseCounts = std::map<std::string, int>;

struct CauseRouting {
  // SKU -> supplier (REVISIT_COMPLAINT_SUPPLIERS). A SKU without an entry is reported
  // with an empty supplier: the supplier is unknown, the quality report still goes out.
  std::map<std::string, std::string> suppliers;
  // Complaints about one SKU with the same cause within `window` that raise the
  // recurring-cause alert (REVISIT_COMPLAINT_RECURRING_THRESHOLD); 0 = no alert.
  int threshold = 3;
  absl::Duration window = absl::Hours(24 * 30);

  // The supplier of `sku`, or "".
  std::string SupplierOf(const std::string& sku) const;
};

// True for the causes that go to the supplier or manufacturer (C11): a product
// defect. (Not as described, wrong items, transit damage are the shop's or the
// carrier's to fix.)
bool IsQualityCause(v1::Cause cause);
// True for the causes that go to management for training (C11): staff attitude.
bool IsAttitudeCause(v1::Cause cause);

// True when the complaint that brings the count for one SKU from `prior` to
// prior + 1 crosses `threshold` (so the alert goes out once per crossing).
bool CrossesThreshold(int prior, int threshold);

// "SKU=supplier,SKU=supplier" (spaces around entries ignored; empty = none).
absl::StatusOr<std::map<std::string, std::string>> ParseSuppliers(absl::string_view text);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_CAUSE_ROUTING_H_
