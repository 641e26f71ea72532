// Seeds of the trustee harnesses: a DKG deal and a complaint under the harness's fixed setting
// (4 trustees with keys k*G, threshold 3, epoch 1), a decryption share, and a version-2 sealed
// record file.
#include "crypto/sealed_record_v2.h"
#include "crypto/serial_number.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

namespace t = crypto::threshold;

crypto::P256Point times_g(std::uint64_t k) { return crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(k)); }

// The first byte chooses the message kind in fuzz/threshold_dkg.cpp: odd a deal, even a complaint.
Bytes with_kind(std::uint8_t kind, const Bytes& message) {
  Bytes out{kind};
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

}  // namespace

void write_threshold_seeds(const SeedWriter& out) {
  t::DkgParams params;
  params.epoch = 1;
  params.threshold = 3;
  for (std::uint64_t k = 1; k <= 4; ++k) params.trustee_keys.push_back(times_g(k));
  auto deal = t::make_deal(params, 1);
  require(deal.ok(), "cannot make a DKG deal");
  const Bytes deal_bytes = t::encode_deal(params, *deal);
  require(t::decode_deal(params, deal_bytes).ok(), "the seed deal does not decode");
  out.write("threshold_dkg", "deal", with_kind(1, deal_bytes));
  t::DkgDeal legacy = *deal;  // the legacy form (no ephemeral proofs) of older chains
  legacy.box_proofs.clear();
  const Bytes legacy_bytes = t::encode_deal(params, legacy);
  require(t::decode_deal(params, legacy_bytes).ok(), "the seed legacy deal does not decode");
  out.write("threshold_dkg", "deal_legacy", with_kind(1, legacy_bytes));
  auto complaint = t::make_complaint(params, *deal, 2, crypto::P256Scalar::from_u64(2));
  require(complaint.ok(), "cannot make a DKG complaint");
  const Bytes complaint_bytes = t::encode_complaint(params, *complaint);
  require(t::decode_complaint(params, complaint_bytes).ok(), "the seed complaint does not decode");
  out.write("threshold_dkg", "complaint", with_kind(0, complaint_bytes));

  t::AccessKeyPublic key;
  key.epoch = 1;
  key.threshold = 1;
  key.group_key = times_g(5);
  key.key_id = crypto::access_key_id(key.group_key);
  key.public_shares = {times_g(5)};
  auto share = t::make_decryption_share(key, 1, crypto::P256Scalar::from_u64(5), t::RequestId{}, times_g(7));
  require(share.ok(), "cannot make a decryption share");
  const Bytes share_bytes = t::encode_decryption_share(*share);
  require(t::decode_decryption_share(share_bytes).ok(), "the seed decryption share does not decode");
  out.write("threshold_decryption_share", "share", share_bytes);

  const SecureBytes pseudonym_key(std::string_view("0123456789abcdef0123456789abcdef"));
  auto serial = crypto::compute_serial(pseudonym_key.span(), "ada lovelace", "AB-1815");
  auto visit = crypto::make_visit("2026-11-24T09:30:00Z", "seed visit", std::nullopt);
  require(serial.ok() && visit.ok(), "cannot make the seed visit");
  auto sealed = crypto::seal_record_v2(*visit, *serial, key.group_key);
  require(sealed.ok(), "cannot seal a version-2 record");
  const std::string json = crypto::sealed_record_v2_to_json(*sealed);
  require(crypto::sealed_record_v2_from_json(json).ok(), "the seed v2 record does not read back");
  out.write("sealed_record_v2_json", "record", std::string_view(json));
}

}  // namespace hc::seeds
