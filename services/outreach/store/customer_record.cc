#include "services/outreach/store/customer_record.h"

#include "common/entity.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

std::string DerivedId(const store::CustomerState& c, const store::PendingRef& ref) {
  return TouchId(c.customer_id(), static_cast<v1::Trigger>(ref.trigger()), ref.source_id());
}

}  // namespace

std::string EncodeCustomer(const store::CustomerState& customer, bool compact_form) {
  if (!compact_form) return customer.SerializeAsString();
  store::CustomerState compact = customer;
  for (auto& ref : *compact.mutable_pending())
    if (ref.touch_id() == DerivedId(customer, ref)) ref.clear_touch_id();
  return compact.SerializeAsString();
}

absl::Status DecodeCustomer(const std::string& key, const std::string& bytes,
                            store::CustomerState* customer) {
  if (absl::Status st = ParseStored(key, bytes, customer); !st.ok()) return st;
  for (auto& ref : *customer->mutable_pending())
    if (ref.touch_id().empty()) ref.set_touch_id(DerivedId(*customer, ref));
  return absl::OkStatus();
}

}  // namespace revisit::outreach
