#!/usr/bin/env python3
"""Where an hc-node's CPU goes, from `perf script` output of a `perf record -g` run
(scripts/bench_node_cpu.sh with PERF_OUT; docs/node.md, "Where a record's CPU goes").

Each sample goes to the first category below whose pattern matches a frame of its stack
(inclusive: a group verification called from the API thread counts as verification). With
--records N and --node-cpu-ms C (the node's CPU over the run), each share is also given in
microseconds per record: share x C / N.

usage: perf script -i perf.data | scripts/perf_categories.py [--records N] [--node-cpu-ms C]
"""
import argparse
import re
import sys
from collections import Counter

# (category, patterns): a sample is in the first category each of whose patterns matches some
# frame of its stack; order matters.
VERIFY = r"SharedRecordVerifier|Bbs04RecordVerifier|verify_batch|elgamal|groupsig::verify|deferred_outcomes"
CATEGORIES = [
    ("group signing (MemberSigner::sign)", [r"MemberSigner::sign"]),
    ("group-signature verification: stem records' check", [VERIFY, r"check_stem_batch|on_stem_tx|start_stem_relay"]),
    ("group-signature verification: API thread (the receiving node's own record)", [VERIFY, r"ApiThread|handle_http|serve_api"]),
    ("group-signature verification: block validation", [VERIFY, r"validate_block"]),
    ("group-signature verification: a proposal's or forward's deferred checks", [VERIFY, r"check_deferred"]),
    ("group-signature verification: on the ledger's pool (block or deferred batches; the caller is not unwound)",
     [VERIFY, r"ThreadPool::worker_loop"]),
    ("group-signature verification: other (relayed records on arrival, admission)", [VERIFY]),
    ("TLS handshakes", [r"SSL_do_handshake|ossl_statem|tls_process_|ssl3_connect|ssl3_accept"]),
    ("Ed25519: consensus signatures on the verifying pool's thread", [r"ConsensusPreverifyPool"]),
    ("Ed25519 (engine, certificates, signing)", [r"[Ee][Dd]25519|EVP_DigestVerify|EVP_DigestSign"]),
    ("admission and block checks besides signatures", [r"check_tx|validate_block|commit_block|HealthchainApp"]),
    ("HTTP and TLS records (API)", [r"HttpServer|HttpSession|beast::|http::"]),
    ("consensus engine and driver", [r"consensus::Replica|ReplicaDriver|StemRelay|publish_snapshot"]),
    ("write-ahead log", [r"WriteAheadLog"]),
    ("RocksDB", [r"rocksdb::"]),
    ("JSON", [r"nlohmann"]),
    ("SHA-256", [r"[Ss][Hh][Aa]256"]),
    ("logging", [r"spdlog"]),
    ("metrics", [r"Metrics::"]),
    ("peer transport (framing, TLS)", [r"net::Transport|PeerLink|SSL_read|SSL_write"]),
]
COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in CATEGORIES]


def function_name(symbol):
    """The symbol without template arguments and parameter lists (which name other types)."""
    symbol = symbol.replace("(anonymous namespace)", "{anon}")
    cut = min((i for i in (symbol.find("<"), symbol.find("(")) if i >= 0), default=len(symbol))
    return symbol[:cut]


def samples(stream):
    """Yields each sample's stack as a list of frame symbols (leaf first)."""
    stack = []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        if line.startswith((" ", "\t")):
            parts = line.strip().split(None, 1)
            stack.append(function_name(parts[1] if len(parts) > 1 else parts[0]))
        else:
            if stack:
                yield stack
            stack = []
    if stack:
        yield stack


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--node-cpu-ms", type=float, default=0.0)
    args = parser.parse_args()
    counts = Counter()
    total = 0
    for stack in samples(sys.stdin):
        total += 1
        category = "other (unattributed frames, libc, kernel)"
        for name, patterns in COMPILED:
            if all(any(p.search(frame) for frame in stack) for p in patterns):
                category = name
                break
        counts[category] += 1
    if total == 0:
        print("no samples", file=sys.stderr)
        return 1
    per_record = args.records > 0 and args.node_cpu_ms > 0
    print(f"{total} samples" + (f", {args.node_cpu_ms / args.records * 1000:.0f} us of node CPU per record"
                                 if per_record else ""))
    print("| category | share |" + (" per record |" if per_record else ""))
    print("|---|---|" + ("---|" if per_record else ""))
    for name, n in counts.most_common():
        share = n / total
        row = f"| {name} | {100 * share:.1f} % |"
        if per_record:
            row += f" {share * args.node_cpu_ms / args.records * 1000:.0f} us |"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
