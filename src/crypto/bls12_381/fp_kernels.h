// The Fp multiplication kernels and their run-time selection.
//
// Fp products are computed by one of two interchangeable kernels on raw Montgomery limbs:
//   - "portable": the generic CIOS product of mont.h (any 64-bit target);
//   - "adx": a 6-limb product in x86-64 inline assembly that uses MULX (BMI2) and two
//     independent carry chains (ADCX on CF, ADOX on OF), compiled for this function only
//     (the rest of the build keeps the baseline ISA), an Fp2 product built from its
//     double-width product and Montgomery reduction (lazy reduction), and an Fp2 square
//     whose two products take unreduced sums (below 2p) as their first operand.
// Both are constant time (no branch or memory index depends on the values; the final
// subtraction of p is selected by a borrow mask) and take inputs < p, returning a * b / R
// mod p fully reduced (< p), R = 2^384.
//
// Selection happens once, on the first Fp product: "adx" when CPUID reports both ADX and
// BMI2, else "portable". The environment variable HC_BLS12_381_FP_KERNEL = portable | adx |
// auto overrides it (for tests and measurements); "adx" on a CPU without it, or an unknown
// value, falls back to the automatic choice with a one-line warning on stderr.
//
// Thread-safety: the kernels are pure functions; the selection is an atomic pointer store
// of the same value by whichever thread gets there first.
#pragma once

#include <cstdint>

namespace hc::bls12_381 {

struct FpKernel {
  const char* name;  // "portable" or "adx"
  void (*mul)(std::uint64_t r[6], const std::uint64_t a[6], const std::uint64_t b[6]);
  void (*sqr)(std::uint64_t r[6], const std::uint64_t a[6]);
  // Fp2 product (r0 + r1 u) = (a0 + a1 u)(b0 + b1 u), u^2 = -1, Montgomery form; outputs may
  // alias inputs. Portable: Karatsuba with three products; adx: lazy reduction (three
  // double-width products, two Montgomery reductions).
  void (*fp2_mul)(std::uint64_t r0[6], std::uint64_t r1[6], const std::uint64_t a0[6],
                  const std::uint64_t a1[6], const std::uint64_t b0[6],
                  const std::uint64_t b1[6]);
  // Fp2 square (r0 + r1 u) = (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u, Montgomery
  // form; outputs may alias inputs. Two Fp products on either kernel; the adx one feeds
  // them a0 + a1 and 2 a0 without reducing mod p, in one call.
  void (*fp2_sqr)(std::uint64_t r0[6], std::uint64_t r1[6], const std::uint64_t a0[6],
                  const std::uint64_t a1[6]);
};

// The generic kernel; always available.
const FpKernel& fp_kernel_portable();
// The MULX/ADCX/ADOX kernel, or nullptr when this CPU (or target) lacks ADX or BMI2.
const FpKernel* fp_kernel_adx();
// The kernel every Fp product uses (selects it on the first call).
const FpKernel& fp_kernel_active();

}  // namespace hc::bls12_381
