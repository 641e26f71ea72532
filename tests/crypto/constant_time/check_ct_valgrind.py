#!/usr/bin/env python3
"""Checks under Valgrind's memcheck that the constant-time scalar multiplications never
branch, select by a conditional move, or index memory by the secret scalar (the ctgrind
method: ct_valgrind_probe.cpp marks the scalar undefined, memcheck reports any use of it
that could change the control flow or the addresses touched).

Each secret case must run with no memcheck report; the control case (a variable-time wNAF
multiplication on the same marked scalar) must be reported, which shows that the method
sees a scalar-dependent branch at all. Both Fp kernels are probed when Valgrind's CPUID
presents MULX/ADX: the automatic choice, then the portable one forced; when the automatic
choice under Valgrind is already the portable kernel (Valgrind 3.19 does not present ADX), the
forced run would repeat it and is skipped (the probe prints the kernel it used).

Usage: check_ct_valgrind.py PROBE_BINARY
Exit status 0 when every case behaves as expected, 1 otherwise, 2 on a usage or tool error
(Valgrind is missing: scripts/setup.sh installs Debian's valgrind package).
"""
import os
import shutil
import subprocess
import sys

SECRET_CASES = ["g2_mul_secret", "g2_gls4_scalar", "g1_mul_secret"]
CONTROL_CASE = "control_vartime"
REPORTED = 42  # memcheck's exit status when it reported an error


def run_case(valgrind, probe, case, kernel):
    env = dict(os.environ, HC_BLS12_381_FP_KERNEL=kernel)
    cmd = [valgrind, "--tool=memcheck", f"--error-exitcode={REPORTED}", "--track-origins=no",
           "--leak-check=no", "-q", probe, case]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    return out.returncode, out.stdout + out.stderr


def main(argv):
    if len(argv) != 2:
        print("usage: check_ct_valgrind.py PROBE_BINARY", file=sys.stderr)
        return 2
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("check_ct_valgrind: error: valgrind not found (scripts/setup.sh installs it)",
              file=sys.stderr)
        return 2
    probe = argv[1]
    problems = []
    kernels_used = set()
    checked = 0
    for kernel in ["auto", "portable"]:
        if kernel == "portable" and kernels_used == {"portable"}:
            print("the automatic Fp kernel under Valgrind is the portable one: not run twice")
            break
        checked += 1
        for case in SECRET_CASES:
            rc, text = run_case(valgrind, probe, case, kernel)
            if rc != 0:
                problems.append(f"{case} ({kernel} Fp kernel): exit {rc}, expected no report:\n"
                                + "\n".join(text.splitlines()[:40]))
            else:
                used = next((l for l in text.splitlines() if l.startswith("Fp kernel: ")), "")
                kernels_used.add(used[len("Fp kernel: "):] or "?")
                print(f"ok: {case} ({kernel} Fp kernel; {used or 'kernel not printed'}): no report")
        rc, text = run_case(valgrind, probe, CONTROL_CASE, kernel)
        if rc != REPORTED or "depends on uninitialised value" not in text:
            problems.append(f"{CONTROL_CASE} ({kernel} Fp kernel): exit {rc}, expected memcheck "
                            f"to report the variable-time multiplication:\n"
                            + "\n".join(text.splitlines()[:20]))
        else:
            print(f"ok: {CONTROL_CASE} ({kernel} Fp kernel): reported, as it must be")
    for p in problems:
        print(p)
    print(f"check_ct_valgrind: {len(SECRET_CASES) * checked} secret cases, {checked} control(s), "
          f"kernels {', '.join(sorted(kernels_used))}: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
