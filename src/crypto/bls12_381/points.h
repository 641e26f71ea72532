// Library-internal bridges between the public G1/G2/GT/Fr types and the field and curve
// types, plus the endomorphisms and subgroup checks used by decoding.
// Thread-safety: pure functions; constants are computed once, thread-safely.
#pragma once

#include <cstring>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/curve.h"
#include "crypto/bls12_381/fp12.h"

namespace hc::bls12_381 {

static_assert(sizeof(Proj<Fp>) == sizeof(G1Repr));
static_assert(sizeof(Proj<Fp2>) == sizeof(G2Repr));
static_assert(sizeof(Fp12) == sizeof(GTRepr));

inline Proj<Fp> to_proj(const G1& p) {
  Proj<Fp> r;
  std::memcpy(&r, &p.repr(), sizeof(r));
  return r;
}
inline Proj<Fp2> to_proj(const G2& p) {
  Proj<Fp2> r;
  std::memcpy(&r, &p.repr(), sizeof(r));
  return r;
}
inline G1 to_g1(const Proj<Fp>& p) {
  G1 r;
  std::memcpy(&r.repr(), &p, sizeof(p));
  return r;
}
inline G2 to_g2(const Proj<Fp2>& p) {
  G2 r;
  std::memcpy(&r.repr(), &p, sizeof(p));
  return r;
}
inline Fp12 to_fp12(const GT& g) {
  Fp12 r;
  std::memcpy(&r, &g.repr(), sizeof(r));
  return r;
}
inline GT to_gt(const Fp12& f) {
  GT r;
  std::memcpy(&r.repr(), &f, sizeof(f));
  return r;
}

// Eigenvalues used by the GLV / GLS scalar multiplications (little-endian limbs):
// x^2 - 1 for phi on G1 and x^2 for psi^2 on G2, x = -0xd201000000010000.
inline constexpr std::uint64_t kLambda[2] = {0x00000000ffffffffULL, 0xac45a4010001a402ULL};
inline constexpr std::uint64_t kXSquared[2] = {0x0000000100000000ULL, 0xac45a4010001a402ULL};

// G1 endomorphism phi(x, y) = (beta x, y), beta the cube root of unity for which phi acts
// on G1 as multiplication by lambda = x^2 - 1 (x the curve parameter).
Proj<Fp> g1_phi(const Proj<Fp>& p);
// G2 endomorphism psi = untwist o Frobenius o twist; acts on G2 as multiplication by x.
Proj<Fp2> g2_psi(const Proj<Fp2>& p);
// psi^2 = psi o psi: (X : Y : Z) -> (n_x X : n_y Y : Z) with the norms n_x, n_y (in Fp) of
// psi's two constants, since conj(conj(a) c) c = a N(c): four Fp products instead of the
// four Fp2 products of psi applied twice. Acts on G2 as multiplication by x^2.
Proj<Fp2> g2_psi2(const Proj<Fp2>& p);

// Prime-order subgroup membership of points already known to be on the curve (Scott 2021:
// [x^2]P == -phi^2(P) on G1, psi(Q) == [x]Q on G2; Jacobian chains of jacobian.h).
// Constant time in the point (decoding also reads secret points).
bool g1_in_subgroup(const Proj<Fp>& p);
bool g2_in_subgroup(const Proj<Fp2>& q);
// G1::from_compressed without the subgroup test (every other check and message the same):
// for g1_from_compressed_batch_vartime, which tests membership for many points at once.
Result<Proj<Fp>> g1_decompress_on_curve(ByteSpan bytes48);
// Reference checks [r]P == O, slower; used by the tests to validate the fast ones.
bool g1_in_subgroup_slow(const Proj<Fp>& p);
bool g2_in_subgroup_slow(const Proj<Fp2>& q);

// GT membership of an Fp12 value (Scott 2021, section 6): f != 0, f in the cyclotomic
// subgroup (f^(p^4) f == f^(p^2), i.e. f^Phi12(p) = 1), and f^p == f^x. Within the cyclotomic
// subgroup the last test holds exactly on GT because gcd(p - x, Phi12(p)) = r (p = x mod r).
// f^x by compressed squarings (fp12_compressed.h). Variable time (public values; nothing
// secret is ever decoded as a GT element). The slow reference checks f != 0 and f^r == 1.
bool gt_in_subgroup(const Fp12& f);
bool gt_in_subgroup_slow(const Fp12& f);

}  // namespace hc::bls12_381
