// Run-time selection of the Fp product kernel, and the pointers every Fp product, Fp square,
// Fp2 product and Fp2 square is called through (fp_detail::g_fp_mul, g_fp_sqr, g_fp2_mul,
// g_fp2_sqr; the inline fp_mul_into, fp_sqr_into, fp2_mul_into and fp2_sqr_into of fp.h and
// fp2.h load them).
//
// Dispatch is one indirect call through an atomic pointer. The pointer starts at a resolver
// (constant initialisation, so products computed by other files' static constructors are
// safe); the first call picks the kernel, stores it and forwards, later calls go straight
// to the kernel.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crypto/bls12_381/fp.h"
#include "crypto/bls12_381/fp2.h"
#include "crypto/bls12_381/fp_kernels.h"

namespace hc::bls12_381 {

namespace {

using mont::u64;

// Not inlined into the Fp2 product: one copy of the 6-limb CIOS code called three times is
// faster than three inlined copies (register spills; see docs/bls12_381.md).
__attribute__((noinline)) void fp_portable_mul(u64 r[6], const u64 a[6], const u64 b[6]) {
  mont::mul<6>(r, a, b, fp_detail::kP, fp_detail::kC.inv);
}

void fp_portable_sqr(u64 r[6], const u64 a[6]) {
  mont::mul<6>(r, a, a, fp_detail::kP, fp_detail::kC.inv);
}

// Karatsuba: c0 = a0 b0 - a1 b1, c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1.
void fp_portable_fp2_mul(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6],
                         const u64 b0[6], const u64 b1[6]) {
  const u64* p = fp_detail::kP;
  u64 t0[6], t1[6], sa[6], sb[6], t2[6];
  fp_portable_mul(t0, a0, b0);
  fp_portable_mul(t1, a1, b1);
  mont::add_mod<6>(sa, a0, a1, p);
  mont::add_mod<6>(sb, b0, b1, p);
  fp_portable_mul(t2, sa, sb);
  mont::sub_mod<6>(t2, t2, t0, p);
  mont::sub_mod<6>(r1, t2, t1, p);
  mont::sub_mod<6>(r0, t0, t1, p);
}

// (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u, every operand reduced mod p.
void fp_portable_fp2_sqr(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6]) {
  const u64* p = fp_detail::kP;
  u64 s[6], d[6], t[6];
  mont::add_mod<6>(s, a0, a1, p);
  mont::sub_mod<6>(d, a0, a1, p);
  fp_portable_mul(t, a0, a1);
  fp_portable_mul(r0, s, d);
  mont::add_mod<6>(r1, t, t, p);
}

constexpr FpKernel kFpPortableKernel = {"portable", &fp_portable_mul, &fp_portable_sqr,
                                        &fp_portable_fp2_mul, &fp_portable_fp2_sqr};

const FpKernel& fp_kernel_select() {
  const FpKernel* adx = fp_kernel_adx();
  const FpKernel* automatic = adx != nullptr ? adx : &kFpPortableKernel;
  const char* forced = std::getenv("HC_BLS12_381_FP_KERNEL");
  if (forced == nullptr || std::strcmp(forced, "auto") == 0) return *automatic;
  if (std::strcmp(forced, "portable") == 0) return kFpPortableKernel;
  if (std::strcmp(forced, "adx") == 0 && adx != nullptr) return *adx;
  std::fprintf(stderr,
               "hc: warning: HC_BLS12_381_FP_KERNEL=%.16s is not available here (portable, "
               "adx or auto); using %s\n",
               forced, automatic->name);
  return *automatic;
}

std::atomic<const FpKernel*> g_fp_kernel{nullptr};

const FpKernel& fp_kernel_resolve() {
  const FpKernel* k = g_fp_kernel.load(std::memory_order_acquire);
  if (k == nullptr) {
    k = &fp_kernel_select();
    g_fp_kernel.store(k, std::memory_order_release);
  }
  return *k;
}

void fp_mul_resolve(u64 r[6], const u64 a[6], const u64 b[6]);
void fp_sqr_resolve(u64 r[6], const u64 a[6]);
void fp2_mul_resolve(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6], const u64 b0[6],
                     const u64 b1[6]);
void fp2_sqr_resolve(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6]);

}  // namespace

namespace fp_detail {
constinit std::atomic<FpMulFn> g_fp_mul{&fp_mul_resolve};
constinit std::atomic<FpSqrFn> g_fp_sqr{&fp_sqr_resolve};
constinit std::atomic<Fp2MulFn> g_fp2_mul{&fp2_mul_resolve};
constinit std::atomic<Fp2SqrFn> g_fp2_sqr{&fp2_sqr_resolve};
}  // namespace fp_detail

namespace {

using fp_detail::g_fp2_mul;
using fp_detail::g_fp2_sqr;
using fp_detail::g_fp_mul;
using fp_detail::g_fp_sqr;

void fp_mul_resolve(u64 r[6], const u64 a[6], const u64 b[6]) {
  const FpKernel& k = fp_kernel_resolve();
  g_fp_mul.store(k.mul, std::memory_order_relaxed);
  k.mul(r, a, b);
}

void fp_sqr_resolve(u64 r[6], const u64 a[6]) {
  const FpKernel& k = fp_kernel_resolve();
  g_fp_sqr.store(k.sqr, std::memory_order_relaxed);
  k.sqr(r, a);
}

void fp2_mul_resolve(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6], const u64 b0[6],
                     const u64 b1[6]) {
  const FpKernel& k = fp_kernel_resolve();
  g_fp2_mul.store(k.fp2_mul, std::memory_order_relaxed);
  k.fp2_mul(r0, r1, a0, a1, b0, b1);
}

void fp2_sqr_resolve(u64 r0[6], u64 r1[6], const u64 a0[6], const u64 a1[6]) {
  const FpKernel& k = fp_kernel_resolve();
  g_fp2_sqr.store(k.fp2_sqr, std::memory_order_relaxed);
  k.fp2_sqr(r0, r1, a0, a1);
}

}  // namespace

const FpKernel& fp_kernel_portable() { return kFpPortableKernel; }

const FpKernel& fp_kernel_active() { return fp_kernel_resolve(); }

}  // namespace hc::bls12_381
