// Fp Montgomery product on x86-64 with MULX (BMI2) and two independent carry chains: ADCX
// propagates through CF only and ADOX through OF only, so the low and the high halves of
// each row of partial products are summed in parallel instead of in one serial ADC chain.
//
// Operand scanning, one row per limb b[i] (i = 0..5), on seven rotating accumulator
// registers T0..T6:
//   multiply:  T0..T6 += a * b[i]       (lo halves on CF into Tj, hi halves on OF into Tj+1)
//   reduce:    m = T0 * (-p^-1 mod 2^64); T0..T6 += m * p; now T0 = 0
//   shift:     the accumulator continues in T1..T6, and the zeroed T0 becomes the next T6.
// As in the portable "no-carry" CIOS product (mont.h), p's top limb is below 2^63 - 1, so the
// accumulator stays below 2p < 2^382 between rows and never needs an eighth word. After the
// six rows one subtraction of p, selected by a borrow mask, gives the fully reduced result.
// No branch, no memory index depends on the data; every instruction count is fixed.
//
// The function is compiled with the "adx,bmi2" target attribute; the rest of the library keeps
// the baseline ISA, and fp_kernels.cpp only calls it when CPUID reports both extensions.
#include "crypto/bls12_381/fp.h"
#include "crypto/bls12_381/fp_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#endif

