// Fuzzes the FHIR check of make_visit (a FHIR file is read by `hc record seal`/`submit` from a
// hospital's systems). An accepted resource is stored in canonical form, which must itself be
// accepted unchanged, and the whole visit must survive its payload encoding.
#include <string>

#include "check.h"
#include "crypto/visit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string fhir(reinterpret_cast<const char*>(data), size);
  auto visit = hc::crypto::make_visit("2026-11-24T09:30:00Z", "checked", std::move(fhir));
  if (!visit.ok()) return 0;
  HC_FUZZ_CHECK(visit.value().fhir_json.has_value());
  const std::string canonical = *visit.value().fhir_json;
  auto again = hc::crypto::make_visit("2026-11-24T09:30:00Z", "checked", canonical);
  HC_FUZZ_CHECK(again.ok() && again.value() == visit.value());
  auto payload = hc::crypto::encode_visit(visit.value());
  HC_FUZZ_CHECK(payload.ok());
  auto decoded = hc::crypto::decode_visit(payload.value().span());
  HC_FUZZ_CHECK(decoded.ok() && decoded.value() == visit.value());
  return 0;
}
