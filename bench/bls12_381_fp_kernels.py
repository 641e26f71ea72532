#!/usr/bin/env python3
"""Times bench_bls12_381 with each Fp kernel (HC_BLS12_381_FP_KERNEL=portable / adx) in
interleaved rounds on one machine, and prints the median CPU time per kernel and the median of
the per-round ratios (adx / portable). The order of the two kernels alternates between rounds,
so slow drift in the machine's load falls on both sides.

With --baseline PATH (a bench_bls12_381 built from an earlier commit, run with its own
default) a third column times that build in the same rounds, e.g. the code before run-time
selection existed.

Any Google Benchmark program linked with hc_bls12_381 works as --bench/--baseline (with a
--filter of its benchmark names): bench_groupsig, bench_groupsig_batch and bench_chain were
measured this way (docs/bls12_381.md).

Usage: bls12_381_fp_kernels.py [--bench PATH] [--baseline PATH] [--rounds N] [--min-time S]
                                [--filter REGEX] [--json OUT]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

DEFAULT_FILTER = ("^BM_(FpMul|FpSqr|Fp2Mul|Fp12Mul|Fp12Sqr|MillerLoop|FinalExponentiation|"
                  "Pairing|G1MulSecret|G2MulSecret|G1DecompressChecked|G2DecompressChecked)$")
KERNELS = ["portable", "adx"]


def run_once(bench, kernel, flt, min_time):
    env = dict(os.environ)
    env.pop("HC_BLS12_381_FP_KERNEL", None)
    if kernel != "baseline":
        env["HC_BLS12_381_FP_KERNEL"] = kernel
    out = subprocess.run([bench, f"--benchmark_filter={flt}", f"--benchmark_min_time={min_time}",
                          "--benchmark_format=json"], env=env, check=True, capture_output=True,
                         text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
        times[b["name"]] = b["cpu_time"] * scale  # microseconds
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default="build/release/bench/bench_bls12_381")
    ap.add_argument("--baseline", default=None)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--min-time", default="0.3")
    ap.add_argument("--filter", default=DEFAULT_FILTER)
    ap.add_argument("--json", default=None, help="write every round's figures here")
    args = ap.parse_args()
    kernels = KERNELS + (["baseline"] if args.baseline else [])
    raw = {k: [] for k in kernels}
    loads = []
    for r in range(args.rounds):
        order = kernels if r % 2 == 0 else list(reversed(kernels))
        for k in order:
            bench = args.baseline if k == "baseline" else args.bench
            raw[k].append(run_once(bench, k, args.filter, args.min_time))
        loads.append(os.getloadavg()[0])
        print(f"round {r + 1}/{args.rounds} done, load {loads[-1]:.1f}", file=sys.stderr)
    names = list(raw["portable"][0].keys())
    print(f"rounds {args.rounds}, load average (1 min) per round: "
          + " ".join(f"{x:.1f}" for x in loads))
    base = "baseline" in raw
    print("| operation |" + (" baseline build |" if base else "")
          + " portable | adx | adx / portable |" + (" adx / baseline |" if base else ""))
    print("|---|" + ("---|" if base else "") + "---|---|---|" + ("---|" if base else ""))

    def med_ratio(num, den, n):
        pairs = [(a[n], b[n]) for a, b in zip(raw[num], raw[den]) if n in a and n in b]
        return f"{statistics.median(x / y for x, y in pairs):.3f}" if pairs else "-"

    for n in names:
        fmt = (lambda v: f"{v * 1000:.1f} ns") if raw["portable"][0][n] < 1 else (
            lambda v: f"{v:.1f} us")
        med = {}
        for k in kernels:
            vals = [x[n] for x in raw[k] if n in x]
            med[k] = fmt(statistics.median(vals)) if vals else "-"
        row = f"| {n} |" + (f" {med['baseline']} |" if base else "")
        row += f" {med['portable']} | {med['adx']} | {med_ratio('adx', 'portable', n)} |"
        if base:
            row += f" {med_ratio('adx', 'baseline', n)} |"
        print(row)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"rounds": args.rounds, "loads": loads, "raw": raw}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
