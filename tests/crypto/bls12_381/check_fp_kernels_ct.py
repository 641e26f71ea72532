#!/usr/bin/env python3
"""Checks that the constant-time tests cover both Fp product kernels (fp_kernels.h).

1. Reachability: runs tests/crypto/constant_time/check_secret_paths.py with the project's
   secret entry points plus, as "variable-time" markers, the names of the kernel
   functions (Fp product, square, Fp2 product and Fp2 square of each kernel). Each marker
   must be reported as reached: the secret-path walk then sees through the run-time dispatch
   into both kernels, so anything variable time they ever call would be caught by that test.
2. Machine code: the MULX/ADX kernel functions exist in the archive and contain no
   conditional branch (Jcc, LOOP, JRCXZ): their instruction sequence is fixed.

Usage: check_fp_kernels_ct.py [--reachability-only] CONSTANT_TIME_DIR BLS_ARCHIVE [OTHER_ARCHIVE...]
--reachability-only skips check 2: in a sanitizer build ASan/UBSan add branches of their own
(to their report functions) to every instrumented function, so only an uninstrumented build's
machine code says anything; CI checks it in the release stage (scripts/test.sh).
Exit status 0 when both hold, 1 otherwise, 2 on a tool error.
"""
import os
import re
import subprocess
import sys
import tempfile

KERNELS = ["fp_adx_mul(", "fp_adx_sqr(", "fp2_adx_mul(", "fp2_adx_sqr(", "fp_portable_mul(",
           "fp_portable_sqr(", "fp_portable_fp2_mul(", "fp_portable_fp2_sqr("]
ADX_FUNCTIONS = ["fp_adx_mul(", "fp_adx_sqr(", "fp2_adx_mul(", "fp2_adx_sqr(",
                 "fp_adx_mul_wide(", "fp_adx_redc("]
CONDITIONAL = re.compile(r"^\s*[0-9a-f]+:\s+(j(?!mp\b)[a-z]+|loop[a-z]*|jrcxz)\b")
FUNCTION_HEADER = re.compile(r"^[0-9a-f]+ <(.+)>:$")


def run(args, check=True):
    try:
        return subprocess.run(args, check=check, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"check_fp_kernels_ct: {' '.join(args[:2])} failed: {e}", file=sys.stderr)
        sys.exit(2)


def check_reachable(ct_dir, archives):
    with open(os.path.join(ct_dir, "secret_entry_points.txt"), encoding="utf-8") as f:
        entries = f.read()
    markers = "".join(f"vartime: hc::bls12_381::(anonymous namespace)::{k}\n" for k in KERNELS)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as tmp:
        tmp.write(entries + "\n" + markers)
        path = tmp.name
    try:
        out = run([sys.executable, os.path.join(ct_dir, "check_secret_paths.py"), path]
                  + archives, check=False)
    finally:
        os.unlink(path)
    if out.returncode == 2:
        print(out.stdout + out.stderr, file=sys.stderr)
        sys.exit(2)
    reached = [line for line in out.stdout.splitlines() if line.startswith(" -> ")]
    problems = []
    for k in KERNELS:
        if not any(f"::{k}" in line for line in reached):
            problems.append(f"the secret-path walk does not reach the Fp kernel {k[:-1]}")
    return problems


def check_branch_free(archive):
    text = run(["objdump", "-d", "-C", "--no-show-raw-insn", archive]).stdout
    found, problems, current = set(), [], None
    for line in text.splitlines():
        m = FUNCTION_HEADER.match(line)
        if m:
            current = next((f for f in ADX_FUNCTIONS if f"::{f}" in m.group(1)), None)
            if current:
                found.add(current)
            continue
        if current and CONDITIONAL.match(line):
            problems.append(f"conditional branch in {current[:-1]}: {line.strip()}")
    for f in ADX_FUNCTIONS:
        if f not in found:
            problems.append(f"{f[:-1]} not found in {archive}")
    return problems


def main(argv):
    reachability_only = len(argv) > 1 and argv[1] == "--reachability-only"
    if reachability_only:
        argv = argv[:1] + argv[2:]
    if len(argv) < 3:
        print("usage: check_fp_kernels_ct.py [--reachability-only] CONSTANT_TIME_DIR BLS_ARCHIVE [ARCHIVE...]",
              file=sys.stderr)
        return 2
    problems = check_reachable(argv[1], argv[2:])
    if not reachability_only:
        problems += check_branch_free(argv[2])
    for p in problems:
        print(p)
    branches = "not checked (--reachability-only)" if reachability_only else str(len(ADX_FUNCTIONS))
    print(f"{len(KERNELS)} kernels checked for reachability, {branches} for branches: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
