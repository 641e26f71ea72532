// BBS04 group signatures: the value types shared by every algorithm of the module.
//
// Notation follows Boneh, Boyen, Shacham, "Short Group Signatures" (CRYPTO 2004): the group
// public key (g1, g2, h, u, v, w) with w = g2^gamma, member keys (A_i, x_i) with
// A_i^(gamma + x_i) = g1, the opener's (xi1, xi2) with u^xi1 = v^xi2 = h. Group operations are
// written additively in code (A + B, k * P) and multiplicatively in comments (A B, P^k).
// Every key carries the epoch it belongs to; a revocation starts a new epoch (revocation.h).
// Types holding secrets wipe their scalars on destruction. Plain values: thread-safe to read.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/bls12_381/bls12_381.h"

namespace hc::groupsig {

using bls12_381::Fr;
using bls12_381::G1;
using bls12_381::G2;
using bls12_381::GT;

using Digest32 = std::array<std::uint8_t, 32>;

// The group public key of one epoch.
struct GroupPublicKey {
  std::uint64_t epoch = 0;
  G1 g1;
  G2 g2;
  G1 h;
  G1 u;
  G1 v;
  G2 w;  // g2^gamma
};

// A member's signing key for one epoch: A^(gamma + x) = g1 of that epoch.
struct MemberKey {
  std::string name;
  GroupPublicKey gpk;  // the epoch's public key (a member signs with it)
  G1 a;
  Fr x;
  ~MemberKey() { x.wipe(); }
};

// The opener's tracing key: u^xi1 = v^xi2 = h. Valid for every epoch (h, u, v never change).
struct OpenerKey {
  Fr xi1;
  Fr xi2;
  ~OpenerKey() {
    xi1.wipe();
    xi2.wipe();
  }
};

// What the issuer remembers about a member it enrolled (x is needed to revoke it).
struct IssuedMember {
  std::string name;
  Fr x;
  bool revoked = false;
  ~IssuedMember() { x.wipe(); }
};

// The issuer's secret state: gamma and every member ever enrolled, in enrollment order.
struct IssuerKey {
  Fr gamma;
  std::vector<IssuedMember> members;
  ~IssuerKey() { gamma.wipe(); }
};

// The public registry of one epoch: the active members and their A_i, sorted by name.
struct RegistryEntry {
  std::string name;
  G1 a;
};
struct Registry {
  std::uint64_t epoch = 0;
  std::vector<RegistryEntry> entries;
};

// sigma = (T1, T2, T3, c, s_alpha, s_beta, s_x, s_delta1, s_delta2) plus its epoch.
struct Signature {
  std::uint64_t epoch = 0;
  G1 t1;
  G1 t2;
  G1 t3;
  Fr c;
  Fr s_alpha;
  Fr s_beta;
  Fr s_x;
  Fr s_delta1;
  Fr s_delta2;
};

// The opener's proof that `member` (whose registry value is A) made a given signature:
// a Schnorr proof of xi1, xi2 with u^xi1 = h, v^xi2 = h and T1^xi1 T2^xi2 = T3 / A.
struct OpeningProof {
  std::uint64_t epoch = 0;
  std::string member;
  Fr c;
  Fr s_xi1;
  Fr s_xi2;
};

// Revocation of one member; starts epoch `new_epoch` = old epoch + 1. Publishes the revoked
// key (A*, x*) and g2' = g2^(1/(gamma + x*)); the new key is g1' = A*, w' = g2 / g2'^x*.
struct RevocationRecord {
  std::uint64_t new_epoch = 0;
  Digest32 old_gpk_digest{};
  std::string member;
  G1 a_star;
  Fr x_star;
  G2 g2_new;
};

}  // namespace hc::groupsig
