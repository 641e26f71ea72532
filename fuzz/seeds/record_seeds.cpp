// Seeds of the sealed-record, visit and FHIR harnesses: a record sealed to a fresh envelope
// key, visit payloads with and without FHIR, and FHIR resources of a few shapes.
#include "crypto/sealed_record.h"
#include "crypto/visit.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

const char* const kFhirResources[][2] = {
    {"observation",
     R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org",)"
     R"("code":"8867-4","display":"Heart rate"}]},"valueQuantity":{"value":72.5,"unit":"/min"}})"},
    {"condition", R"({"resourceType":"Condition","clinicalStatus":{"text":"active"},"code":{"text":"asthma"},)"
                  R"("onsetDateTime":"2026-11-01","note":[{"text":"wheeze \u00e9 \n"}]})"},
    {"bundle", R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":)"
               R"("Observation","status":"final","valueBoolean":true}},{"resource":{"resourceType":)"
               R"("MedicationStatement","status":"active","dosage":[{"text":"2x daily"}]}}]})"},
    {"contained", R"({"resourceType":"Encounter","status":"finished","contained":[{"resourceType":)"
                  R"("Observation","id":"o1","valueInteger":-3}],"length":{"value":1e2}})"},
};

}  // namespace

void write_record_seeds(const SeedWriter& out) {
  for (const auto& [name, text] : kFhirResources) {
    require(crypto::make_visit("2026-11-24T09:30:00Z", "x", std::string(text)).ok(),
            "seed FHIR " + std::string(name) + " is refused");
    out.write("fhir", name, std::string_view(text));
  }
  auto plain = crypto::make_visit("2026-11-24T09:30:00+01:00", "Influenza A; rest and fluids", std::nullopt);
  auto with_fhir = crypto::make_visit("2026-11-24T09:30:00.250Z", "asthma follow-up", std::string(kFhirResources[2][1]));
  require(plain.ok() && with_fhir.ok(), "seed visits are refused");
  auto plain_payload = crypto::encode_visit(plain.value());
  auto fhir_payload = crypto::encode_visit(with_fhir.value());
  require(plain_payload.ok() && fhir_payload.ok(), "seed visits do not encode");
  out.write("visit_payload", "plain", plain_payload.value().span());
  out.write("visit_payload", "with_fhir", fhir_payload.value().span());

  auto key = crypto::EnvelopePrivateKey::generate();
  require(key.ok(), "cannot make an envelope key");
  crypto::SerialNumber serial{};
  serial.fill(0x42);
  auto sealed = crypto::seal_record(plain.value(), serial, key.value().public_key());
  require(sealed.ok(), "cannot seal the seed record");
  out.write("sealed_record_json", "plain", crypto::sealed_record_to_json(sealed.value()));
}

}  // namespace hc::seeds
