// BBS04-ElGamal: the value types and constants of BBS04 with ElGamal tracing.
//
// BBS04 (types.h) hides the signer's A under a linear encryption (T1, T2, T3) = (u^alpha,
// v^beta, A h^(alpha+beta)) that the opener removes with two secrets xi1, xi2. On BLS12-381,
// where DDH is believed hard in G1 (the XDH assumption), Boneh-Boyen-Shacham note that ElGamal
// suffices: (T1, T2) = (u^alpha, A h^alpha) with ONE opener secret xi, h = u^xi. One secret
// shared by Shamir's scheme is what a distributed key generation among trustees produces
// (crypto/threshold/opener_dkg_*.h), so this variant is the one that trustees can open.
// Issuance and revocation are BBS04's unchanged (g1, g2, w, the registry); only the tracing
// part differs. Docs: docs/groupsig.md, "BBS04-ElGamal". Plain values, thread-safe to read;
// types holding secrets wipe them on destruction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/groupsig/params.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig::elgamal {

// Domain tags: every hash of this variant has its own, distinct from BBS04's.
inline constexpr std::string_view kDstSignChallenge = "HC-GROUPSIG-BBS04-ELGAMAL-SIGN-CHALLENGE-V1";
inline constexpr std::string_view kDstOpenProof = "HC-GROUPSIG-BBS04-ELGAMAL-OPEN-PROOF-V1";
inline constexpr std::string_view kDstGroupKeyDigest = "HC-GROUPSIG-BBS04-ELGAMAL-GPK-DIGEST-V1";
inline constexpr std::string_view kDstMessageDigest = "HC-GROUPSIG-BBS04-ELGAMAL-MESSAGE-DIGEST-V1";
inline constexpr std::string_view kDstSignatureDigest = "HC-GROUPSIG-BBS04-ELGAMAL-SIGNATURE-DIGEST-V1";

// Encodings: "HCGE" | kind (u8) | version (u8) | fields (elgamal_encoding.h). The group key
// and the opening proof are at version 1; the signature is at version 2 (the commitment form,
// which verify_batch can check in batches); version 1 signatures (the challenge form) no
// longer decode.
inline constexpr std::string_view kMagic = "HCGE";
inline constexpr std::uint8_t kEncodingVersion = 1;
inline constexpr std::uint8_t kSignatureEncodingVersion = 2;
enum class Kind : std::uint8_t {
  kGroupKey = 1,
  kSignature = 2,
  kOpeningProof = 3,
  kOpenerSecret = 4,  // a single opener's xi, inside a key file (elgamal_opener_key_proof.h)
};
inline constexpr std::size_t kHeaderBytes = 6;
// sigma proper: 4 compressed G1 points (T1, T2, R1, R2), R3 in GT's canonical 576-byte
// form, and 3 scalars.
inline constexpr std::size_t kGtBytes = 576;
inline constexpr std::size_t kSignatureCoreBytes = 4 * kG1Bytes + kGtBytes + 3 * kFrBytes;  // 864
inline constexpr std::size_t kSignatureBytes = kHeaderBytes + kEpochBytes + kSignatureCoreBytes;  // 878
inline constexpr std::size_t kGroupKeyBytes = kHeaderBytes + kEpochBytes + 3 * kG1Bytes + 2 * kG2Bytes;  // 350

// The group public key of one epoch: w = g2^gamma (the issuer's), h = u^xi (the opener's,
// or the trustees' jointly generated key).
struct GroupKey {
  std::uint64_t epoch = 0;
  G1 g1;
  G2 g2;
  G1 h;
  G1 u;
  G2 w;
};

// A member's signing key: A^(gamma + x) = g1 of the key's epoch.
struct MemberKey {
  std::string name;
  GroupKey gpk;
  G1 a;
  Fr x;
  ~MemberKey() { x.wipe(); }
};

// The single opener's secret (h = u^xi); in trustees mode nobody holds it whole.
struct OpenerKey {
  Fr xi;
  ~OpenerKey() { xi.wipe(); }
};

// sigma = (T1, T2, R1, R2, R3, s_alpha, s_x, s_delta) plus its epoch: the ElGamal
// ciphertext T1 = u^alpha, T2 = A h^alpha, and a Fiat-Shamir proof in commitment form: the
// commitments R1..R3 and the responses s = r + c * secret, where the challenge
// c = sign_challenge(...) is recomputed by the verifier (elgamal_challenge.h). With
// delta = x alpha and the signer's blinding values r_alpha, r_x, r_delta:
//   R1 = u^r_alpha, R2 = T1^r_x u^-r_delta, R3 = e(T2, g2)^r_x e(h, w)^-r_alpha e(h, g2)^-r_delta.
struct Signature {
  std::uint64_t epoch = 0;
  G1 t1;
  G1 t2;
  G1 r1;
  G1 r2;
  GT r3;
  Fr s_alpha;
  Fr s_x;
  Fr s_delta;
};

// A Chaum-Pedersen proof (c, z) that log_g(a) = log_h(b) (g1_dleq.h).
struct DleqProof {
  Fr c;
  Fr z;
};

// The single opener's proof that `member` made a signature: log_u(h) = log_T1(T2 / A).
struct OpeningProof {
  std::uint64_t epoch = 0;
  std::string member;
  DleqProof proof;
};

}  // namespace hc::groupsig::elgamal
