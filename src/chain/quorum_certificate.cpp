#include "chain/quorum_certificate.h"

#include <string>

#include "chain/codec.h"
#include "crypto/ed25519.h"

namespace hc::chain {

namespace {
constexpr std::string_view kCertTag = "HCQC";
constexpr std::string_view kCommitTag = "HC-COMMIT-v1";
constexpr std::uint8_t kCertVersion = 1;
}  // namespace

Bytes quorum_commit_message(const Digest& genesis_hash, const Digest& block_hash) {
  Bytes m(kCommitTag.begin(), kCommitTag.end());
  append_bytes(m, genesis_hash);
  append_bytes(m, block_hash);
  return m;
}

Result<Bytes> make_quorum_certificate(
    const Digest& genesis_hash, const Digest& block_hash,
    const std::vector<std::pair<std::uint32_t, const SecureBytes*>>& signers) {
  Bytes out(kCertTag.begin(), kCertTag.end());
  append_u8(out, kCertVersion);
  append_u16_be(out, static_cast<std::uint16_t>(signers.size()));
  Bytes message = quorum_commit_message(genesis_hash, block_hash);
  for (std::size_t i = 0; i < signers.size(); ++i) {
    HC_CHECK(i == 0 || signers[i].first > signers[i - 1].first);
    HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key,
                        crypto::Ed25519PrivateKey::from_seed(*signers[i].second));
    append_u32_be(out, signers[i].first);
    append_bytes(out, key.sign(message));
  }
  return out;
}

QuorumCertificateVerifier::QuorumCertificateVerifier(Genesis genesis)
    : genesis_(std::move(genesis)), genesis_hash_(genesis_hash(genesis_)) {}

Status QuorumCertificateVerifier::verify(const BlockHeader& /*header*/, const Digest& hash,
                                         const std::vector<Digest>& /*tx_ids*/, ByteSpan certificate) const {
  Reader in(certificate);
  HC_RETURN_IF_ERROR(in.expect_tag(kCertTag, "commit certificate"));
  HC_ASSIGN_OR_RETURN(std::uint8_t version, in.u8("commit certificate version"));
  if (version != kCertVersion) return invalid_input("commit certificate: unsupported version");
  HC_ASSIGN_OR_RETURN(std::uint16_t count, in.u16("commit certificate count"));
  if (count > genesis_.replicas.size()) return invalid_input("commit certificate: too many signers");
  Bytes message = quorum_commit_message(genesis_hash_, hash);
  std::int64_t previous = -1;
  for (std::uint16_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(std::uint32_t id, in.u32("commit certificate signer"));
    HC_ASSIGN_OR_RETURN(Ed25519Signature sig, in.array<kEd25519SignatureBytes>("commit signature"));
    if (static_cast<std::int64_t>(id) <= previous) {
      return invalid_input("commit certificate: signer ids not strictly increasing");
    }
    previous = id;
    auto raw_key = genesis_.replica_key(id);
    if (!raw_key) return invalid_input("commit certificate: unknown replica " + std::to_string(id));
    auto key = crypto::Ed25519PublicKey::from_bytes(*raw_key);
    if (!key.ok() || !key->verify(message, sig)) {
      return Status::error(ErrorCode::kAuthFailed,
                           "commit certificate: bad signature of replica " + std::to_string(id));
    }
  }
  HC_RETURN_IF_ERROR(in.finish("commit certificate"));
  if (count < genesis_.quorum()) {
    return Status::error(ErrorCode::kAuthFailed,
                         "commit certificate: " + std::to_string(count) + " signers, quorum is " +
                             std::to_string(genesis_.quorum()));
  }
  return Status();
}

}  // namespace hc::chain
