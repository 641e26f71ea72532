// Fuzzes decode_state_changes (the state changes of a membership change's proof come from a
// node a client does not trust: chain/change_proof.h) and change_proofs_from_json on the same
// bytes read as JSON. Accepted state changes must re-encode to the input bytes; accepted proofs
// must survive the JSON round trip unchanged.
#include <nlohmann/json.hpp>

#include "chain/change_proof.h"
#include "chain/state_changes.h"
#include "check.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  hc::fuzz::decodes_canonically(
      in, [](hc::ByteSpan b) { return hc::chain::decode_state_changes(b); },
      [](const hc::chain::StateChanges& c) { return hc::chain::encode_state_changes(c); });
  const auto json = nlohmann::json::parse(in.begin(), in.end(), nullptr, false);
  if (json.is_discarded()) return 0;
  auto proofs = hc::chain::change_proofs_from_json(json);
  if (!proofs.ok()) return 0;
  auto again = hc::chain::change_proofs_from_json(hc::chain::change_proofs_to_json(proofs.value()));
  HC_FUZZ_CHECK(again.ok() && again.value() == proofs.value());
  return 0;
}
