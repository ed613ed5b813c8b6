// Any Kafka record (key, value, headers split from the input) into an event envelope:
// a status naming the bad header, never a crash; a parsed envelope re-encodes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/event_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  revisit::RawRecord r;
  r.topic = "revisit.order.v1";
  // Input: "name=value" lines become headers, up to a blank line; the rest is the value.
  size_t pos = 0;
  while (pos < in.size()) {
    size_t nl = in.find('\n', pos);
    if (nl == std::string::npos) nl = in.size();
    std::string line = in.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) break;
    size_t eq = line.find('=');
    r.headers.emplace_back(line.substr(0, eq), eq == std::string::npos ? "" : line.substr(eq + 1));
  }
  if (pos < in.size()) r.value = in.substr(pos);
  r.key = r.value.substr(0, r.value.size() % 17);
  auto e = revisit::ParseRecord(r);
  if (e.ok()) {
    (void)revisit::ValidateEnvelope(*e);
    (void)revisit::EnvelopeHeaders(*e);
  }
  return 0;
}
