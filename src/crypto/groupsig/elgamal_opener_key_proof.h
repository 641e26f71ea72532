// BBS04-ElGamal: a single opener's public key h = u^xi published with a proof of knowledge of
// xi (a Schnorr proof, non-interactive by Fiat-Shamir), and the opener key's secret file.
//
// A single-manager chain of genesis version 7 publishes the manager's opener key this way
// (chain/manager_opener_key.h): the proof shows that whoever made the genesis knows xi, so
// the published h is not a key copied from elsewhere whose owner could open the records.
//
// Proof: random k; R = u^k; c = hash_to_fr(u32 len(context) | context | u | h | R,
// DST "HC-GROUPSIG-BBS04-ELGAMAL-OPENER-KEY-POK-V1") (points compressed); z = k + c xi.
// Verification recomputes R = u^z h^-c and c. The caller's context binds the proof to one
// use (the chain's). Encoding: c (32) | z (32), scalars big-endian, each < r.
//
// Key file: the groupsig key-file container (keyfile.h) of kind kElGamalOpener under the
// passphrase, public part h (compressed), secret "HCGE" | kind 4 | version 1 | xi.
// Proving is constant time in xi (nonce and c xi wiped); verification is variable time on
// public values. Pure functions, thread-safe.
#pragma once

#include <array>
#include <filesystem>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/groupsig/keyfile.h"

namespace hc::groupsig::elgamal {

inline constexpr std::string_view kDstOpenerKeyProof = "HC-GROUPSIG-BBS04-ELGAMAL-OPENER-KEY-POK-V1";
inline constexpr std::size_t kOpenerKeyProofBytes = 2 * kFrBytes;

struct OpenerKeyProof {
  Fr c;
  Fr z;
};

// A fresh opener secret xi (uniform, nonzero) and h = u^xi.
struct FreshOpener {
  OpenerKey opener;
  G1 h;
};
FreshOpener new_opener_key(const G1& u);

// `h` must be u^opener.xi (checked: HC_CHECK).
OpenerKeyProof prove_opener_key(ByteSpan context, const G1& u, const G1& h, const OpenerKey& opener);
// true only for a valid proof; an identity u or h is refused.
bool verify_opener_key(ByteSpan context, const G1& u, const G1& h, const OpenerKeyProof& proof);

std::array<std::uint8_t, kOpenerKeyProofBytes> encode_opener_key_proof(const OpenerKeyProof& proof);
// kInvalidInput for a wrong length or a scalar >= r.
Result<OpenerKeyProof> decode_opener_key_proof(ByteSpan data);

// The secret file (mode 0600, written atomically). save: kInvalidInput for a short passphrase
// (keyfile.h). load: kAuthFailed for a wrong passphrase or a modified file, kInvalidInput for
// another kind of file or a zero xi; the caller checks xi against the chain's h
// (check_opener_matches).
Status save_opener_key_file(const std::filesystem::path& file, const OpenerKey& opener, const G1& h,
                            ByteSpan passphrase, const ScryptParams& params = {});
Result<OpenerKey> load_opener_key_file(const std::filesystem::path& file, ByteSpan passphrase);

}  // namespace hc::groupsig::elgamal
