#include "consensus/certificates.h"

#include <algorithm>
#include <set>

#include "consensus/codec.h"

namespace hc::consensus {
namespace {

Status auth_failed(const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed, what);
}

// Distinct members of cfg, each signature valid over signing_input(chain, cfg.number, type,
// signer, statement).
Status verify_signers(const ChainId& chain, const std::vector<SignedBy>& sigs, MsgType type, ByteSpan statement,
                      const Configuration& cfg, Verifier& verifier, std::uint32_t needed, const char* what) {
  if (sigs.size() < needed) return invalid_input(std::string(what) + ": too few signatures");
  std::set<ReplicaId> seen;
  for (const SignedBy& s : sigs) {
    if (!cfg.contains(s.replica)) return invalid_input(std::string(what) + ": signer is not a member");
    if (!seen.insert(s.replica).second) {
      return invalid_input(std::string(what) + ": duplicate signer");
    }
    if (!verifier.verify(s.replica, signing_input(chain, cfg.number, type, s.replica, statement), s.sig)) {
      return auth_failed(std::string(what) + ": bad signature");
    }
  }
  return Status();
}

}  // namespace

Status verify_commit_certificate(const ChainId& chain, const CommittedBlock& committed, const Configuration& cfg,
                                 Verifier& verifier) {
  return verify_commit_certificate_for(chain, committed.cert, committed.block.height, block_digest(committed.block),
                                       cfg, verifier);
}

Status verify_commit_certificate_for(const ChainId& chain, const CommitCertificate& cert, SeqNumber height,
                                     const Digest& digest, const Configuration& cfg, Verifier& verifier) {
  if (height != cert.seq) return invalid_input("certificate: height mismatch");
  if (digest != cert.digest) return invalid_input("certificate: block digest mismatch");
  return verify_signers(chain, cert.commits, MsgType::kCommit, vote_statement(cert.view, cert.seq, cert.digest), cfg,
                        verifier, cfg.quorum(), "commit certificate");
}

Status verify_checkpoint_proof(const ChainId& chain, const CheckpointProof& proof, const Configuration& cfg,
                               Verifier& verifier) {
  if (proof.seq == 0) {
    if (!proof.sigs.empty() || proof.state_digest != Digest{}) {
      return invalid_input("checkpoint proof: malformed genesis");
    }
    return Status();
  }
  return verify_signers(chain, proof.sigs, MsgType::kCheckpoint, checkpoint_statement(proof.seq, proof.state_digest),
                        cfg, verifier, cfg.quorum(), "checkpoint proof");
}

Status verify_prepared_proof(const ChainId& chain, const PreparedProof& cert, const Configuration& cfg,
                             Verifier& verifier) {
  const ReplicaId primary = cfg.primary(cert.view);
  const Bytes statement = vote_statement(cert.view, cert.seq, cert.digest);
  if (!verifier.verify(primary, signing_input(chain, cfg.number, MsgType::kPrePrepare, primary, statement),
                       cert.preprepare_sig)) {
    return auth_failed("prepared: bad pre-prepare signature");
  }
  for (const SignedBy& s : cert.prepares) {
    if (s.replica == primary) return invalid_input("prepared: PREPARE from the primary");
  }
  return verify_signers(chain, cert.prepares, MsgType::kPrepare, statement, cfg, verifier, cfg.prepares_needed(),
                        "prepared certificate");
}

Status verify_view_change(const SignedViewChange& svc, const ConsensusConfig& config, const ConfigSchedule& schedule,
                          ConfigNumber config_number, SeqNumber known_through, Verifier& verifier) {
  const Configuration* cfg = schedule.by_number(config_number);
  if (cfg == nullptr) return invalid_input("view change: unknown configuration");
  if (!cfg->contains(svc.sender)) return invalid_input("view change: sender is not a member");
  if (!verifier.verify(svc.sender,
                       signing_input(config.chain_id, cfg->number, MsgType::kViewChange, svc.sender,
                                     view_change_statement(svc.vc)),
                       svc.sig)) {
    return auth_failed("view change: bad signature");
  }
  // The checkpoint opens this configuration's window: the sequence number after it belongs to
  // this configuration; the proof itself is the configuration of its own sequence number (the
  // previous configuration when it is this one's first boundary).
  const SeqNumber stable = svc.vc.stable.seq;
  if (stable + 1 > known_through) return invalid_input("view change: checkpoint beyond the known configurations");
  if (schedule.at(stable + 1).number != cfg->number) {
    return invalid_input("view change: checkpoint of another configuration");
  }
  HC_RETURN_IF_ERROR(verify_checkpoint_proof(config.chain_id, svc.vc.stable, schedule.at(stable), verifier));
  SeqNumber last = stable;
  for (const PreparedProof& cert : svc.vc.prepared) {
    if (cert.seq <= last) return invalid_input("view change: prepared seqs not ascending");
    if (cert.seq > stable + config.window_blocks) {
      return invalid_input("view change: prepared seq outside the window");
    }
    if (cert.seq > known_through || schedule.at(cert.seq).number != cfg->number) {
      return invalid_input("view change: prepared seq of another configuration");
    }
    if (cert.view >= svc.vc.new_view) return invalid_input("view change: prepared in a later view");
    last = cert.seq;
    HC_RETURN_IF_ERROR(verify_prepared_proof(config.chain_id, cert, *cfg, verifier));
  }
  return Status();
}

namespace {
constexpr std::array<std::uint8_t, 4> kCertMagic = {'H', 'C', 'C', 'C'};
constexpr std::uint8_t kCertVersion = 1;
}  // namespace

Bytes encode_commit_certificate(const CommitCertificate& cert) {
  Bytes out(kCertMagic.begin(), kCertMagic.end());
  out.push_back(kCertVersion);
  put_commit_cert(out, cert);
  return out;
}

Result<CommitCertificate> decode_commit_certificate(ByteSpan bytes, std::uint32_t replica_count) {
  if (bytes.size() < 5 || !std::equal(kCertMagic.begin(), kCertMagic.end(), bytes.begin()) ||
      bytes[4] != kCertVersion) {
    return invalid_input("commit certificate: bad magic or version");
  }
  DecodeLimits limits;
  limits.replica_count = replica_count;
  WireReader r(bytes.subspan(5));
  CommitCertificate cert = get_commit_cert(r, limits);
  HC_RETURN_IF_ERROR(r.finish("commit certificate"));
  return cert;
}

}  // namespace hc::consensus
