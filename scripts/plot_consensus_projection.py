#!/usr/bin/python3
"""Plots the paper's Figures 9/10 (throughput and commit latency against the number of
replicas) from hc-sim --projection CSVs, and, with a CSV of scripts/figures_real.sh, the CPU per
committed record of real processes next to the simulator's.

Usage:
  scripts/plot_consensus_projection.py PNG LABEL=CSV [LABEL=CSV ...] [--real REAL_CSV REAL_PNG]

Each LABEL=CSV is one projection (e.g. "one by one=docs/figures/consensus_projection_per_tx.csv");
they are drawn on the same axes. With --real, REAL_PNG shows the real processes' CPU per
committed record (nodes + bench client) against n, beside the simulator's (the sum over the
replicas of their CPU per committed transaction, from the first projection's counters).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def column(rows, name, kind=float):
    return [kind(r[name]) for r in rows]


def simulated_cpu_ms_per_record(rows):
    """Sum over the n replicas of each one's CPU per committed transaction (ms)."""
    out = []
    for r in rows:
        n = int(r["replicas"])
        parts = ("group_us_per_tx", "ed25519_us_per_tx", "other_us_per_tx")
        primary = sum(float(r["primary_" + p]) for p in parts)
        backup = sum(float(r["backup_" + p]) for p in parts)
        out.append((primary + (n - 1) * backup) / 1000.0)
    return out


def plot_projection(dst, series):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    markers = ["o", "s", "^", "D"]
    for i, (label, rows) in enumerate(series):
        n = column(rows, "replicas", int)
        m = markers[i % len(markers)]
        ax1.plot(n, column(rows, "throughput_tx_per_s"), m + "-", label=label)
        line = ax2.plot(n, column(rows, "latency_median_ms"), m + "-", label=f"{label}: median")
        ax2.plot(n, column(rows, "latency_p99_ms"), m + ":", color=line[0].get_color(), label=f"{label}: p99")
    ax1.set_xlabel("replicas (n)")
    ax1.set_ylabel("committed tx/s")
    ax1.set_ylim(bottom=0)
    ax1.grid(alpha=0.3)
    ax1.legend(fontsize=8)
    ax1.set_title("Throughput (cf. paper Fig. 9)")
    ax2.set_xlabel("replicas (n)")
    ax2.set_ylabel("commit latency (ms)")
    ax2.set_ylim(bottom=0)
    ax2.grid(alpha=0.3)
    ax2.legend(fontsize=8)
    ax2.set_title("Commit latency at half the peak load (cf. Fig. 10)")
    fig.suptitle("PBFT projection (hc-sim): group-signature check one by one vs in block batches, LAN 100 us")
    fig.tight_layout()
    fig.savefig(dst, dpi=120)
    print(f"wrote {dst}")


def plot_real(real_csv, dst, series):
    real = read(real_csv)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    n = column(real, "replicas", int)
    # A point whose half-load bench committed nothing has no latency.
    timed = [r for r in real if r["latency_median_ms"]]
    ax1.plot(n, column(real, "cpu_ms_per_record"), "o-", color="black", label="real processes (nodes + client)")
    ax1.plot(n, column(real, "node_cpu_ms_per_record"), "o--", color="gray", label="real processes (nodes only)")
    for label, rows in series:
        ax1.plot(column(rows, "replicas", int), simulated_cpu_ms_per_record(rows), "s:", label=f"hc-sim, {label}")
    ax1.set_xlabel("replicas (n)")
    ax1.set_ylabel("CPU ms per committed record (all replicas)")
    ax1.set_yscale("log")
    ax1.grid(alpha=0.3)
    ax1.legend(fontsize=8)
    ax1.set_title("CPU per committed record")
    ax2.plot(n, column(real, "throughput_per_s"), "o-", color="tab:blue", label="committed records/s (saturated)")
    ax2.set_xlabel("replicas (n)")
    ax2.set_ylabel("committed records/s", color="tab:blue")
    ax2.set_ylim(bottom=0)
    ax2.grid(alpha=0.3)
    ax2b = ax2.twinx()
    ax2b.plot(column(timed, "replicas", int), column(timed, "latency_median_ms"), "^--", color="tab:red", label="median latency at half load")
    ax2b.set_ylabel("median latency at half load (ms)", color="tab:red")
    ax2b.set_ylim(bottom=0)
    ax2.set_title("Real hc-node processes on one shared 2-core machine (see load_at_start)")
    fig.tight_layout()
    fig.savefig(dst, dpi=120)
    print(f"wrote {dst}")


def main() -> int:
    args = sys.argv[1:]
    real = None
    if "--real" in args:
        i = args.index("--real")
        if len(args) < i + 3:
            print("plot_consensus_projection.py: --real needs REAL_CSV REAL_PNG", file=sys.stderr)
            return 2
        real = (args[i + 1], args[i + 2])
        args = args[:i] + args[i + 3:]
    if len(args) < 2 or any("=" not in a for a in args[1:]):
        print(__doc__, file=sys.stderr)
        return 2
    series = [(a.split("=", 1)[0], read(a.split("=", 1)[1])) for a in args[1:]]
    plot_projection(args[0], series)
    if real:
        plot_real(real[0], real[1], series)
    return 0


if __name__ == "__main__":
    sys.exit(main())
