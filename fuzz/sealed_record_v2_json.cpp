// Fuzzes sealed_record_v2_from_json (version-2 sealed-record files, which travel between
// people like version 1's). An accepted record must print to JSON that reads back as the same
// record, and printing is a fixed point.
#include <string>
#include <string_view>

#include "check.h"
#include "crypto/sealed_record_v2.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = hc::crypto::sealed_record_v2_from_json(text);
  if (!record.ok()) return 0;
  const std::string printed = hc::crypto::sealed_record_v2_to_json(record.value());
  auto again = hc::crypto::sealed_record_v2_from_json(printed);
  HC_FUZZ_CHECK(again.ok() && again.value() == record.value());
  HC_FUZZ_CHECK(hc::crypto::sealed_record_v2_to_json(again.value()) == printed);
  return 0;
}
