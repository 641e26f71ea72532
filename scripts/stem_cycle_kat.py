#!/usr/bin/env python3
"""Known-answer vectors for the stem relay's cycle, derivation version 2 (docs/relay.md, "Stem cycle").

Computed from the document's description, independently of src/node/stem_relay.cpp: the
members (sorted, duplicates dropped) are shuffled by Fisher-Yates, from the last position down,
with draws from SHA-256(seed | u64 counter LE), each draw the digest's first 8 bytes big-endian,
uniform below a bound by rejection sampling, and

    seed = "hc-stem-cycle-v2" | u8 len(chain id) | chain id | u64 configuration LE | u64 epoch LE
           | u32 member count LE | u32 each member LE

    python3 scripts/stem_cycle_kat.py

prints one line per vector; tests/node/stem_relay_test.cpp (StemCycleTest.KnownAnswers) holds
them.
"""
import hashlib

U64_MAX = (1 << 64) - 1


def stem_cycle(chain_id, configuration, epoch, members):
    cycle = sorted(set(members))
    seed = b"hc-stem-cycle-v2" + bytes([len(chain_id)]) + chain_id
    seed += configuration.to_bytes(8, "little") + epoch.to_bytes(8, "little")
    seed += len(cycle).to_bytes(4, "little") + b"".join(m.to_bytes(4, "little") for m in cycle)
    counter = 0

    def draw():
        nonlocal counter
        digest = hashlib.sha256(seed + counter.to_bytes(8, "little")).digest()
        counter += 1
        return int.from_bytes(digest[:8], "big")

    def below(bound):
        limit = U64_MAX - U64_MAX % bound
        while True:
            v = draw()
            if v < limit:
                return v % bound

    for i in range(len(cycle), 1, -1):
        j = below(i)
        cycle[i - 1], cycle[j] = cycle[j], cycle[i - 1]
    return cycle


VECTORS = [
    (bytes([0xC1]) * 32, 0, 0, [0, 1, 2, 3]),
    (bytes([0xC1]) * 32, 1, 7, [0, 1, 2, 3, 4]),
    (bytes([0xC1]) * 32, 2, 7, [0, 1, 2, 4]),
    (bytes(range(32)), 3, 2962823, [9, 0, 5, 2, 11, 7, 1]),
]

for chain_id, configuration, epoch, members in VECTORS:
    print(f"chain id {chain_id.hex()} configuration {configuration} epoch {epoch} members {members}: "
          f"{stem_cycle(chain_id, configuration, epoch, members)}")