namespace hc::bls12_381 {

#if defined(__x86_64__) && defined(__GNUC__)

namespace {

using mont::u64;

// -p^-1 mod 2^64, as a memory operand of IMUL.
const u64 kFpAdxNegPInv = fp_detail::kC.inv;

// Row 0: the accumulator is empty, so T = a * b[0] with one plain ADC chain.
#define HC_FPADX_ROW0(T0, T1, T2, T3, T4, T5, T6) \
  "movq 0(%[b]), %%rdx\n\t"                        \
  "mulxq 0(%[a]), " T0 ", " T1 "\n\t"              \
  "mulxq 8(%[a]), %%rax, " T2 "\n\t"               \
  "addq %%rax, " T1 "\n\t"                         \
  "mulxq 16(%[a]), %%rax, " T3 "\n\t"              \
  "adcq %%rax, " T2 "\n\t"                         \
  "mulxq 24(%[a]), %%rax, " T4 "\n\t"              \
  "adcq %%rax, " T3 "\n\t"                         \
  "mulxq 32(%[a]), %%rax, " T5 "\n\t"              \
  "adcq %%rax, " T4 "\n\t"                         \
  "mulxq 40(%[a]), %%rax, " T6 "\n\t"              \
  "adcq %%rax, " T5 "\n\t"                         \
  "adcq $0, " T6 "\n\t"

// One column step of a dual-chain row: rdx * SRC[OFF] added at Tj (lo, CF) and Tj+1 (hi, OF).
#define HC_FPADX_STEP(SRC, OFF, TJ, TJ1) \
  "mulxq " OFF "(%[" SRC "]), %%rax, %%rbx\n\t" \
  "adcxq %%rax, " TJ "\n\t"                      \
  "adoxq %%rbx, " TJ1 "\n\t"

// Rows 1..5: T0..T5 hold the accumulator and T6 = 0 on entry.
#define HC_FPADX_ROW(BOFF, T0, T1, T2, T3, T4, T5, T6) \
  "movq " BOFF "(%[b]), %%rdx\n\t"                      \
  "xorl %%eax, %%eax\n\t"                               \
  HC_FPADX_STEP("a", "0", T0, T1)                       \
  HC_FPADX_STEP("a", "8", T1, T2)                       \
  HC_FPADX_STEP("a", "16", T2, T3)                      \
  HC_FPADX_STEP("a", "24", T3, T4)                      \
  HC_FPADX_STEP("a", "32", T4, T5)                      \
  HC_FPADX_STEP("a", "40", T5, T6)                      \
  "movl $0, %%eax\n\t"                                  \
  "adcxq %%rax, " T6 "\n\t"

// Montgomery step: T += (T0 * -p^-1 mod 2^64) * p; T0 becomes 0 and is used as the zero
// that absorbs the last CF carry into T6.
#define HC_FPADX_REDUCE(T0, T1, T2, T3, T4, T5, T6) \
  "movq " T0 ", %%rdx\n\t"                           \
  "imulq %[n0], %%rdx\n\t"                           \
  "xorl %%eax, %%eax\n\t"                            \
  HC_FPADX_STEP("p", "0", T0, T1)                    \
  HC_FPADX_STEP("p", "8", T1, T2)                    \
  HC_FPADX_STEP("p", "16", T2, T3)                   \
  HC_FPADX_STEP("p", "24", T3, T4)                   \
  HC_FPADX_STEP("p", "32", T4, T5)                   \
  HC_FPADX_STEP("p", "40", T5, T6)                   \
  "adcxq " T0 ", " T6 "\n\t"

#define HC_FPADX_R0 "%%r8"
#define HC_FPADX_R1 "%%r9"
#define HC_FPADX_R2 "%%r10"
#define HC_FPADX_R3 "%%r11"
#define HC_FPADX_R4 "%%r12"
#define HC_FPADX_R5 "%%r13"
#define HC_FPADX_R6 "%%r14"

// Final step: t = (T0..T5) < 2p. Copy t to C0..C5, subtract p from T0..T5 in place, turn the
// borrow into a mask (all ones when t < p) and select per limb with XOR/AND
// (T ^= (T ^ C) & mask); store the limbs to r. P and M must be the same register (the
// modulus pointer is dead after the subtraction, its register then holds the mask).
#define HC_FPADX_SELECT(L, T, C) \
  "xorq " T ", " C "\n\t"       \
  "andq %[p], " C "\n\t"        \
  "xorq " C ", " T "\n\t"       \
  "movq " T ", " L "(%[r])\n\t"
#define HC_FPADX_FINAL(T0, T1, T2, T3, T4, T5, C0, C1, C2, C3, C4, C5) \
  "movq " T0 ", " C0 "\n\t"                                            \
  "movq " T1 ", " C1 "\n\t"                                            \
  "movq " T2 ", " C2 "\n\t"                                            \
  "movq " T3 ", " C3 "\n\t"                                            \
  "movq " T4 ", " C4 "\n\t"                                            \
  "movq " T5 ", " C5 "\n\t"                                            \
  "subq 0(%[p]), " T0 "\n\t"                                           \
  "sbbq 8(%[p]), " T1 "\n\t"                                           \
  "sbbq 16(%[p]), " T2 "\n\t"                                          \
  "sbbq 24(%[p]), " T3 "\n\t"                                          \
  "sbbq 32(%[p]), " T4 "\n\t"                                          \
  "sbbq 40(%[p]), " T5 "\n\t"                                          \
  "sbbq %[p], %[p]\n\t"                                                \
  HC_FPADX_SELECT("0", T0, C0)                                         \
  HC_FPADX_SELECT("8", T1, C1)                                         \
  HC_FPADX_SELECT("16", T2, C2)                                        \
  HC_FPADX_SELECT("24", T3, C3)                                        \
  HC_FPADX_SELECT("32", T4, C4)                                        \
  HC_FPADX_SELECT("40", T5, C5)

__attribute__((target("adx,bmi2"))) void fp_adx_mul(u64 r[6], const u64 a[6], const u64 b[6]) {
  // Six rows rotate the roles of r8..r14; after the last one the accumulator is in
  // r14, r8, r9, r10, r11, r12 (limbs 0..5) and r13 is zero. The final step then uses the
  // a and b pointer registers (dead by then) as scratch, hence their "+r".
  const u64* p = fp_detail::kP;
  asm volatile(
      HC_FPADX_ROW0(HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4,
                    HC_FPADX_R5, HC_FPADX_R6)
      HC_FPADX_REDUCE(HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4,
                      HC_FPADX_R5, HC_FPADX_R6)
      HC_FPADX_ROW("8", HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5,
                   HC_FPADX_R6, HC_FPADX_R0)
      HC_FPADX_REDUCE(HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5,
                      HC_FPADX_R6, HC_FPADX_R0)
      HC_FPADX_ROW("16", HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6,
                   HC_FPADX_R0, HC_FPADX_R1)
      HC_FPADX_REDUCE(HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6,
                      HC_FPADX_R0, HC_FPADX_R1)
      HC_FPADX_ROW("24", HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0,
                   HC_FPADX_R1, HC_FPADX_R2)
      HC_FPADX_REDUCE(HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0,
                      HC_FPADX_R1, HC_FPADX_R2)
      HC_FPADX_ROW("32", HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1,
                   HC_FPADX_R2, HC_FPADX_R3)
      HC_FPADX_REDUCE(HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1,
                      HC_FPADX_R2, HC_FPADX_R3)
      HC_FPADX_ROW("40", HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2,
                   HC_FPADX_R3, HC_FPADX_R4)
      HC_FPADX_REDUCE(HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2,
                      HC_FPADX_R3, HC_FPADX_R4)
      HC_FPADX_FINAL(HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3,
                     HC_FPADX_R4, "%%rax", "%%rbx", "%%rdx", HC_FPADX_R5, "%[a]", "%[b]")
      : [a] "+r"(a), [b] "+r"(b), [p] "+r"(p)
      : [r] "r"(r), [n0] "m"(kFpAdxNegPInv)
      : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", "memory");
}

__attribute__((target("adx,bmi2"))) void fp_adx_sqr(u64 r[6], const u64 a[6]) {
  fp_adx_mul(r, a, a);
}

#undef HC_FPADX_ROW0
#undef HC_FPADX_STEP
#undef HC_FPADX_ROW
#undef HC_FPADX_REDUCE
#undef HC_FPADX_SELECT
#undef HC_FPADX_FINAL
#undef HC_FPADX_R0
#undef HC_FPADX_R1
#undef HC_FPADX_R2
#undef HC_FPADX_R3
#undef HC_FPADX_R4
#undef HC_FPADX_R5
#undef HC_FPADX_R6

constexpr FpKernel kFpAdxKernel = {"adx", &fp_adx_mul, &fp_adx_sqr};

}  // namespace

// CPUID leaf 7, sub-leaf 0, EBX: bit 8 = BMI2 (MULX), bit 19 = ADX (ADCX/ADOX). Read
// directly rather than with __builtin_cpu_supports, whose "adx" name clang 14 (the fuzz
// preset) does not know; both are general-purpose-register instructions, so no OS support
// (XSAVE state) is involved.
const FpKernel* fp_kernel_adx() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return nullptr;
  const bool supported = ((ebx >> 8) & 1) != 0 && ((ebx >> 19) & 1) != 0;
  return supported ? &kFpAdxKernel : nullptr;
}

#else

const FpKernel* fp_kernel_adx() { return nullptr; }

#endif

}  // namespace hc::bls12_381
