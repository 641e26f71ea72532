// A ctgrind-style probe of the constant-time scalar multiplications, run under Valgrind's
// memcheck by check_ct_valgrind.py: the scalar's bytes are marked undefined (memcheck's
// "uninitialised"), so memcheck reports every conditional branch, conditional move and
// memory address that depends on them; the result is marked defined again before it is used
// (declassified), because the output is allowed to depend on the scalar.
//
// usage: ct_valgrind_probe CASE
//   g2_mul_secret      G2::mul_secret (four-dimensional GLS)        expected: no report
//   g2_gls4_scalar     its base-|x| split and signed recoding alone  expected: no report
//   g1_mul_secret      G1::mul_secret (GLV)                          expected: no report
//   control_vartime    G2::mul_public (wNAF, variable time)          expected: reports
// The control case shows that the method sees a scalar-dependent branch at all.
// Exit status 0 after the case ran (memcheck's own exit code says whether it reported),
// 2 on a usage error.
#include <valgrind/memcheck.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fp_kernels.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/scalar_mul_gls4.h"

namespace {

using hc::bls12_381::Fr;
using hc::bls12_381::G1;
using hc::bls12_381::G2;

// Deterministic, well-spread scalars (no RNG: nothing but the code under test runs).
Fr scalar(std::uint64_t seed) {
  std::array<std::uint8_t, 64> wide{};
  std::uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
  for (auto& b : wide) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    b = static_cast<std::uint8_t>(s);
  }
  return Fr::from_wide_bytes(hc::ByteSpan(wide.data(), wide.size()));
}

template <class T>
void make_secret(T& v) {
  VALGRIND_MAKE_MEM_UNDEFINED(&v, sizeof(v));
}

template <class T>
void declassify(T& v) {
  VALGRIND_MAKE_MEM_DEFINED(&v, sizeof(v));
}

// The scalars: 0, 1, r - 1 and a few spread ones.
std::array<Fr, 6> scalars() {
  return {Fr::zero(), Fr::one(), -Fr::one(), scalar(1), scalar(2), scalar(3)};
}

int run_g2_mul_secret() {
  const G2 q = G2::generator().mul_public(scalar(99));
  int identities = 0;
  for (Fr k : scalars()) {
    make_secret(k);
    G2 r = q.mul_secret(k);
    declassify(r);
    identities += r.is_identity() ? 1 : 0;
  }
  std::printf("g2_mul_secret: 6 scalars, %d identity result(s)\n", identities);
  return identities == 1 ? 0 : 1;  // only k = 0
}

int run_g2_gls4_scalar() {
  std::uint64_t sum = 0;
  for (const Fr& s : scalars()) {
    std::uint64_t limbs[4];
    hc::bls12_381::fr_detail::to_canonical(s, limbs);
    make_secret(limbs);
    std::uint64_t parts[4];
    hc::bls12_381::gls4_split_scalar(limbs, parts);
    std::int64_t digits[4][hc::bls12_381::kGls4DigitCount<5>];
    for (int m = 0; m < 4; ++m) {
      hc::bls12_381::gls4_recode_signed(parts[m], 5, hc::bls12_381::kGls4DigitCount<5>, digits[m]);
    }
    declassify(digits);
    for (const auto& row : digits) {
      for (std::int64_t d : row) sum += static_cast<std::uint64_t>(d);
    }
  }
  std::printf("g2_gls4_scalar: 6 scalars split and recoded (digit sum %llu)\n",
              static_cast<unsigned long long>(sum));
  return 0;
}

int run_g1_mul_secret() {
  const G1 p = G1::generator().mul_public(scalar(98));
  int identities = 0;
  for (Fr k : scalars()) {
    make_secret(k);
    G1 r = p.mul_secret(k);
    declassify(r);
    identities += r.is_identity() ? 1 : 0;
  }
  std::printf("g1_mul_secret: 6 scalars, %d identity result(s)\n", identities);
  return identities == 1 ? 0 : 1;
}

int run_control_vartime() {
  const G2 q = G2::generator().mul_public(scalar(97));
  Fr k = scalar(4);
  make_secret(k);
  G2 r = q.mul_public(k);
  declassify(r);
  std::printf("control_vartime: done (identity %d)\n", r.is_identity() ? 1 : 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc == 2 ? argv[1] : "";
  std::printf("Fp kernel: %s\n", hc::bls12_381::fp_kernel_active().name);
  if (which == "g2_mul_secret") return run_g2_mul_secret();
  if (which == "g2_gls4_scalar") return run_g2_gls4_scalar();
  if (which == "g1_mul_secret") return run_g1_mul_secret();
  if (which == "control_vartime") return run_control_vartime();
  std::fprintf(stderr,
               "ct_valgrind_probe: error: expected one case: g2_mul_secret, g2_gls4_scalar, "
               "g1_mul_secret or control_vartime\n");
  return 2;
}
