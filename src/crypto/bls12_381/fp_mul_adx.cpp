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
// The same rows without the Montgomery steps give a double-width product, and the Montgomery
// steps alone a reduction of a double-width value; from these the Fp2 product is built with
// lazy reduction (three double-width products, two reductions).
//
// The product is exact for a first operand a below 2p, not only below p (the Fp2 square
// uses this to skip two reductions mod p): each row keeps T < a + p (T' = (T + a b_i + m p)
// / 2^64 < (a + p) 2^64 / 2^64), so the seven registers hold T + a b_i + m p < (a + p) 2^64
// < 3p 2^64 < 2^447, and the final T = (a b + M p) / 2^384 < 2p^2 / 2^384 + p < 1.25 p, which
// the one masked subtraction brings below p.
//
// The functions are compiled with the "adx,bmi2" target attribute; the rest of the library
// keeps the baseline ISA, and fp_kernels.cpp only calls them when CPUID reports both.
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

// Wide product t[0..11] = a * b (no reduction): the same rows as fp_adx_mul, but instead of a
// Montgomery step each row stores its finished lowest word and zeroes that register.
__attribute__((target("adx,bmi2"))) void fp_adx_mul_wide(u64 t[12], const u64 a[6],
                                                          const u64 b[6]) {
  asm volatile(
      HC_FPADX_ROW0(HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4,
                    HC_FPADX_R5, HC_FPADX_R6)
      "movq " HC_FPADX_R0 ", 0(%[t])\n\t"
      "movq $0, " HC_FPADX_R0 "\n\t"
      HC_FPADX_ROW("8", HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5,
                   HC_FPADX_R6, HC_FPADX_R0)
      "movq " HC_FPADX_R1 ", 8(%[t])\n\t"
      "movq $0, " HC_FPADX_R1 "\n\t"
      HC_FPADX_ROW("16", HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6,
                   HC_FPADX_R0, HC_FPADX_R1)
      "movq " HC_FPADX_R2 ", 16(%[t])\n\t"
      "movq $0, " HC_FPADX_R2 "\n\t"
      HC_FPADX_ROW("24", HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0,
                   HC_FPADX_R1, HC_FPADX_R2)
      "movq " HC_FPADX_R3 ", 24(%[t])\n\t"
      "movq $0, " HC_FPADX_R3 "\n\t"
      HC_FPADX_ROW("32", HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1,
                   HC_FPADX_R2, HC_FPADX_R3)
      "movq " HC_FPADX_R4 ", 32(%[t])\n\t"
      "movq $0, " HC_FPADX_R4 "\n\t"
      HC_FPADX_ROW("40", HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2,
                   HC_FPADX_R3, HC_FPADX_R4)
      "movq " HC_FPADX_R5 ", 40(%[t])\n\t"
      "movq " HC_FPADX_R6 ", 48(%[t])\n\t"
      "movq " HC_FPADX_R0 ", 56(%[t])\n\t"
      "movq " HC_FPADX_R1 ", 64(%[t])\n\t"
      "movq " HC_FPADX_R2 ", 72(%[t])\n\t"
      "movq " HC_FPADX_R3 ", 80(%[t])\n\t"
      "movq " HC_FPADX_R4 ", 88(%[t])\n\t"
      :
      : [a] "r"(a), [b] "r"(b), [t] "r"(t)
      : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", "memory");
}

// Masked selection of the final step of fp_adx_redc: X = mask ? r[L] : X, then r[L] = X.
#define HC_FPADX_KEEP(L, X)          \
  "movq " L "(%[r]), %%rbx\n\t"    \
  "xorq " X ", %%rbx\n\t"          \
  "andq %%rax, %%rbx\n\t"          \
  "xorq %%rbx, " X "\n\t"          \
  "movq " X ", " L "(%[r])\n\t"

// Montgomery reduction r = t / 2^384 mod p, fully reduced, for t < p * 2^384. The six
// Montgomery steps run on the low half only, giving U = (t_lo + M p) / 2^384 <= p; since
// M depends on t_lo alone, t / 2^384 = U + t_hi (mod p), and U + t_hi < 2p. U + t_hi is
// stored to r, p is subtracted in registers, and the borrow mask selects r or the difference.
__attribute__((target("adx,bmi2"))) void fp_adx_redc(u64 r[6], const u64 t[12]) {
  asm volatile(
      "movq 0(%[t]), " HC_FPADX_R0 "\n\t"
      "movq 8(%[t]), " HC_FPADX_R1 "\n\t"
      "movq 16(%[t]), " HC_FPADX_R2 "\n\t"
      "movq 24(%[t]), " HC_FPADX_R3 "\n\t"
      "movq 32(%[t]), " HC_FPADX_R4 "\n\t"
      "movq 40(%[t]), " HC_FPADX_R5 "\n\t"
      "movq $0, " HC_FPADX_R6 "\n\t"
      HC_FPADX_REDUCE(HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4,
                      HC_FPADX_R5, HC_FPADX_R6)
      HC_FPADX_REDUCE(HC_FPADX_R1, HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5,
                      HC_FPADX_R6, HC_FPADX_R0)
      HC_FPADX_REDUCE(HC_FPADX_R2, HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6,
                      HC_FPADX_R0, HC_FPADX_R1)
      HC_FPADX_REDUCE(HC_FPADX_R3, HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0,
                      HC_FPADX_R1, HC_FPADX_R2)
      HC_FPADX_REDUCE(HC_FPADX_R4, HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1,
                      HC_FPADX_R2, HC_FPADX_R3)
      HC_FPADX_REDUCE(HC_FPADX_R5, HC_FPADX_R6, HC_FPADX_R0, HC_FPADX_R1, HC_FPADX_R2,
                      HC_FPADX_R3, HC_FPADX_R4)
      "addq 48(%[t]), " HC_FPADX_R6 "\n\t"
      "adcq 56(%[t]), " HC_FPADX_R0 "\n\t"
      "adcq 64(%[t]), " HC_FPADX_R1 "\n\t"
      "adcq 72(%[t]), " HC_FPADX_R2 "\n\t"
      "adcq 80(%[t]), " HC_FPADX_R3 "\n\t"
      "adcq 88(%[t]), " HC_FPADX_R4 "\n\t"
      "movq " HC_FPADX_R6 ", 0(%[r])\n\t"
      "movq " HC_FPADX_R0 ", 8(%[r])\n\t"
      "movq " HC_FPADX_R1 ", 16(%[r])\n\t"
      "movq " HC_FPADX_R2 ", 24(%[r])\n\t"
      "movq " HC_FPADX_R3 ", 32(%[r])\n\t"
      "movq " HC_FPADX_R4 ", 40(%[r])\n\t"
      "subq 0(%[p]), " HC_FPADX_R6 "\n\t"
      "sbbq 8(%[p]), " HC_FPADX_R0 "\n\t"
      "sbbq 16(%[p]), " HC_FPADX_R1 "\n\t"
      "sbbq 24(%[p]), " HC_FPADX_R2 "\n\t"
      "sbbq 32(%[p]), " HC_FPADX_R3 "\n\t"
      "sbbq 40(%[p]), " HC_FPADX_R4 "\n\t"
      "sbbq %%rax, %%rax\n\t"
      HC_FPADX_KEEP("0", HC_FPADX_R6)
      HC_FPADX_KEEP("8", HC_FPADX_R0)
      HC_FPADX_KEEP("16", HC_FPADX_R1)
      HC_FPADX_KEEP("24", HC_FPADX_R2)
      HC_FPADX_KEEP("32", HC_FPADX_R3)
      HC_FPADX_KEEP("40", HC_FPADX_R4)
      :
      : [r] "r"(r), [t] "r"(t), [p] "r"(fp_detail::kP), [n0] "m"(kFpAdxNegPInv)
      : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", "memory");
}

// x[0..5] + y[0..5] without reduction (x, y < p, so the sum < 2p fits six limbs).
__attribute__((target("adx,bmi2"))) inline void fp_adx_add_raw(u64 s[6], const u64 x[6],
                                                                const u64 y[6]) {
  unsigned char c = 0;
#pragma GCC unroll 6
  for (int i = 0; i < 6; ++i) s[i] = mont::addc(x[i], y[i], c);
}

// Fp2 product with lazy reduction: with a = a0 + a1 u, b = b0 + b1 u (u^2 = -1),
//   c0 = a0 b0 - a1 b1,  c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1,
// three wide products and two reductions instead of three full Montgomery products. c1's
// wide value is a0 b1 + a1 b0 < 2p^2; c0's wide value a0 b0 - a1 b1 gets p * 2^384 added
// when negative (selected by the borrow mask). Both stay below p * 2^384, as fp_adx_redc
// requires. The outputs may alias the inputs (everything is read before r0, r1 are written).
__attribute__((target("adx,bmi2"))) void fp2_adx_mul(u64 r0[6], u64 r1[6], const u64 a0[6],
                                                     const u64 a1[6], const u64 b0[6],
                                                     const u64 b1[6]) {
  u64 sa[6], sb[6], t0[12], t1[12], t2[12];
  fp_adx_add_raw(sa, a0, a1);
  fp_adx_add_raw(sb, b0, b1);
  fp_adx_mul_wide(t0, a0, b0);
  fp_adx_mul_wide(t1, a1, b1);
  fp_adx_mul_wide(t2, sa, sb);
  unsigned char br = 0, br2 = 0;
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) {
    t2[i] = mont::subb(t2[i], t0[i], br);
    t2[i] = mont::subb(t2[i], t1[i], br2);
  }
  br = 0;
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) t0[i] = mont::subb(t0[i], t1[i], br);
  const u64 neg = 0 - static_cast<u64>(br);
  unsigned char c = 0;
#pragma GCC unroll 6
  for (int i = 6; i < 12; ++i) t0[i] = mont::addc(t0[i], fp_detail::kP[i - 6] & neg, c);
  fp_adx_redc(r0, t0);
  fp_adx_redc(r1, t2);
}

