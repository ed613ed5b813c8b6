// Any bytes as a request's text field or ID: a status, never a crash; Excerpt never
// cuts a UTF-8 sequence of valid text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/ids.h"
#include "common/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  auto points = revisit::CodePoints(s);
  (void)revisit::ValidateText("note", s, 0, 200);
  (void)revisit::ValidateRequestId(s);
  (void)revisit::ValidateId("order_id", s);
  std::string excerpt = revisit::Excerpt(s);
  if (points.has_value() && !revisit::CodePoints(excerpt).has_value()) std::abort();
  return 0;
}
