// `hc group open` and `hc group judge` on a BBS04-ElGamal signature (magic "HCGE") of a
// single-manager chain of genesis version 7 (issue 18 items 2 and 4): the manager opens it with
// its opener secret (group/elgamal-opener.key, an ElGamal decryption) and writes the opening
// proof (groupsig::elgamal::encode_opening_proof); anyone checks that proof with the genesis
// (which publishes the opener key h with its proof of knowledge, checked here) and the group
// key and registry of the signature's epoch. Errors are one line; judge's refusal goes through
// report_invalid (prints `invalid`, exit 1). No shared state.
#pragma once

#include <string>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

// True when the signature bytes are BBS04-ElGamal (magic "HCGE").
bool is_elgamal_signature_file(ByteSpan signature);

// Opens `signature` on `message` with DIR/elgamal-opener.key (group directory `dir`) under the
// genesis file's opener key; writes the proof to `proof_out` and prints the member's name.
Status open_elgamal_signature(const std::string& dir, const std::string& genesis_file, ByteSpan message,
                              ByteSpan signature, const std::string& proof_out, const SecureBytes& passphrase);

// Checks that `proof` shows `member` made `signature` on `message`; prints `valid`.
Status judge_elgamal_signature(const std::string& genesis_file, const std::string& gpk_file,
                               const std::string& registry_file, ByteSpan message, ByteSpan signature,
                               ByteSpan proof, const std::string& member);

}  // namespace hc::cli