// Fp2 square: r0 = (a0 + a1)(a0 - a1), r1 = (2 a0) a1. The sum a0 + a1 and the double 2 a0
// stay unreduced (below 2p, six limbs since p < 2^381), which fp_adx_mul accepts as its first
// operand (see the top of this file); a0 - a1 is reduced (below p). Outputs may alias inputs:
// the three operands are formed before either product is written.
__attribute__((target("adx,bmi2"))) void fp2_adx_sqr(u64 r0[6], u64 r1[6], const u64 a0[6],
                                                     const u64 a1[6]) {
  u64 sum[6], twice[6], diff[6], a1_copy[6];
  fp_adx_add_raw(sum, a0, a1);
  fp_adx_add_raw(twice, a0, a0);
  mont::sub_mod<6>(diff, a0, a1, fp_detail::kP);
#pragma GCC unroll 6
  for (int i = 0; i < 6; ++i) a1_copy[i] = a1[i];
  fp_adx_mul(r0, sum, diff);
  fp_adx_mul(r1, twice, a1_copy);
}

#undef HC_FPADX_KEEP
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

constexpr FpKernel kFpAdxKernel = {"adx", &fp_adx_mul, &fp_adx_sqr, &fp2_adx_mul,
                                   &fp2_adx_sqr};

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
