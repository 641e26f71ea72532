#include "cli/elgamal_opening_files.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "chain/genesis.h"
#include "chain/manager_opener_key.h"
#include "cli/commands.h"
#include "common/file_io.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/store.h"

namespace hc::cli {
namespace {

namespace gs = hc::groupsig;
namespace eg = hc::groupsig::elgamal;

// The genesis's opener key (its proof checked) over the BBS04 group key in `gpk_file`.
Result<eg::GroupKey> elgamal_key_of(const std::string& genesis_file, const std::filesystem::path& gpk_file) {
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(genesis_file));
  if (!genesis.manager_opener_key) {
    return invalid_input(genesis_file + " has no manager opener key (genesis version 7): its records are plain BBS04");
  }
  HC_ASSIGN_OR_RETURN(bls12_381::G1 h, chain::check_manager_opener_key(genesis));
  HC_ASSIGN_OR_RETURN(gs::GroupPublicKey gpk, gs::load_gpk(gpk_file));
  return eg::with_opener_key(eg::from_bbs04_view(gpk), h);
}

}  // namespace

bool is_elgamal_signature_file(ByteSpan signature) {
  return signature.size() >= eg::kMagic.size() &&
         std::equal(eg::kMagic.begin(), eg::kMagic.end(), signature.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

Status open_elgamal_signature(const std::string& dir, const std::string& genesis_file, ByteSpan message,
                              ByteSpan signature, const std::string& proof_out, const SecureBytes& passphrase) {
  const gs::GroupDir group(dir);
  HC_ASSIGN_OR_RETURN(eg::Signature sig, eg::decode_signature(signature));
  HC_ASSIGN_OR_RETURN(eg::GroupKey key, elgamal_key_of(genesis_file, group.gpk(sig.epoch)));
  HC_ASSIGN_OR_RETURN(gs::Registry registry, gs::load_registry(group.registry(sig.epoch)));
  HC_ASSIGN_OR_RETURN(eg::OpenerKey opener, eg::load_opener_key_file(group.elgamal_opener_key(), passphrase.span()));
  HC_RETURN_IF_ERROR(eg::check_opener_matches(opener, key)
                         .with_context(group.elgamal_opener_key().string() + " is not the genesis's opener key"));
  HC_ASSIGN_OR_RETURN(eg::Opening opening, eg::open(eg::PreparedKey(key), opener, registry, message, sig));
  HC_RETURN_IF_ERROR(write_file_atomic(proof_out, eg::encode_opening_proof(opening.proof)));
  std::printf("%s\n", opening.member.c_str());
  return Status::ok_status();
}

Status judge_elgamal_signature(const std::string& genesis_file, const std::string& gpk_file,
                               const std::string& registry_file, ByteSpan message, ByteSpan signature,
                               ByteSpan proof, const std::string& member) {
  HC_ASSIGN_OR_RETURN(eg::GroupKey key, elgamal_key_of(genesis_file, gpk_file));
  HC_ASSIGN_OR_RETURN(gs::Registry registry, gs::load_registry(registry_file));
  Result<eg::Signature> sig = eg::decode_signature(signature);
  if (!sig.ok()) return report_invalid(sig.status());
  Result<eg::OpeningProof> opening = eg::decode_opening_proof(proof);
  if (!opening.ok()) return report_invalid(opening.status());
  Status st = eg::judge(eg::PreparedKey(key), registry, message, *sig, *opening, member);
  if (!st.ok()) return report_invalid(st);
  std::printf("valid\n");
  return Status::ok_status();
}

}  // namespace hc::cli
