#include "services/complaint/domain/cause_routing.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace revisit::complaint {

std::string CauseRouting::SupplierOf(const std::string& sku) const {
  auto it = suppliers.find(sku);
  return it == suppliers.end() ? "" : it->second;
}

bool IsQualityCause(v1::Cause cause) { return cause == v1::CAUSE_QUALITY_DEFECT; }

bool IsAttitudeCause(v1::Cause cause) { return cause == v1::CAUSE_STAFF_ATTITUDE; }

bool CrossesThreshold(int prior, int threshold) { return threshold > 0 && prior < threshold && prior + 1 >= threshold; }

absl::StatusOr<std::map<std::string, std::string>> ParseSuppliers(absl::string_view text) {
  std::map<std::string, std::string> out;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    const std::string sku(absl::StripAsciiWhitespace(kv.first));
    const std::string supplier(absl::StripAsciiWhitespace(kv.second));
    if (sku.empty() || supplier.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("'", entry, "' is not SKU=supplier"));
    }
    if (sku.size() > 64 || supplier.size() > 128) {
      return absl::InvalidArgumentError(absl::StrCat("'", entry, "': SKU at most 64, supplier at most 128 characters"));
    }
    if (!out.emplace(sku, supplier).second) {
      return absl::InvalidArgumentError(absl::StrCat("SKU ", sku, " has two suppliers"));
    }
  }
  return out;
}

}  // namespace revisit::complaint
