#!/usr/bin/python3
"""Plots the simulator's projection of the paper's Figures 9/10 (throughput and commit
latency against the number of replicas) from docs/figures/consensus_projection.csv.

Usage: scripts/plot_consensus_projection.py [CSV] [PNG] [GROUP_VERIFY_MS]
(GROUP_VERIFY_MS: the --group-verify-us the CSV was made with, in ms, for the title)
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    src = sys.argv[1] if len(sys.argv) > 1 else "docs/figures/consensus_projection.csv"
    dst = sys.argv[2] if len(sys.argv) > 2 else "docs/figures/consensus_projection.png"
    group_verify_ms = sys.argv[3] if len(sys.argv) > 3 else "1.424"
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    n = [int(r["replicas"]) for r in rows]
    tput = [float(r["throughput_tx_per_s"]) for r in rows]
    median = [float(r["latency_median_ms"]) for r in rows]
    p99 = [float(r["latency_p99_ms"]) for r in rows]
    msgs = [int(r["messages_per_block"]) for r in rows]

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.plot(n, tput, "o-", color="tab:blue", label="committed tx/s")
    ax1.set_xlabel("replicas (n)")
    ax1.set_ylabel("throughput (tx/s)", color="tab:blue")
    ax1.set_ylim(bottom=0)
    ax1.grid(alpha=0.3)
    ax1b = ax1.twinx()
    ax1b.plot(n, msgs, "s--", color="tab:gray", label="messages per block")
    ax1b.set_ylabel("protocol messages per block (~2n^2)", color="tab:gray")
    ax1.set_title("Throughput (cf. paper Fig. 9)")

    ax2.plot(n, median, "o-", label="median")
    ax2.plot(n, p99, "^-", label="p99")
    ax2.set_xlabel("replicas (n)")
    ax2.set_ylabel("commit latency (ms)")
    ax2.set_ylim(bottom=0)
    ax2.grid(alpha=0.3)
    ax2.legend()
    ax2.set_title("Commit latency at half the peak load (cf. Fig. 10)")

    fig.suptitle(f"PBFT projection: simulated CPU (Ed25519 + {group_verify_ms} ms group-signature check per tx), LAN")
    fig.tight_layout()
    fig.savefig(dst, dpi=120)
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
