#!/usr/bin/env python3
"""Known-answer vectors for the sealed record, format version 2 (docs/record-format.md).

Computed independently of Healthchain's C++ code with Python's `cryptography` package (Debian
python3-cryptography): P-256 ECDH, HKDF-SHA-256 and AES-256-GCM are that package's, and every
byte string is built here from the document, not from our code. The inputs are fixed (derived
from labels by SHA-256), so the output is reproducible. The payload is the padded visit
(visit payload version 2, docs/record-format.md "Padding": 0x02, the JSON's length as u32 BE,
the JSON, zero bytes up to the smallest bucket that holds it); one vector ("legacy": true)
keeps the unpadded version 1 payload that records sealed before the padding carry:

    python3 scripts/envelope_v2_kat.py > tests/crypto/threshold/vectors/envelope_v2.json

tests/crypto/threshold/envelope_v2_kat_test.cpp reads the committed file.
"""
import hashlib
import json
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# The padding buckets of docs/record-format.md: powers of two from 1 KiB to 128 KiB, then 240 KiB.
BUCKETS = [1024 << i for i in range(8)] + [240 * 1024]
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def lp(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def scalar_from_label(label: str) -> int:
    return int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (P256_ORDER - 1) + 1


def point_bytes(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.X962,
                                   serialization.PublicFormat.UncompressedPoint)


def visit_json(diagnosis: str, version: int) -> bytes:
    return json.dumps({"diagnosis": diagnosis, "time": "2026-11-29T09:30:00Z", "version": version},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def padded(body: bytes) -> bytes:
    framed = b"\x02" + struct.pack(">I", len(body)) + body
    bucket = min(b for b in BUCKETS if b >= len(framed))
    return framed + bytes(bucket - len(framed))


def vector(name: str, diagnosis: str, legacy: bool = False) -> dict:
    access = ec.derive_private_key(scalar_from_label(name + "/access"), ec.SECP256R1())
    ephemeral = ec.derive_private_key(scalar_from_label(name + "/ephemeral"), ec.SECP256R1())
    serial = hashlib.sha256((name + "/serial").encode()).digest()
    nonce = hashlib.sha256((name + "/nonce").encode()).digest()[:12]
    payload = visit_json(diagnosis, 1) if legacy else padded(visit_json(diagnosis, 2))

    spki = access.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    key_id = hashlib.sha256(spki).digest()
    eph = point_bytes(ephemeral.public_key())
    version = struct.pack(">I", 2)
    info = lp(b"HC-RECORD-KEM-v2") + version + serial + key_id + eph
    shared_x = ephemeral.exchange(ec.ECDH(), access.public_key())
    assert shared_x == access.exchange(ec.ECDH(), ephemeral.public_key())
    aes_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared_x)
    aad = lp(b"HC-RECORD-AAD-v2") + version + serial + key_id + eph
    ciphertext = AESGCM(aes_key).encrypt(nonce, payload, aad)
    return {
        "name": name,
        "legacy": legacy,
        "diagnosis": diagnosis,
        "access_secret": format(access.private_numbers().private_value, "064x"),
        "ephemeral_secret": format(ephemeral.private_numbers().private_value, "064x"),
        "serial": serial.hex(),
        "nonce": nonce.hex(),
        "payload": payload.hex(),
        "access_public": point_bytes(access.public_key()).hex(),
        "access_spki_der": spki.hex(),
        "key_id": key_id.hex(),
        "ephemeral_public": eph.hex(),
        "kem_info": info.hex(),
        "shared_x": shared_x.hex(),
        "aes_key": aes_key.hex(),
        "aad": aad.hex(),
        "ciphertext": ciphertext.hex(),
    }


def main() -> None:
    vectors = [vector("kat-1", "influenza"),
               vector("kat-2", "fracture of the left radius, cast for six weeks"),
               vector("kat-3", "Übelkeit — 恶心 — nausea\nfollow-up in 2 weeks"),
               # 1,019 bytes of JSON: 1,024 with the header, the last that fits 1 KiB ...
               vector("kat-4", "b" * (1019 - len(visit_json("", 2)))),
               # ... and one byte more goes to the 2 KiB bucket.
               vector("kat-5", "c" * (1020 - len(visit_json("", 2)))),
               vector("kat-legacy", "influenza", legacy=True)]
    json.dump({"format": "healthchain envelope v2 known answers", "vectors": vectors},
              sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
