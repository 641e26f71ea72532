// Benchmarks of the BLS12-381 library: field, group, pairing and GT operations, on fixed
// seeded inputs. Compare with blst figures in docs/bls12_381.md (same machine class).
// The Fp kernel is chosen at run time (fp_kernels.h); HC_BLS12_381_FP_KERNEL=portable|adx
// forces one, and bench/bls12_381_fp_kernels.py runs both in interleaved rounds.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fp12.h"
#include "crypto/bls12_381/fp_kernels.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "crypto/bls12_381/scalar_mul_gls4.h"

namespace hc::bls12_381 {
namespace {

Fr seeded_scalar(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::array<std::uint8_t, 64> wide;
  for (auto& b : wide) b = static_cast<std::uint8_t>(rng());
  return Fr::from_wide_bytes(wide);
}

Fp seeded_fp(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uint64_t l[6];
  for (auto& x : l) x = rng();
  l[5] &= 0x0fffffffffffffffULL;
  return fp_from_canonical(l);
}

void BM_FpMul(benchmark::State& st) {
  Fp a = seeded_fp(1), b = seeded_fp(2);
  for (auto _ : st) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FpMul);

void BM_FpSqr(benchmark::State& st) {
  Fp a = seeded_fp(1);
  for (auto _ : st) {
    a = fp_sqr(a);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FpSqr);

// The cost of the run-time dispatch, in place (a *= b writes a through a temporary that the
// caller copies with 16-byte moves, which cannot forward from the kernel's 8-byte stores, so
// BM_FpMul includes a store-forwarding stall): BM_FpMulInPlace goes through the dispatch
// (one indirect jump through the atomic pointer), BM_FpMulKernelPointer calls the same
// kernel through a pointer loaded once before the loop.
void BM_FpMulInPlace(benchmark::State& st) {
  Fp a = seeded_fp(1), b = seeded_fp(2);
  for (auto _ : st) {
    fp_mul_into(a, a, b);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FpMulInPlace);

void BM_FpMulKernelPointer(benchmark::State& st) {
  Fp a = seeded_fp(1), b = seeded_fp(2);
  const auto mul = fp_kernel_active().mul;
  for (auto _ : st) {
    mul(a.l, a.l, b.l);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FpMulKernelPointer);

// Independent products (a throughput figure): four chains interleaved.
void BM_FpMulFourChains(benchmark::State& st) {
  Fp a[4] = {seeded_fp(1), seeded_fp(5), seeded_fp(6), seeded_fp(7)};
  Fp b = seeded_fp(2);
  for (auto _ : st) {
    for (Fp& x : a) x = x * b;
    benchmark::DoNotOptimize(a);
  }
  st.SetItemsProcessed(4 * st.iterations());
}
BENCHMARK(BM_FpMulFourChains);

void BM_FpInverse(benchmark::State& st) {
  Fp a = seeded_fp(3);
  for (auto _ : st) benchmark::DoNotOptimize(fp_inverse(a));
}
BENCHMARK(BM_FpInverse);

void BM_FpInverseVartime(benchmark::State& st) {
  Fp a = seeded_fp(3);
  for (auto _ : st) benchmark::DoNotOptimize(fp_inverse_vartime(a));
}
BENCHMARK(BM_FpInverseVartime);

void BM_Fp12Mul(benchmark::State& st) {
  GT e = pairing(G1::generator(), G2::generator());
  Fp12 a = to_fp12(e), b = to_fp12(e.square());
  for (auto _ : st) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp12Mul);

void BM_Fp2Mul(benchmark::State& st) {
  Fp2 a{seeded_fp(1), seeded_fp(2)}, b{seeded_fp(3), seeded_fp(4)};
  for (auto _ : st) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp2Mul);

void BM_Fp2Sqr(benchmark::State& st) {
  Fp2 a{seeded_fp(1), seeded_fp(2)};
  for (auto _ : st) {
    a = fp2_sqr(a);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp2Sqr);

void BM_Fp12Sqr(benchmark::State& st) {
  Fp12 a = to_fp12(pairing(G1::generator(), G2::generator()));
  for (auto _ : st) {
    a = fp12_sqr(a);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp12Sqr);

void BM_Fp12CyclotomicSqr(benchmark::State& st) {
  Fp12 a = to_fp12(pairing(G1::generator(), G2::generator()));
  for (auto _ : st) {
    a = fp12_cyclotomic_sqr(a);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp12CyclotomicSqr);

template <class G, bool kSecret>
void BM_Mul(benchmark::State& st) {
  G p = G::generator().mul_public(seeded_scalar(4));
  Fr k = seeded_scalar(5);
  for (auto _ : st) benchmark::DoNotOptimize(kSecret ? p.mul_secret(k) : p.mul_public(k));
}
BENCHMARK(BM_Mul<G1, true>)->Name("BM_G1MulSecret")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Mul<G1, false>)->Name("BM_G1MulPublic")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Mul<G2, true>)->Name("BM_G2MulSecret")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Mul<G2, false>)->Name("BM_G2MulPublic")->Unit(benchmark::kMicrosecond);

// The constant-time G2 paths side by side in one binary, on the inputs of BM_G2MulSecret:
// the previous two-dimensional GLS (psi^2, 4-bit windows) and the four-dimensional one with
// 4- and 5-bit windows (G2::mul_secret uses 5).
enum class G2CtPath { kGls2, kGls4W4, kGls4W5 };
template <G2CtPath kPath>
void BM_G2MulCtPath(benchmark::State& st) {
  const Proj<Fp2> q = to_proj(G2::generator().mul_public(seeded_scalar(4)));
  std::uint64_t k[4];
  fr_detail::to_canonical(seeded_scalar(5), k);
  for (auto _ : st) {
    if constexpr (kPath == G2CtPath::kGls2) {
      benchmark::DoNotOptimize(mul_ct_endo(q, k, kXSquared, g2_psi2));
    } else if constexpr (kPath == G2CtPath::kGls4W4) {
      benchmark::DoNotOptimize(mul_ct_gls4<4>(q, k, g2_psi, g2_psi2));
    } else {
      benchmark::DoNotOptimize(mul_ct_gls4<5>(q, k, g2_psi, g2_psi2));
    }
  }
}
BENCHMARK(BM_G2MulCtPath<G2CtPath::kGls2>)->Name("BM_G2MulSecretGls2")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_G2MulCtPath<G2CtPath::kGls4W4>)->Name("BM_G2MulSecretGls4W4")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_G2MulCtPath<G2CtPath::kGls4W5>)->Name("BM_G2MulSecretGls4W5")->Unit(benchmark::kMicrosecond);

template <class G>
void BM_Decompress(benchmark::State& st) {
  auto bytes = G::generator().mul_public(seeded_scalar(6)).to_compressed();
  for (auto _ : st) benchmark::DoNotOptimize(G::from_compressed(bytes));
}
BENCHMARK(BM_Decompress<G1>)->Name("BM_G1DecompressChecked")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Decompress<G2>)->Name("BM_G2DecompressChecked")->Unit(benchmark::kMicrosecond);

// The same over 16 different points, per point: the Fp2 square root's work depends on the
// point (whether (c0 + s)/2 is a square in Fp), so one point can be a lucky or unlucky case.
template <class G>
void BM_DecompressMix(benchmark::State& st) {
  std::vector<decltype(G::generator().to_compressed())> encodings;
  for (int i = 0; i < 16; ++i) {
    encodings.push_back(G::generator().mul_public(seeded_scalar(300 + i)).to_compressed());
  }
  for (auto _ : st) {
    for (const auto& bytes : encodings) benchmark::DoNotOptimize(G::from_compressed(bytes));
  }
  st.SetItemsProcessed(st.iterations() * 16);  // the time shown is for all 16
}
BENCHMARK(BM_DecompressMix<G2>)->Name("BM_G2DecompressChecked16")->Unit(benchmark::kMicrosecond);

// The G1 subgroup check alone, of a decoded point (Z = 1).
void BM_G1SubgroupCheck(benchmark::State& st) {
  const Proj<Fp> p = to_proj(G1::generator().mul_public(seeded_scalar(20)));
  const Affine<Fp> a = proj_to_affine_vartime(p);
  const Proj<Fp> q = proj_from_affine(a);
  for (auto _ : st) benchmark::DoNotOptimize(g1_in_subgroup(q));
}
BENCHMARK(BM_G1SubgroupCheck)->Unit(benchmark::kMicrosecond);

// GT decoding with its membership test (the check of a batch-verifiable signature's R3).
void BM_GtDecodeChecked(benchmark::State& st) {
  const auto bytes =
      pairing(G1::generator().mul_public(seeded_scalar(21)), G2::generator()).to_bytes();
  for (auto _ : st) benchmark::DoNotOptimize(GT::from_bytes(bytes));
}
BENCHMARK(BM_GtDecodeChecked)->Unit(benchmark::kMicrosecond);

void BM_MillerLoop(benchmark::State& st) {
  const G1 ps[1] = {G1::generator().mul_public(seeded_scalar(7))};
  const G2 qs[1] = {G2::generator().mul_public(seeded_scalar(8))};
  for (auto _ : st) benchmark::DoNotOptimize(miller_loop(ps, qs));
}
BENCHMARK(BM_MillerLoop)->Unit(benchmark::kMicrosecond);

void BM_FinalExponentiation(benchmark::State& st) {
  const G1 ps[1] = {G1::generator()};
  const G2 qs[1] = {G2::generator()};
  GT f = miller_loop(ps, qs);
  for (auto _ : st) benchmark::DoNotOptimize(final_exponentiation(f));
}
BENCHMARK(BM_FinalExponentiation)->Unit(benchmark::kMicrosecond);

void BM_Pairing(benchmark::State& st) {
  G1 p = G1::generator().mul_public(seeded_scalar(9));
  G2 q = G2::generator().mul_public(seeded_scalar(10));
  for (auto _ : st) benchmark::DoNotOptimize(pairing(p, q));
}
BENCHMARK(BM_Pairing)->Unit(benchmark::kMicrosecond);

void BM_MultiPairing(benchmark::State& st) {
  std::vector<G1> ps;
  std::vector<G2> qs;
  for (int i = 0; i < st.range(0); ++i) {
    ps.push_back(G1::generator().mul_public(seeded_scalar(20 + i)));
    qs.push_back(G2::generator().mul_public(seeded_scalar(40 + i)));
  }
  for (auto _ : st) benchmark::DoNotOptimize(multi_pairing(ps, qs));
}
BENCHMARK(BM_MultiPairing)->Arg(2)->Arg(4)->Unit(benchmark::kMicrosecond);

void BM_MultiPairingPrepared(benchmark::State& st) {
  std::vector<G1> ps;
  std::vector<G2Prepared> prepared;
  for (int i = 0; i < st.range(0); ++i) {
    ps.push_back(G1::generator().mul_public(seeded_scalar(60 + i)));
    prepared.emplace_back(G2::generator().mul_public(seeded_scalar(80 + i)));
  }
  std::vector<const G2Prepared*> ptrs;
  for (const auto& p : prepared) ptrs.push_back(&p);
  for (auto _ : st) benchmark::DoNotOptimize(multi_pairing(ps, ptrs));
}
BENCHMARK(BM_MultiPairingPrepared)->Arg(2)->Arg(4)->Unit(benchmark::kMicrosecond);

template <bool kSecret>
void BM_GtPow(benchmark::State& st) {
  GT e = pairing(G1::generator(), G2::generator());
  Fr k = seeded_scalar(11);
  for (auto _ : st) benchmark::DoNotOptimize(kSecret ? e.pow_secret(k) : e.pow(k));
}
BENCHMARK(BM_GtPow<false>)->Name("BM_GtPow")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GtPow<true>)->Name("BM_GtPowSecret")->Unit(benchmark::kMicrosecond);

template <class G>
void BM_Msm(benchmark::State& st) {
  std::vector<G> pts;
  std::vector<Fr> ks;
  for (int i = 0; i < st.range(0); ++i) {
    pts.push_back(G::generator().mul_public(seeded_scalar(100 + i)));
    ks.push_back(seeded_scalar(200 + i));
  }
  for (auto _ : st) benchmark::DoNotOptimize(msm(std::span<const G>(pts), std::span<const Fr>(ks)));
}
BENCHMARK(BM_Msm<G1>)->Name("BM_G1Msm")->Arg(8)->Arg(64)->Arg(512)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hc::bls12_381

BENCHMARK_MAIN();
