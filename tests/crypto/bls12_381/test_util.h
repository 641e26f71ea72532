// Shared helpers for the BLS12-381 tests: vector files, hex, and GMP conversions.
#pragma once

#include <gmp.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "crypto/bls12_381/fp.h"

namespace hc::bls12_381::testing {

inline std::vector<std::uint8_t> read_vector_file(const std::string& rel) {
  // Appended step by step: GCC 12 reports a false -Warray-bounds for literal + "/" + string.
  std::string path = HC_VECTORS_DIR;
  path += '/';
  path += rel;
  std::ifstream f(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
}

inline std::string read_text_file(const std::string& rel) {
  auto v = read_vector_file(rel);
  return std::string(v.begin(), v.end());
}

// RAII wrapper for mpz_t.
struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  explicit Mpz(const char* hex) { mpz_init_set_str(v, hex, 16); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

inline void limbs_to_mpz(const std::uint64_t* l, int n, mpz_t out) {
  mpz_import(out, static_cast<std::size_t>(n), -1, sizeof(std::uint64_t), 0, 0, l);
}

inline void mpz_to_limbs(const mpz_t in, std::uint64_t* l, int n) {
  for (int i = 0; i < n; ++i) l[i] = 0;
  std::size_t count = 0;
  mpz_export(l, &count, -1, sizeof(std::uint64_t), 0, 0, in);
}

inline void fp_to_mpz(const Fp& a, mpz_t out) {
  std::uint64_t l[6];
  fp_to_canonical(a, l);
  limbs_to_mpz(l, 6, out);
}

inline Fp fp_from_mpz(const mpz_t in) {
  std::uint64_t l[6];
  mpz_to_limbs(in, l, 6);
  return fp_from_canonical(l);
}

// Deterministic pseudo-random Fp values for reproducible tests.
inline Fp random_fp(std::mt19937_64& rng) {
  std::uint64_t l[6];
  for (auto& x : l) x = rng();
  l[5] &= 0x0fffffffffffffffULL;  // < 2^380 < p
  return fp_from_canonical(l);
}

}  // namespace hc::bls12_381::testing
